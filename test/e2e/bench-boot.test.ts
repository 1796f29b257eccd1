// `oskit bench boot` against the real kernel and the floor kernel: both boot
// (the floor leaves through isa-debug-exit, oskit reaches its shell), the
// figures are in order, and the output has its format. No time is asserted.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { floorPaths } from '../../harness/bench/floor.js';
import { bootOptions, project, qemuTest, runCli } from './helpers.js';

qemuTest('CLI: oskit bench boot --runs 1 --json: both kernels booted', async (t) => {
  const r = await runCli(t, ['bench', 'boot', '--accel', bootOptions.accel, '--smp', '2', '--runs', '1', '--json']);
  t.equal(r.exitCode, 0, r.stderr);
  const json = JSON.parse(r.stdout) as {
    benchmark: string; accel: string; cpus: number; hostCores: number; runs: number; prompt: string; ratio: number;
    floor: { median: number }; entry: { median: number }; ready: { median: number }; promptTime: { median: number }; kernelReady: { median: number };
    samples: { floor: number[]; oskit: Array<{ entryMs: number; readyMs: number; promptMs: number; kernelReadyMs: number }> };
  };
  t.match(json, { benchmark: 'boot', accel: bootOptions.accel === 'auto' ? String : bootOptions.accel, cpus: 2, runs: 1, prompt: 'oskit:/$ ' });
  t.ok(json.hostCores >= 1);
  t.equal(json.samples.floor.length, 1, 'one floor boot');
  t.equal(json.samples.oskit.length, 1, 'one oskit boot');
  const b = json.samples.oskit[0]!;
  t.ok(b.entryMs > 0 && b.entryMs <= b.readyMs && b.readyMs <= b.promptMs, `spawn < first line <= ready <= prompt: ${JSON.stringify(b)}`);
  t.ok(b.kernelReadyMs > 0 && b.kernelReadyMs < b.readyMs, 'the kernel clock at ready is inside the wall time');
  t.ok(json.samples.floor[0]! > 0);
  t.equal(json.ratio, json.promptTime.median / json.floor.median);
  t.match(r.stderr, /^oskit: run 1\/1: oskit to the prompt \d+\.\d{3} s$/m);
  t.match(r.stderr, /^oskit: run 1\/1: floor \d+\.\d{3} s$/m);
  // What each kernel printed: the floor its line, oskit its boot and the prompt.
  const floorLog = readFileSync(path.join(project.logsDir, 'bench-boot-floor-1.log'), 'utf8');
  t.match(floorLog, /^oskit floor: booted$/m);
  const oskitLog = readFileSync(path.join(project.logsDir, 'bench-boot-1.log'), 'utf8');
  t.match(oskitLog, /smp: CPUs online: 2 \/ 2/);
  t.match(oskitLog, /Welcome to Oskit!/);
  t.ok(oskitLog.endsWith('oskit:/$ '), 'the oskit log ends at the prompt');
  t.ok(existsSync(floorPaths(project).iso), 'the floor ISO is cached under build/floor');
});

qemuTest('CLI: oskit bench boot --runs 1 prints the table', async (t) => {
  const r = await runCli(t, ['bench', 'boot', '--accel', bootOptions.accel, '--smp', '1', '--runs', '1']);
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stdout, /^bench boot: accel \w+, 1 CPU, 512M RAM, host \d+ cores?, 1 run of each kernel \(alternating\)\n/);
  const row = (name: string) => new RegExp(`^${name}\\s+\\d+\\.\\d{3} s\\s+\\d+\\.\\d{3} s\\s+\\d+\\.\\d{3} s$`, 'm');
  t.match(r.stdout, row('floor: QEMU, firmware, GRUB'));
  t.match(r.stdout, row('oskit: first kernel line'));
  t.match(r.stdout, row('oskit: "oskit ready"'));
  t.match(r.stdout, row('oskit: shell prompt "oskit:/\\$ "'));
  t.match(r.stdout, /^kernel log at "oskit ready" \(its own clock\): median \d+\.\d{3} s/m);
  t.match(r.stdout, /^ratio to the floor \(medians\): shell prompt \d+\.\d\d, "oskit ready" \d+\.\d\d$/m);
});

qemuTest('CLI: bench boot --runs x is a usage error without booting', async (t) => {
  const r = await runCli(t, ['bench', 'boot', '--runs', 'x']);
  t.equal(r.exitCode, 1);
  t.match(r.stderr, /^oskit: --runs must be an integer from 1 to 1000 \(got "x"\)$/m);
});
