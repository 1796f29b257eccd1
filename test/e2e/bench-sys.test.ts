// `oskit bench sys`: bench-sys as PID 1 under oskit and, when a Linux kernel
// can be had (the host's, build/linux's cache, or Debian's package), the same
// binary as /init of Linux in the same QEMU. Values are checked for sense,
// never for speed.
import { findLinux } from '../../harness/bench/linux.js';
import { SYS_METRICS } from '../../harness/bench/sys-parse.js';
import { isOskitError } from '../../harness/errors.js';
import tap from 'tap';
import { bootOptions, project, qemuTest, runCli } from './helpers.js';

interface Json {
  accel: string;
  guestCpus: number;
  hostCores: number;
  iters: number;
  oskit: { version: string; runs: Array<{ bootMs: number; samples: Array<{ metric: string; iters: number }> }> };
  linux?: { version: string; runs: unknown[] };
  rows: Array<{ metric: string; oskitNs: number; linuxNs?: number; ratio?: number; met?: boolean }>;
}

qemuTest('CLI: oskit bench sys --runs 1 --json', async (t) => {
  const r = await runCli(t, ['bench', 'sys', '--accel', bootOptions.accel, '--smp', '2', '--runs', '1', '--iters', '10', '--json']);
  t.equal(r.exitCode, 0, r.stderr);
  const json = JSON.parse(r.stdout) as Json;
  t.match(json, { guestCpus: 2, iters: 10, oskit: { version: /^\d+\.\d+\.\d+/ } });
  t.notOk(json.linux);
  t.equal(json.oskit.runs.length, 1);
  t.same(json.oskit.runs[0]!.samples.map((s) => [s.metric, s.iters]), SYS_METRICS.map((m) => [m, 10]));
  t.same(json.rows.map((row) => row.metric), ['boot_to_init', ...SYS_METRICS]);
  t.ok(json.rows.every((row) => row.oskitNs > 0), 'every median is positive');
  t.equal(json.rows[0]!.oskitNs, json.oskit.runs[0]!.bootMs * 1e6, 'the boot row is the one boot');
});

// Downloads Debian's kernel into build/linux/ once when the host's is not readable.
const noLinux = await findLinux(project, {}).then(() => undefined, (e: unknown) => {
  if (!isOskitError(e)) throw e;
  return e.message;
});

const AGAINST = 'CLI: oskit bench sys --against linux --runs 1';
if (noLinux) tap.test(AGAINST, { skip: `no Linux kernel can be had here: ${noLinux}` }, () => {});
else qemuTest(AGAINST, async (t) => {
  const r = await runCli(t, ['bench', 'sys', '--accel', bootOptions.accel, '--runs', '1', '--iters', '10', '--against', 'linux']);
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stdout, /^bench sys: accel \w+, -cpu \S+, \d+ guest CPUs?, \S+ RAM, host \d+ cores?, 1 boot of each kernel \(alternating\), 10 samples per metric per boot\n  oskit \S+; Linux \d+\.\d+\S* \(.+\)\n/);
  t.match(r.stdout, /^metric\s+oskit\s+Linux\s+oskit\/Linux\s+target$/m);
  for (const metric of ['boot_to_init', ...SYS_METRICS]) {
    t.match(r.stdout, new RegExp(`^${metric}\\s+[\\d.]+ [num]?s\\s+[\\d.]+ [num]?s\\s+[\\d.]+x`, 'm'), `a ${metric} row with both medians and the ratio`);
  }
  t.match(r.stdout, /^getpid .*(met|MISSED) \(<= 1x\)$/m, 'the target verdict is shown');
  t.match(r.stderr, /boot 1\/1: Linux to init/);
});

qemuTest('CLI: --linux without --against and a file that is no bzImage are refused before booting', async (t) => {
  const a = await runCli(t, ['bench', 'sys', '--linux', '/etc/hostname']);
  t.equal(a.exitCode, 1);
  t.match(a.stderr, /^oskit: --linux names the kernel for --against linux: add --against linux$/m);
  const b = await runCli(t, ['bench', 'sys', '--accel', bootOptions.accel, '--against', 'linux', '--linux', 'package.json']);
  t.equal(b.exitCode, 1);
  t.match(b.stderr, /^oskit: .*package\.json is not a Linux bzImage/m);
});
