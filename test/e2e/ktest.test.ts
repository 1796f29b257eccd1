// `oskit test` against the real kernel: every suite passes, the TAP output
// is well formed, and the CLI's accelerator handling is honest.
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { allPassed, parseKtap, summarize } from '../../harness/report/ktap.js';
import { toTap } from '../../harness/report/tap.js';
import { runKernelTests } from '../../harness/vm/ktest.js';
import { repeatKernelTests } from '../../harness/vm/repeat.js';
import { parseXml } from '../unit/xml.js';
import { bootOptions, project, qemuTest, runCli } from './helpers.js';

qemuTest('API run: all suites pass and produce TAP', async (t) => {
  const run = await runKernelTests(project, bootOptions);
  const summary = summarize(run.result.tests);
  t.same(run.problems, [], 'no problems');
  t.equal(run.exit.status, 33, 'QEMU exit 33 (isa-debug-exit 0x10)');
  t.ok(run.passed, 'passed');
  t.ok(summary.total >= 5, `${summary.total} results`);
  t.equal(summary.failed + summary.crashed + summary.error + summary.timeout, 0);
  t.ok(run.result.tests.length >= 2, 'several suites');
  t.ok(run.result.tests.every((s) => s.children.length > 0), 'each suite has cases');
  const tap = toTap(run.result);
  t.match(tap, /^TAP version 13\n1\.\.\d+\n/);
  t.notMatch(tap, /^\s*not ok/m);
  t.ok(allPassed(parseKtap(tap)), 'the TAP output parses back as passing');
  t.equal(readFileSync(run.logFile, 'utf8'), run.output, 'the full serial log is on disk');
  t.equal(realpathSync(path.join(project.logsDir, 'last-test.log')), realpathSync(run.logFile));
});

qemuTest('API run with a filter runs only the matching suite', async (t) => {
  const all = await runKernelTests(project, { ...bootOptions, filter: 'pmm' });
  t.ok(all.passed);
  t.same(all.result.tests.map((s) => s.name), ['pmm']);
});

qemuTest('CLI: oskit test --reporter tap', async (t) => {
  const r = await runCli(t, ['test', '--accel', bootOptions.accel, '--reporter', 'tap', ...(bootOptions.smp ? ['--smp', bootOptions.smp] : [])]);
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stdout, /^TAP version 13\n/, 'stdout is TAP only');
  t.ok(allPassed(parseKtap(r.stdout)));
  t.match(r.stderr, /^oskit: accel (tcg|kvm), \d+ CPUs?, \d+[MG] RAM$/m, 'header with accelerator and CPU count');
});

qemuTest('CLI: --accel kvm without a usable /dev/kvm fails fast with one line', async (t) => {
  const started = Date.now();
  const r = await runCli(t, ['test', '--accel', 'kvm'], { OSKIT_KVM_DEVICE: '/nonexistent/kvm' });
  t.ok(Date.now() - started < 30_000, 'within seconds');
  t.equal(r.exitCode, 1);
  t.match(r.stderr, /^oskit: --accel kvm: \/dev\/kvm does not exist$/m);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

qemuTest('CLI: --accel auto falls back to TCG with one notice', async (t) => {
  const r = await runCli(t, ['test', '--accel', 'auto', '--filter', 'lib', '--reporter', 'json'], { OSKIT_KVM_DEVICE: '/nonexistent/kvm' });
  t.equal(r.exitCode, 0, r.stderr);
  t.equal(r.stderr.match(/KVM unusable here/g)?.length, 1, 'exactly one notice line');
  t.match(r.stderr, /^oskit: accel tcg,/m);
  const json = JSON.parse(r.stdout) as { passed: boolean; accel: string };
  t.equal(json.passed, true);
  t.equal(json.accel, 'tcg');
});

qemuTest('API run: timeoutMs bounds the run (QEMU halted with -S never prints)', async (t) => {
  const started = Date.now();
  const run = await runKernelTests(project, { ...bootOptions, extraArgs: ['-S'], timeoutMs: 1_000 });
  t.ok(Date.now() - started < 15_000, 'stopped within seconds');
  t.notOk(run.passed);
  t.same(run.problems, ['stopped QEMU: the test run did not finish within 1 s (its bound)']);
  t.match(run.command, / -S$/, 'the extra QEMU argument reached QEMU');
});

qemuTest('CLI: oskit test -- QEMU-ARGS reaches QEMU (-M pc replaces q35)', async (t) => {
  const r = await runCli(t, ['test', '--accel', bootOptions.accel, '--filter', 'lib', '--reporter', 'json', '--', '-M', 'pc']);
  t.equal(r.exitCode, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { passed: boolean; qemuCommand: string };
  t.equal(json.passed, true);
  t.match(json.qemuCommand, /^qemu-system-x86_64 -M pc -cpu /, 'the machine type given after --');
  t.notMatch(json.qemuCommand, /q35/);
});

qemuTest('CLI: oskit test --reporter junit is well-formed JUnit XML of the run', async (t) => {
  const r = await runCli(t, ['test', '--accel', bootOptions.accel, '--filter', 'lib,pmm', '--reporter', 'junit']);
  t.equal(r.exitCode, 0, r.stderr);
  const root = parseXml(r.stdout);
  t.equal(root.tag, 'testsuites');
  const suites = root.children.filter((c) => c.tag === 'testsuite');
  t.same(suites.map((s) => s.attrs.name), ['lib', 'pmm']);
  t.equal(root.attrs.failures, '0');
  t.equal(root.attrs.errors, '0');
  const pmmCases = suites[1]!.children.filter((c) => c.tag === 'testcase').map((c) => c.attrs.name);
  t.ok(pmmCases.includes('exhaust_then_recover'), `pmm cases: ${pmmCases.join(', ')}`);
  t.equal(Number(root.attrs.tests), suites.reduce((n, s) => n + Number(s.attrs.tests), 0), 'totals add up');
});

qemuTest('CLI: oskit test --repeat 3: a fresh boot each, per-test counts, every log kept', async (t) => {
  const r = await runCli(t, ['test', '--accel', bootOptions.accel, '--filter', 'lib', '--repeat', '3', '--reporter', 'json']);
  t.equal(r.exitCode, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { passed: boolean; runs: number; passedRuns: number; tests: { name: string; passed: number }[] };
  t.equal(json.passed, true);
  t.equal(json.runs, 3);
  t.equal(json.passedRuns, 3);
  t.ok(json.tests.length >= 2 && json.tests.every((x) => x.passed === 3 && x.name.startsWith('lib.')), 'every lib case passed 3 of 3');
  const logs = [...r.stderr.matchAll(/^oskit: run (\d)\/3: passed, [\d.]+ s, log (build\/logs\/test-[\w-]+-run\1\.log)$/gm)].map((m) => m[2]!);
  t.equal(logs.length, 3, 'one line per run');
  t.equal(new Set(logs).size, 3, 'three logs');
  for (const log of logs) t.match(readFileSync(path.join(project.root, log), 'utf8'), /# ktest: \d+ passed, 0 failed/, `${log} is a whole run`);
});

qemuTest('API: --repeat counts failed runs and keeps going (QEMU halted with -S never prints)', async (t) => {
  const result = await repeatKernelTests(project, { ...bootOptions, filter: 'lib', repeat: 2, extraArgs: ['-S'], timeoutMs: 1_000 });
  t.equal(result.summary.runs, 2);
  t.equal(result.summary.passedRuns, 0);
  t.same(result.summary.failedRuns.map((f) => [f.run, f.problems]), [1, 2].map((n) => [n, ['stopped QEMU: the test run did not finish within 1 s (its bound)']]));
  t.same(result.summary.tests.map((x) => [x.name, x.passed, x.failed]), [['ktap', 0, 2]], 'no KTAP output in either run');
});

qemuTest('CLI: --raw and --repeat together are refused in one line', async (t) => {
  const r = await runCli(t, ['test', '--accel', 'tcg', '--repeat', '2', '--raw']);
  t.equal(r.exitCode, 1);
  t.match(r.stderr, /^oskit: --raw prints the serial log of one run; it cannot be combined with --repeat$/m);
  const bad = await runCli(t, ['test', '--repeat', 'lots']);
  t.equal(bad.exitCode, 1);
  t.match(bad.stderr, /^oskit: --repeat must be an integer from 1 to 100000 \(got "lots"\)$/m);
});
