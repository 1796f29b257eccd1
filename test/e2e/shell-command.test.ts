// `oskit shell` on a real terminal (a pty): the guest's shell answers, the
// guest learns the terminal's size and follows a resize (stty size), Ctrl-A
// H lists the keys, `exit` halts the guest and oskit exits 0; SIGTERM to
// oskit ends QEMU; and on both ways out the terminal's mode is what it was.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Console, promptPattern } from '../../harness/vm/console.js';
import { bootOptions, project, qemuTest, qemuWithTag, repoRoot } from './helpers.js';

const BOOT_MS = 180_000; // the build of what is stale, then the boot

function terminal(tag: string, name: string, inner: string, cols: number, rows: number): Console {
  // stty -g before and after oskit: the terminal mode must come back unchanged.
  const script = `stty -g; ${inner}; echo "oskit exited $?"; stty -g; exec sleep 30`;
  const term = Console.start({
    binary: 'env', args: [`OSKIT_TEST_TAG=${tag}`, 'NO_COLOR=1', 'sh', '-c', script],
    logFile: path.join(project.logsDir, `e2e-${name}.log`), cwd: repoRoot, cols, rows,
  });
  term.prompt = promptPattern('oskit');
  return term;
}

qemuTest('oskit shell: the window size, Ctrl-A H, exit halts and oskit exits 0', async (t) => {
  const tag = randomUUID();
  const term = terminal(tag, 'shell-command', `bin/oskit shell --accel ${bootOptions.accel} --smp 2`, 100, 30);
  try {
    const before = (await term.expect(/^([0-9a-f:]{20,})$/m, 15_000))[1];
    await term.expect(/exit halts it, Ctrl-A X quits QEMU, Ctrl-A H lists the keys/, BOOT_MS);
    t.equal((await term.run('stty size')).trim(), '30 100', 'the guest knows the terminal is 30x100');
    term.resize(132, 43);
    // The new size arrives with the resize; the next command sees it.
    t.equal((await term.run('stty size')).trim(), '43 132', 'and follows a resize');
    t.equal(await term.run('/bin/hello'), 'Hello from user space!\nSystem call test: write() works!\n', 'programs run');
    term.send('\x01h');
    await term.expect(/C-a x +exit emulator/, 15_000);
    t.pass('Ctrl-A H lists the keys');
    await term.sendLine('exit');
    await term.expect(/Halting system\.\.\./, 15_000);
    await term.expect(/oskit exited 0/, 30_000);
    t.pass('the guest halted and oskit exited 0');
    const after = (await term.expect(/^([0-9a-f:]{20,})$/m, 15_000))[1];
    t.equal(after, before, 'stty -g is the same after oskit as before');
  } finally {
    await term.kill();
  }
  t.same(qemuWithTag(tag), [], 'no QEMU left behind');
});

qemuTest('oskit shell: SIGTERM to oskit ends QEMU and restores the terminal', async (t) => {
  const tag = randomUUID();
  const term = terminal(tag, 'shell-sigterm', `sh -c 'echo "oskit pid $$"; exec bin/oskit shell --accel ${bootOptions.accel} --smp 1'`, 80, 24);
  try {
    const before = (await term.expect(/^([0-9a-f:]{20,})$/m, 15_000))[1];
    const pid = Number((await term.expect(/^oskit pid (\d+)$/m, 15_000))[1]);
    await term.run('echo ready');
    t.ok(qemuWithTag(tag).length > 0, 'QEMU runs');
    process.kill(pid, 'SIGTERM');
    await term.expect(/oskit exited 143/, 30_000);
    t.pass('oskit died by SIGTERM (status 143)');
    const after = (await term.expect(/^([0-9a-f:]{20,})$/m, 15_000))[1];
    t.equal(after, before, 'stty -g is the same after oskit as before');
  } finally {
    await term.kill();
  }
  t.same(qemuWithTag(tag), [], 'no QEMU left behind');
});
