// SMP end to end: the kernel's suites under 1, 2, 4 and 8 CPUs, a machine
// without ACPI tables (one CPU), and a panic with 4 CPUs (the others are
// stopped, so exactly one report). Every run is bounded by the harness itself
// (it kills QEMU and reports a timeout), at three times the slowest of nine
// measured runs under TCG on this 2-core machine (another QEMU sometimes
// running beside them): QEMU time only, the build is not counted.
import type { Test } from 'tap';
import { extractCrashReport, runKernelTests, type TestRun } from '../../harness/vm/ktest.js';
import { prepareSession, startConsole } from '../../harness/vm/session.js';
import { bootOptions, project, qemuTest } from './helpers.js';

// A bound catches a hang; it measures nothing (speed is `oskit bench`'s job),
// so none is below 15 s, whatever a quiet machine needs.
const FLOOR_MS = 15_000;
const bound = (ms: number) => Math.max(ms, FLOOR_MS);
/** Measured slowest: smp 1 2.9 s, smp 2 4.6 s, smp 4 7.3 s, smp 8 11.2 s. */
const BOUND_MS: Record<number, number> = { 1: bound(9_000), 2: bound(14_000), 4: bound(22_000), 8: bound(34_000) };
/** Measured slowest 1.5 s. */
const NO_ACPI_BOUND_MS = bound(5_000);
/** Measured slowest 0.6 s from QEMU spawn to its exit. */
const PANIC_BOUND_MS = bound(2_000);

const TICKS_LINE = /^\[\s*\d+\.\d{3}\] timer: ticks per CPU: (.*)$/gm;

/** The per-CPU tick counts from the kernel's `timer: ticks per CPU: 0:<a> 1:<b> ...` log line. */
function ticksPerCpu(t: Test, output: string): Array<[number, number]> | undefined {
  const lines = [...output.matchAll(TICKS_LINE)];
  t.equal(lines.length, 1, 'one "timer: ticks per CPU" log line');
  if (lines.length === 0) return undefined;
  const entries = lines[0]![1]!.trim().split(/\s+/);
  const parsed = entries.map((e) => /^(\d+):(\d+)$/.exec(e));
  t.ok(parsed.every((m) => m !== null), `every entry is <cpu>:<ticks> (${lines[0]![1]})`);
  return parsed.filter((m) => m !== null).map((m) => [Number(m[1]), Number(m[2])]);
}

/** Every suite passed, N of N CPUs came up, and each of them took timer ticks. */
function checkSmpRun(t: Test, run: TestRun, cpus: number, online = cpus): void {
  t.same(run.problems, [], 'no problems');
  t.equal(run.exit.status, 33, 'QEMU exit 33 (isa-debug-exit 0x10)');
  t.ok(run.passed, `every suite passed (log: ${run.logFile})`);
  t.ok(run.result.tests.length >= 2, `${run.result.tests.length} suites ran`);
  t.same(run.result.tests.filter((s) => s.status !== 'pass').map((s) => `${s.name}:${s.status}`), [], 'every suite passes');
  t.match(run.output, new RegExp(`^\\[\\s*\\d+\\.\\d{3}\\] smp: CPUs online: ${online} / ${online}$`, 'm'), `smp: CPUs online: ${online} / ${online}`);
  const ticks = ticksPerCpu(t, run.output);
  if (!ticks) return;
  t.equal(ticks.length, online, `${online} tick counts`);
  t.same(ticks.map(([id]) => id), [...Array(online).keys()], `CPU ids 0..${online - 1}`);
  t.ok(ticks.every(([, n]) => n > 0), 'every CPU took ticks');
  t.comment(`smp ${cpus}${online !== cpus ? ` (${online} online)` : ''}: ${(run.durationMs / 1000).toFixed(1)} s, ticks ${ticks.map(([id, n]) => `${id}:${n}`).join(' ')}`);
}

for (const cpus of [1, 2, 4]) {
  qemuTest(`smp ${cpus}: every suite passes, ${cpus} CPUs online, each takes timer ticks`, async (t) => {
    const run = await runKernelTests(project, { ...bootOptions, smp: cpus, timeoutMs: BOUND_MS[cpus]! });
    t.equal(run.session.config.cpus, cpus, `-smp ${cpus}`);
    checkSmpRun(t, run, cpus);
  });
}

qemuTest('smp 8: every suite passes, 8 CPUs online, each takes timer ticks', async (t) => {
  const run = await runKernelTests(project, { ...bootOptions, smp: 8, timeoutMs: BOUND_MS[8]! });
  t.equal(run.session.config.cpus, 8, '-smp 8');
  checkSmpRun(t, run, 8);
});

qemuTest('no ACPI (-M pc,acpi=off, 4 vCPUs): one CPU, every suite passes, the I/O APIC and IPI cases skip', async (t) => {
  const run = await runKernelTests(project, { ...bootOptions, smp: 4, extraArgs: ['-M', 'pc,acpi=off'], timeoutMs: NO_ACPI_BOUND_MS });
  t.match(run.command, / -M pc,acpi=off /, 'the machine override reached QEMU');
  t.equal(run.command.match(/ -M /g)?.length, 1, 'and replaced q35 (one -M)');
  t.match(run.output, /acpi: no valid RSDP found/, 'the kernel found no ACPI tables');
  checkSmpRun(t, run, 4, 1);
  const skipped = run.result.tests.flatMap((s) => s.children.filter((c) => c.status === 'skip').map((c) => `${s.name}.${c.name}: ${c.reason ?? ''}`));
  t.ok(skipped.some((n) => /^smp\.legacy_irq_routed_through_ioapic: /.test(n)), 'the I/O APIC routing case skips');
  t.ok(skipped.some((n) => /^ipi\.ping_pong_between_pairs: /.test(n)), 'the IPI ping-pong case skips');
  // The acpi suite's check of the machine's own tables has nothing to check
  // here, and the ACPI PM timer is found through ACPI's FADT.
  t.same(skipped.map((n) => n.replace(/:.*/, '')).sort(), ['acpi.machine_tables', 'clock.pm_timer_is_monotonic', 'clock.tsc_rate_matches_pm_timer', 'ipi.ping_pong_between_pairs', 'sched.idle_cpus_take_waiting_threads', 'smp.legacy_irq_routed_through_ioapic'], `only those, acpi.machine_tables, the PM timer cases and the migration case skip (${skipped.join('; ')})`);
});

qemuTest('crash=panic with 4 CPUs: QEMU exit 37, one report (the other CPUs were stopped)', async (t) => {
  const session = await prepareSession(project, { ...bootOptions, smp: 4 });
  const { console: vm } = startConsole(session, { cmdlineExtra: 'crash=panic', logName: 'e2e-smp-panic.log' });
  let exit;
  try {
    const bound = setTimeout(() => void vm.kill(), PANIC_BOUND_MS);
    try {
      exit = await vm.waitExit();
    } finally {
      clearTimeout(bound);
    }
  } finally {
    await vm.kill();
  }
  t.comment(`crash=panic, smp 4: QEMU ran ${((Date.now() - vm.startedAt) / 1000).toFixed(1)} s`);
  t.same(exit, { status: 37, signal: null }, `the kernel left QEMU through isa-debug-exit 0x12 within ${PANIC_BOUND_MS / 1000} s`);
  t.match(vm.output, /smp: CPUs online: 4 \/ 4/, 'four CPUs were up');
  t.equal(vm.output.match(/KERNEL PANIC:/g)?.length ?? 0, 1, 'exactly one KERNEL PANIC: line');
  t.equal(vm.output.match(/end of report/g)?.length ?? 0, 1, 'exactly one end of report line');
  const report = extractCrashReport(vm.output);
  t.match(report?.[0] ?? '', /^KERNEL PANIC: /, 'the report starts at the panic line');
  t.match(report?.at(-1) ?? '', /end of report/, 'and runs to its end uninterrupted');
  t.ok(report?.every((l) => !/^\[\s*\d+\.\d{3}\]/.test(l)), 'no log line from another CPU inside the report');
});

qemuTest('a CPU that never starts is reported after its timeout and the others still start', async (t) => {
  // smp_test_dead_cpu puts a nonexistent APIC id before the real AP.
  const session = await prepareSession(project, { ...bootOptions, smp: 2 });
  const { console: vm } = startConsole(session, { cmdlineExtra: 'smp_test_dead_cpu=9', logName: 'e2e-smp-dead-cpu.log' });
  try {
    await vm.expect(/oskit ready/, bound(5_000));
  } finally {
    await vm.kill();
  }
  const out = vm.output;
  const dead = out.search(/smp: CPU with APIC id 9 did not start within \d+ ms; going on without it/);
  const online = out.search(/smp: CPUs online: 2 \/ 3/);
  t.ok(dead >= 0, 'the dead CPU is reported');
  t.ok(online > dead, 'then the real AP comes up: 2 of 3 CPUs online');
  t.notMatch(out, /KERNEL PANIC|EXCEPTION:/, 'no crash');
});
