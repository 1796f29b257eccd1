// Our /bin/sh, non-interactively, against bash --posix on the host: a table
// of `sh -c` command lines (pipelines, every redirection, quoting,
// parameters, && and ||, background jobs and wait, exit statuses) compared
// on standard output and exit status, in identical fresh directories with our
// programs first on PATH for both shells; then what only our shell defines
// (its messages, the signal descriptions of dead jobs), scripts and commands
// on standard input.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import t from 'tap';
import { findExecutable } from '../../harness/doctor/tools.js';
import { tempDir } from './temp-dir.js';
import { ensureBuilt, fixedEnv, noMusl, ourPath } from './userland-helpers.js';

function fixture(): string {
  const dir = tempDir('oskit-sh-');
  writeFileSync(path.join(dir, 'a.txt'), 'alpha\nbeta\ngamma\n');
  writeFileSync(path.join(dir, 'b.txt'), 'one\ntwo\n');
  writeFileSync(path.join(dir, 'script.sh'), 'echo "script $0 $# $1 [$2]"\nfor_us=1\necho "$@"\nexit 5\n');
  writeFileSync(path.join(dir, 'noshebang'), 'echo "no #! line, args: $*"\n');
  chmodSync(path.join(dir, 'noshebang'), 0o755);
  mkdirSync(path.join(dir, 'sub'));
  return dir;
}

interface Shell {
  stdout: string;
  stderr: string;
  code: number | undefined;
  pid: number | undefined;
}

/** Run a shell in `cwd` with our programs first on PATH; the fixture path reads <dir>. */
async function shell(file: string, args: string[], cwd: string, input?: string): Promise<Shell> {
  const proc = execa(file, args, {
    cwd,
    env: { ...fixedEnv, PATH: ourPath, HOME: '/' },
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    ...(input !== undefined ? { input } : { stdin: 'ignore' as const }),
    timeout: 30_000,
  });
  const r = await proc;
  const clean = (s: unknown) => String(s ?? '').replaceAll(cwd, '<dir>');
  return { stdout: clean(r.stdout), stderr: clean(r.stderr), code: r.exitCode, pid: proc.pid };
}

const ourSh = (args: string[], cwd: string, input?: string) => shell('sh', args, cwd, input);
const bash = (args: string[], cwd: string, input?: string) => shell('/bin/bash', ['--posix', ...args], cwd, input);

// Each line runs under `sh -c` and `bash --posix -c`; stdout and status must match.
const TABLE: string[] = [
  'echo hello world',
  '  echo   spaced   out  ',
  'echo a b c | cat | wc -w',
  'echo one two three | grep two | wc -l',
  'cat a.txt | grep a | head -n 2 | cat',
  'echo "a  b" \'c  d\' e\\ f "" \'\'',
  'echo "nested \'single\'" \'and "double"\'',
  'echo a\\\\b "c\\\\d" \'e\\\\f\' "\\$x" \'$x\' "\\"q\\""',
  'x=1; echo $x ${x}2 "$x" \'$x\' $x.txt',
  'echo "[$undefined_variable]" [${undefined_variable}]',
  'v="two  words"; echo $v; echo "$v"',
  'echo "multi\nline"',
  'echo a \\\n  continued',
  'echo one\necho two',
  'echo hi # a comment',
  'false; echo $?',
  'true; echo $?',
  'true && echo yes || echo no',
  'false && echo yes || echo no',
  'false || false || echo third',
  'true || echo never; echo after',
  'echo a && echo b || echo c',
  'false && echo never; echo $?',
  'false | true; echo $?',
  'true | false; echo $?',
  '! true; echo $?',
  '! false; echo $?',
  'echo out > f; cat f; echo more >> f; cat f',
  'echo a > f1 > f2; cat f1 f2; wc -c f1',
  'cat < a.txt | wc -l',
  'wc -l < a.txt > n; cat n',
  'ls nonexistent 2> err; echo status $?; cat err',
  'ls nonexistent 2>&1 | cat',
  'ls nonexistent > out 2>&1; cat out',
  'ls nonexistent 2>/dev/null; echo $?',
  'echo to-stderr 1>&2 2>/dev/null | cat',
  'cat 3< a.txt <&3',
  'echo x >&- ; echo $?',
  'echo hidden 2>&1 >/dev/null',
  'sleep 0.1 & wait; echo waited $?',
  'sleep 0.1 & wait $!; echo $?',
  'sh -c "exit 3" & wait $!; echo $?',
  'echo a & wait; echo b',
  'true && sleep 0.1 && echo chained & wait',
  'nosuchcommand; echo status $?',
  './nonexistent; echo status $?',
  './a.txt; echo status $?',
  './sub; echo status $?',
  'cat nonexistent; echo $?',
  'exit 3',
  'exit 300',
  'echo a; exit 4; echo b',
  'sh -c "exit 7"; echo $?',
  'X=5 sh -c \'echo $X\'; echo "[$X]"',
  'export Y=7; sh -c \'echo $Y\'',
  'Y=1; sh -c \'echo "[$Y]"\'',
  'Y=1; unset Y; echo "[$Y]"',
  'cd sub && pwd; cd .. && pwd; cd nonexistent; echo $?',
  'cd sub; cd -; pwd',
  'echo *.txt; echo "*.txt" \'*\'.txt; echo nomatch*',
  'echo ~ ~/x "~"',
  './noshebang a b',
  'wait; echo $?',
  'true; echo $? $?',
  ': && echo colon',
];

async function main(): Promise<void> {
  t.test('sh -c: the same output and status as bash --posix -c', async (tt) => {
    for (const line of TABLE) {
      const mine = await ourSh(['-c', line], fixture());
      const theirs = await bash(['-c', line], fixture());
      tt.same({ stdout: mine.stdout, code: mine.code }, { stdout: theirs.stdout, code: theirs.code }, JSON.stringify(line));
    }
  });

  t.test('-c with $0 and arguments, "$@"', async (tt) => {
    const args = ['-c', 'echo "$0|$#|$1|$2"; echo "$@" | wc -w; echo $*', 'name', 'a', 'b c'];
    const mine = await ourSh(args, fixture());
    const theirs = await bash(args, fixture());
    tt.same([mine.stdout, mine.code], [theirs.stdout, theirs.code], 'same as bash');
    tt.equal(mine.stdout, 'name|2|a|b c\n3\na b c\n');
  });

  t.test('scripts and commands on standard input', async (tt) => {
    let mine = await ourSh(['script.sh', 'one', 'two three'], fixture());
    let theirs = await bash(['script.sh', 'one', 'two three'], fixture());
    tt.same([mine.stdout, mine.code], [theirs.stdout, theirs.code], 'sh script args');
    tt.equal(mine.stdout, 'script script.sh 2 one [two three]\none two three\n');
    tt.equal(mine.code, 5);
    // Commands read line by line: `cat` gets the rest of standard input.
    const input = 'echo one\ncat\necho three\n';
    mine = await ourSh([], fixture(), input);
    theirs = await bash([], fixture(), input);
    tt.same([mine.stdout, mine.code], [theirs.stdout, theirs.code], 'commands on stdin');
    tt.equal(mine.stdout, 'one\necho three\n');
    tt.equal(mine.stderr, '', 'no prompt when stdin is not a terminal');
    mine = await ourSh([], fixture(), 'echo "open\nquote"\nexit 6\n');
    tt.same([mine.stdout, mine.code], ['open\nquote\n', 6], 'a quote continued on the next line');
    mine = await ourSh(['missing-script'], fixture());
    tt.same([mine.code, mine.stderr], [127, 'sh: missing-script: No such file or directory\n']);
  });

  t.test('our messages and statuses', async (tt) => {
    const dir = fixture();
    let r = await ourSh(['-c', 'nosuchcommand'], dir);
    tt.same([r.code, r.stderr], [127, 'sh: nosuchcommand: not found\n'], 'unknown command: 127');
    r = await ourSh(['-c', './nonexistent'], dir);
    tt.same([r.code, r.stderr], [127, 'sh: ./nonexistent: not found\n'], 'missing path: 127');
    r = await ourSh(['-c', './a.txt'], dir);
    tt.same([r.code, r.stderr], [126, 'sh: ./a.txt: Permission denied\n'], 'not executable: 126');
    r = await ourSh(['-c', './sub'], dir);
    tt.same([r.code, r.stderr], [126, 'sh: ./sub: Is a directory\n'], 'a directory: 126');
    r = await ourSh(['-c', 'echo a | | cat'], dir);
    tt.same([r.code, r.stderr], [2, "sh: syntax error near unexpected token `|'\n"], 'syntax error: 2');
    r = await ourSh(['-c', 'echo "open'], dir);
    tt.same([r.code, r.stderr], [2, 'sh: -c: syntax error: unexpected end of file\n']);
    r = await ourSh(['-c', 'echo $$'], dir);
    tt.equal(r.stdout, `${r.pid}\n`, '$$ is the shell\'s PID');
    r = await ourSh(['-c', 'echo $$; sh -c \'echo $PPID\' | cat; echo $$ | cat'], dir);
    const [a, , c] = r.stdout.trim().split('\n');
    tt.equal(a, c, '$$ in a pipeline is still the shell\'s');
    r = await ourSh(['-c', 'sleep 0.1 & jobs; wait; jobs; echo done'], dir);
    tt.equal(r.stderr, '', 'no job messages without a terminal');
    tt.match(r.stdout, /^\[1\]\+ Running  sleep 0\.1 &\ndone\n$/, 'jobs lists the running job');
  });

  t.test('a job killed by a signal: bash\'s description, 128 + signal', async (tt) => {
    const dir = fixture();
    // [command, what it prints first, status, the shell's message]
    const cases: [string, string, number, RegExp][] = [
      ['fault div0', 'fault: div0\n', 136, /^Floating point exception( \(core dumped\))?\n$/],
      ['fault null', 'fault: null\n', 139, /^Segmentation fault( \(core dumped\))?\n$/],
      ['fault ud2', 'fault: ud2\n', 132, /^Illegal instruction( \(core dumped\))?\n$/],
      ['sh -c \'kill -KILL $$\'', '', 137, /^Killed\n$/],
      ['sh -c \'kill -TERM $$\'', '', 143, /^Terminated\n$/],
      ['sh -c \'kill -ABRT $$\'', '', 134, /^Aborted( \(core dumped\))?\n$/],
      ['sh -c \'kill -INT $$\'', '', 130, /^$/],  // a newline only when interactive
      ['sh -c \'kill -PIPE $$\'', '', 141, /^$/],  // nothing, as bash
    ];
    for (const [cmd, first, code, message] of cases) {
      const r = await ourSh(['-c', `${cmd}; echo status $?`], dir);
      tt.equal(r.stdout, `${first}status ${code}\n`, `${cmd}: status ${code}`);
      tt.match(r.stderr, message, `${cmd}: message`);
    }
  });

  t.test('without a terminal the shell keeps the default SIGINT: sh -c dies of it', async (tt) => {
    const dir = fixture();
    const proc = execa('sh', ['-c', 'sleep 10; echo not reached'], { cwd: dir, env: { ...fixedEnv, PATH: ourPath }, extendEnv: false, reject: false });
    await new Promise((r) => setTimeout(r, 200));
    proc.kill('SIGINT');
    const r = await proc;
    tt.equal(r.signal, 'SIGINT');
    tt.equal(String(r.stdout), '');
  });
}

if (noMusl) {
  t.test('userland shell', { skip: noMusl }, () => {});
} else if (!findExecutable('bash')) {
  t.test('userland shell', { skip: 'bash is not installed (the reference shell)' }, () => {});
} else {
  await ensureBuilt();
  await main();
}
