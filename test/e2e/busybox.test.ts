// Debian's static busybox, unmodified, under oskit (`oskit exec --busybox`)
// and on the host: fixtures/busybox/commands.sh runs every applet the issue
// names through busybox's ash, in one boot, and each section of its output
// must be the host's byte for byte, or, where the kernels must differ
// (uname, the clock, uptime), of the same form.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import tap from 'tap';
import { elfInterpreter, HOST_BUSYBOX } from '../../harness/image/busybox.js';
import { bootOptions, qemuTest, repoRoot, runCli } from './helpers.js';

const SCRIPT = 'fixtures/busybox/commands.sh';

/** Sections whose output must differ between the kernels: checked for form. */
const FORM: Record<string, RegExp> = {
  uname: /^\S+\nx86_64\n@@@ status 0\n$/,
  date: /^\d{4}-\d\d-\d\d\n1970-01-02 00:00:00\n060\n@@@ status 0\n$/,
  uptime: /^ \d\d:\d\d:\d\d up +(\d+ min|\d+:\d\d|\d+ days?, .*),  \d+ users?,  load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n@@@ status 0\n$/,
};

/** "@@@ NAME\n...": the sections of the script's output, by name, in order. */
function sections(output: string): Map<string, string> {
  const map = new Map<string, string>();
  const parts = output.split(/^@@@ (?!status )(\S+)\n/m);
  for (let i = 1; i < parts.length; i += 2) map.set(parts[i]!, parts[i + 1] ?? '');
  return map;
}

function whyNoBusybox(): string | undefined {
  if (!existsSync(HOST_BUSYBOX)) return `${HOST_BUSYBOX} is missing (Debian package busybox-static; oskit doctor --fix installs it)`;
  if (elfInterpreter(readFileSync(HOST_BUSYBOX)) !== '') return `${HOST_BUSYBOX} is not statically linked (install busybox-static)`;
  return undefined;
}

const NAME = 'busybox: every applet of the table gives the output it gives on the host';
const missing = whyNoBusybox();
if (missing) tap.test(NAME, { skip: missing }, () => {});
else qemuTest(NAME, async (t) => {
  const scratch = path.join(existsSync('/dev/shm') ? '/dev/shm' : '/tmp', `oskit-busybox-${process.pid}`);
  t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
  // /dev/shm is a tmpfs, like the guest's /tmp: directory sizes agree too.
  const host = await execa(HOST_BUSYBOX, ['sh', path.join(repoRoot, SCRIPT), scratch], {
    cwd: '/', env: { PATH: '/bin:/usr/bin' }, extendEnv: false, reject: false, stdin: 'ignore', all: true, timeout: 60_000, stripFinalNewline: false,
  });
  t.equal(host.exitCode, 0, 'the script runs on the host');
  // In the guest the script's output goes to a file first: a pipe or file on both sides (ls's columns follow the terminal).
  const guest = await runCli(t, ['exec', '--accel', bootOptions.accel, '--busybox', '--add', `${SCRIPT}:/commands.sh`,
    '/bin/sh', '-c', 'sh /commands.sh /tmp/bb > /tmp/out 2>&1; s=$?; cat /tmp/out; exit $s']);
  t.equal(guest.exitCode, 0, `oskit exec exits 0 (stderr: ${guest.stderr.slice(-2000)})`);
  const want = sections(String(host.all));
  const got = sections(guest.stdout);
  t.ok(want.size > 40, `the host ran ${want.size} sections`);
  t.same([...got.keys()], [...want.keys()], 'the same sections, in order (none cut short)');
  for (const [name, text] of want) {
    const g = got.get(name);
    if (FORM[name]) {
      t.match(g, FORM[name]!, `${name}: of the form`);
      t.match(text, FORM[name]!, `${name}: the host's is of the same form`);
    } else {
      t.equal(g, text, `${name}: byte for byte`);
    }
  }
});
