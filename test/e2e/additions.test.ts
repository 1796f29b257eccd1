// --add and --trace-syscalls on the harness side, against today's kernel:
// what QEMU is given, what is refused before anything boots, and that the
// per-run archive does not outlive the run.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { accel, project, qemuTest, runCli } from './helpers.js';

const archives = () => readdirSync(project.buildDir).filter((f) => /^add-.*\.cpio$/.test(f));

qemuTest('oskit test --add --trace-syscalls: QEMU gets opt/oskit/initrd and trace_syscalls; the archive is removed', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oskit-add-'));
  try {
    writeFileSync(path.join(dir, 'notes.txt'), 'notes\n');
    const r = await runCli(t, ['test', '--accel', accel, '--filter', 'lib', '--reporter', 'json', '--add', path.join(dir, 'notes.txt'), '--add', `${dir}:/srv/data`, '--trace-syscalls']);
    t.equal(r.exitCode, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { qemuCommand: string };
    t.match(report.qemuCommand, /-fw_cfg name=opt\/oskit\/initrd,file=build\/add-\d+-\d+\.cpio/);
    t.match(report.qemuCommand, /name=opt\/oskit\/cmdline,string=ktest=lib trace_syscalls/);
    t.same(archives(), [], 'no archive left in build/');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

qemuTest('a missing --add path or a bad exec PATH is one line, before anything builds', async (t) => {
  for (const args of [
    ['run', '--add', 'no/such/file'],
    ['test', '--add', 'no/such/file'],
    ['exec', '--add', 'no/such/file', '/bin/hello'],
    ['exec', '--add', 'README.md:relative/guest', '/bin/hello'],
    ['exec', 'bin/hello'],
    ['exec', '/bin/echo', 'a\nb'],
  ]) {
    const r = await runCli(t, [...args.slice(0, 1), '--accel', accel, ...args.slice(1)]);
    t.equal(r.exitCode, 1, args.join(' '));
    const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('hint: '));
    t.equal(lines.length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
    t.match(lines[0], /^oskit: (--add "no\/such\/file": no\/such\/file does not exist|--add "README\.md:relative\/guest": GUEST_PATH must be absolute|cannot run "bin\/hello": it must be an absolute guest path|argument "a\\nb" contains a control character)/);
    t.notMatch(r.stderr, /accel|ninja/, 'nothing built or booted');
  }
});
