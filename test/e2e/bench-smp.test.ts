// `oskit bench smp` against the real kernel: the CLI's table and JSON, and
// the two ways a run can fail (QEMU exits before `done`; a bound is hit).
import { benchSmp } from '../../harness/bench/smp.js';
import { EXPECTED_SUM } from '../../harness/bench/smp-parse.js';
import { isOskitError } from '../../harness/errors.js';
import { bootOptions, project, qemuTest, runCli } from './helpers.js';

qemuTest('CLI: oskit bench smp --smp 2 --runs 2 --json', async (t) => {
  const r = await runCli(t, ['bench', 'smp', '--accel', bootOptions.accel, '--smp', '2', '--runs', '2', '--json']);
  t.equal(r.exitCode, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { accel: string; guestCpus: number; cpusOnline: number; hostCores: number; runs: number; expectedSum: string; rows: Array<{ cpus: number; runs: number; medianMs: number; speedup: number; efficiency: number }> };
  t.match(json, { accel: bootOptions.accel === 'auto' ? String : bootOptions.accel, guestCpus: 2, cpusOnline: 2, runs: 2, expectedSum: String(EXPECTED_SUM) });
  t.ok(json.hostCores >= 1);
  t.same(json.rows.map((row) => [row.cpus, row.runs]), [[1, 2], [2, 2]]);
  t.ok(json.rows.every((row) => row.medianMs > 0), 'positive times');
  t.equal(json.rows[0]!.speedup, 1);
  t.equal(json.rows[1]!.efficiency, json.rows[1]!.speedup / 2);
});

qemuTest('CLI: oskit bench smp --smp 1 --runs 1 prints the table', async (t) => {
  const r = await runCli(t, ['bench', 'smp', '--accel', bootOptions.accel, '--smp', '1', '--runs', '1']);
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stdout, /^bench smp: sum of 1\.\.10000000 split over 1\.\.1 CPUs, accel \w+, 1 guest CPU, host \d+ cores?, 1 run each\n/);
  t.match(r.stdout, /^note: .*each vCPU is a host thread.*capped by the host's \d+ cores?$/m);
  t.match(r.stdout, /^CPUs  median ms  min ms  max ms  speedup  efficiency\n\s+1\s+\d+\.\d{3}\s+\d+\.\d{3}\s+\d+\.\d{3}\s+1\.00x\s+1\.00$/m, 'the header and one row');
});

qemuTest('CLI: --runs 0 is a usage error without booting', async (t) => {
  const r = await runCli(t, ['bench', 'smp', '--runs', '0']);
  t.equal(r.exitCode, 1);
  t.match(r.stderr, /^oskit: --runs must be an integer from 1 to 1000 \(got "0"\)$/m);
});

qemuTest('API: QEMU exiting before "bench smp: done" is an error with the console tail', async (t) => {
  // `ktest` runs (and exits) before any benchmark: the run ends without a sample.
  const err = await benchSmp(project, { ...bootOptions, smp: 1, runs: 1, kernelArgs: 'ktest=lib', timeoutMs: 15_000 }).then(() => undefined, (e: unknown) => e);
  t.ok(isOskitError(err), 'an OskitError');
  if (!isOskitError(err)) return;
  t.match(err.message, /^bench smp: QEMU exited before "bench smp: done": guest exited with success/);
  t.match(err.details, /^--- last \d+ console lines ---\n[\s\S]*ok \d+ lib[\s\S]*--- QEMU command ---\nqemu-system-x86_64 /);
  t.match(err.hint, /serial log is build\/logs\/bench-smp-/);
});

qemuTest('API: a run that cannot finish within its bound is stopped', async (t) => {
  // -S: QEMU starts with its CPUs stopped, so the guest never prints.
  const started = Date.now();
  const err = await benchSmp(project, { ...bootOptions, smp: 1, runs: 1, extraArgs: ['-S'], timeoutMs: 1_500 }).then(() => undefined, (e: unknown) => e);
  t.ok(Date.now() - started < 15_000, 'stopped within seconds');
  t.ok(isOskitError(err));
  if (!isOskitError(err)) return;
  t.match(err.message, /^bench smp: stopped QEMU: the benchmark did not finish within 1\.5 s \(its bound\)$/);
  t.match(err.details, /--- QEMU command ---\n.* -S/);
});
