// `oskit exec` end to end: a guest program run as PID 1 behaves like a host
// command (its output on stdout, its exit status as ours). Needs the
// kernel's side of the contract in DESIGN.md ("Running a program as PID 1":
// init=PATH -- ARGS, the init: lines, isa-debug-exit 0x10/0x13, the
// opt/oskit/initrd archive, trace_syscalls) and the userland programs
// /bin/hello, /bin/fault, /bin/cat and /bin/sh in build/user/rootfs.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { accel, project, qemuTest, runCli } from './helpers.js';

const HELLO = 'Hello from user space!\nSystem call test: write() works!\n';
const archivesLeft = () => readdirSync(project.buildDir).filter((f) => /^add-.*\.cpio$/.test(f));

qemuTest('oskit exec /bin/hello: its two lines on stdout, exit 0', async (t) => {
  const r = await runCli(t, ['exec', '--accel', accel, '/bin/hello']);
  t.equal(r.exitCode, 0, r.stderr);
  t.equal(r.stdout, HELLO, 'exactly the program\'s output');
  t.match(r.stderr, /^oskit: accel (tcg|kvm), \d+ CPUs?, /m, 'the header on stderr');
  t.notMatch(r.stderr, /^\[ *\d+\.\d{3}\] /m, 'the boot log is hidden (no kernel log lines)');
});

qemuTest('arguments with spaces reach the program; its exit status is ours', async (t) => {
  const r = await runCli(t, ['exec', '--accel', accel, '/bin/sh', '-c', 'echo "a  b"; exit 42']);
  t.equal(r.exitCode, 42, r.stderr);
  t.equal(r.stdout, 'a  b\n');
});

qemuTest('a program killed by SIGSEGV exits 139', async (t) => {
  const r = await runCli(t, ['exec', '--accel', accel, '/bin/fault', 'null']);
  t.equal(r.exitCode, 139, r.stderr);
  t.equal(r.stdout, 'fault: null\n');
  t.match(r.stderr, /killed by signal 11 \(SIGSEGV\)/);
});

qemuTest('a missing program exits 127 with a one-line error', async (t) => {
  const r = await runCli(t, ['exec', '--accel', accel, '/bin/no-such-program']);
  t.equal(r.exitCode, 127, r.stderr);
  t.equal(r.stdout, '');
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('oskit: ') && !/^oskit: accel /.test(l));
  t.same(errors, ['oskit: cannot execute /bin/no-such-program: No such file or directory (ENOENT)']);
});

qemuTest('--add a host file, then cat it', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oskit-exec-'));
  try {
    const file = path.join(dir, 'added-file');
    writeFileSync(file, 'added from the host\nsecond line\n');
    const r = await runCli(t, ['exec', '--accel', accel, '--add', file, '/bin/cat', '/added-file']);
    t.equal(r.exitCode, 0, r.stderr);
    t.equal(r.stdout, 'added from the host\nsecond line\n');
    t.same(archivesLeft(), [], 'the per-run archive is removed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

qemuTest('--trace-syscalls: decoded calls on stderr, not in the output', async (t) => {
  const r = await runCli(t, ['exec', '--accel', accel, '--trace-syscalls', '/bin/hello']);
  t.equal(r.exitCode, 0, r.stderr);
  t.equal(r.stdout, HELLO, 'trace lines are not in the program\'s output');
  t.match(r.stderr, /^\[pid \d+\] write\(1, 0x[0-9a-f]+, 56\) = 56$/m, 'write(1, ...) of the 56 bytes');
  t.match(r.stderr, /^\[pid \d+\] exit(_group)?\(0\) = \?$/m);
  t.notMatch(r.stderr, /^\+?strace: /m, 'no raw trace lines');
  t.ok(existsSync(path.join(project.logsDir, 'last-exec.log')), 'the serial log is kept');
});
