// `oskit exec [options] PATH [ARGS...]`: options before PATH are oskit's,
// everything from PATH on is the program's.
import t from 'tap';
import { buildProgram, separateProgramArgs } from '../../harness/cli.js';

const split = (...args: string[]) => separateProgramArgs(buildProgram(), ['node', 'oskit', ...args]).slice(2);

t.test('a -- goes in before PATH', async (t) => {
  t.same(split('exec', '/bin/ls', '-l'), ['exec', '--', '/bin/ls', '-l']);
  t.same(split('exec', '--smp', '2', '--add', 'x', '--add', 'y:/z', '/bin/ls', '--smp', '3'), ['exec', '--smp', '2', '--add', 'x', '--add', 'y:/z', '--', '/bin/ls', '--smp', '3'], 'option values are skipped');
  t.same(split('--config', 'c.ts', 'exec', '--config', 'd.ts', '/bin/x', '--config'), ['--config', 'c.ts', 'exec', '--config', 'd.ts', '--', '/bin/x', '--config'], 'global options before and after exec');
  t.same(split('exec', '--add=x', '--trace-syscalls', '--verbose', '/bin/x'), ['exec', '--add=x', '--trace-syscalls', '--verbose', '--', '/bin/x']);
  t.same(split('exec', '--cmdline', 'a b', '/bin/x', 'y'), ['exec', '--cmdline', 'a b', '--', '/bin/x', 'y']);
});

t.test('left alone: an explicit --, no PATH yet, other commands', async (t) => {
  t.same(split('exec', '--', '/bin/x', '-v'), ['exec', '--', '/bin/x', '-v']);
  t.same(split('exec', '--help'), ['exec', '--help']);
  t.same(split('run', '--smp', '2', '--', '-d', 'int'), ['run', '--smp', '2', '--', '-d', 'int']);
  t.same(split('test', '--filter', 'exec'), ['test', '--filter', 'exec']);
});

t.test('commander then gives the program every argument', async (t) => {
  const program = buildProgram();
  const exec = program.commands.find((c) => c.name() === 'exec')!;
  let seen: unknown[] = [];
  exec.action((path: string, args: string[], flags: Record<string, unknown>) => {
    seen = [path, args, flags];
  });
  await program.parseAsync(separateProgramArgs(program, ['node', 'oskit', 'exec', '--add', 'a', '--add', 'b', '--trace-syscalls', '/bin/ls', '-l', '--add', 'c']));
  t.same(seen, ['/bin/ls', ['-l', '--add', 'c'], { add: ['a', 'b'], traceSyscalls: true }]);
});
