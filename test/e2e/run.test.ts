// `oskit run` as a user meets it: the serial log kept under build/logs
// (last-run.log), the exception report symbolised with source lines, and an
// interactive session on a real terminal (a pty): QEMU's monitor, Ctrl-A X,
// and the terminal's mode the same after oskit exits as before.
import { randomUUID } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { Console } from '../../harness/vm/console.js';
import { bootOptions, project, qemuTest, qemuWithTag, repoRoot, runCli } from './helpers.js';

const FRAME = /^ {2}#\d+ 0x[0-9a-f]{16} \S.*\+0x[0-9a-f]+ \(kernel-src\/[\w/.-]+:\d+\)$/;

qemuTest('oskit run --cmdline crash=pf: symbolised report with source lines, serial log kept', async (t) => {
  const r = await runCli(t, ['run', '--accel', bootOptions.accel, '--cmdline', 'crash=pf']);
  t.equal(r.exitCode, 37, r.stderr);
  const lines = r.stdout.replaceAll('\r', '').split('\n');
  const rip = lines.find((l) => /^ {2}RIP /.test(l)) ?? '';
  t.match(rip, /^ {2}RIP [0-9a-f]{16} {2}CS 0008 {2}RFLAGS [0-9a-f]{16} {2}crash::\(anonymous namespace\)::page_fault\(\)\+0x[0-9a-f]+ \(kernel-src\/kernel\/crash\.cpp:\d+\)$/, 'the faulting RIP with function and line');
  const frames = lines.filter((l) => /^ {2}#\d+ 0x/.test(l));
  t.ok(frames.length >= 2, `${frames.length} frames`);
  t.ok(frames.every((f) => FRAME.test(f)), `every frame is function+0xoff (file:line):\n${frames.join('\n')}`);
  t.match(frames[0], /page_fault\(\)\+0x/, 'frame #0 is the faulting function');
  const m = /^oskit: serial log: (build\/logs\/run-[\w-]+\.log) \(also build\/logs\/last-run\.log\)$/m.exec(r.stderr);
  t.ok(m, 'the log location is printed on exit');
  if (!m) return;
  const log = readFileSync(path.join(repoRoot, m[1]!), 'utf8');
  t.match(log, /^EXCEPTION: #PF page fault/m, 'the log has the report');
  t.match(log, /^ {2}#0 0x[0-9a-f]{16}$/m, 'as the guest printed it');
  t.equal(realpathSync(path.join(project.logsDir, 'last-run.log')), realpathSync(path.join(repoRoot, m[1]!)));
});

qemuTest('oskit run on a terminal: the monitor, Ctrl-A X, and the terminal restored', async (t) => {
  const tag = randomUUID();
  // stty -g before and after oskit: the terminal mode must come back unchanged.
  const script = `stty -g; env OSKIT_TEST_TAG=${tag} NO_COLOR=1 bin/oskit run --accel ${bootOptions.accel}; echo "oskit exited $?"; stty -g; exec sleep 30`;
  const term = Console.start({ binary: 'sh', args: ['-c', script], logFile: path.join(project.logsDir, 'e2e-run-terminal.log'), cwd: repoRoot });
  try {
    const before = (await term.expect(/^([0-9a-f:]{20,})$/m, 15_000))[1];
    await term.expect(/serial console on this terminal; Ctrl-A X quits/, 120_000);
    await term.expect(/oskit ready/, 60_000);
    term.send('\x01c');
    await term.expect(/\(qemu\)/, 15_000);
    term.send('info status\r');
    await term.expect(/VM status: running/, 15_000);
    term.send('\x01c');
    term.send('\x01x');
    await term.expect(/QEMU quit/, 15_000);
    await term.expect(/serial log: build\/logs\/run-[\w-]+\.log/, 15_000);
    await term.expect(/oskit exited 0/, 15_000);
    const after = (await term.expect(/^([0-9a-f:]{20,})$/m, 15_000))[1];
    t.equal(after, before, 'stty -g is the same after oskit as before');
  } finally {
    await term.kill();
  }
  t.same(qemuWithTag(tag), [], 'no QEMU left behind');
});
