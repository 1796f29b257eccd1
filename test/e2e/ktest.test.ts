// `oskit test` against the real kernel: every suite passes, the TAP output
// is well formed, and the CLI's accelerator handling is honest.
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { allPassed, parseKtap, summarize } from '../../harness/report/ktap.js';
import { toTap } from '../../harness/report/tap.js';
import { runKernelTests } from '../../harness/vm/ktest.js';
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
