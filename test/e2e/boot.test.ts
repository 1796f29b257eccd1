// Boot the real ISO (TCG unless OSKIT_ACCEL says otherwise) and check what a
// user sees on the serial console, against DESIGN.md's contract.
import { GiB, MiB } from '../../harness/config/schema.js';
import { loadSymbolizer, symbolizeLines } from '../../harness/report/symbolize.js';
import { extractCrashReport } from '../../harness/vm/ktest.js';
import { prepareSession, startConsole } from '../../harness/vm/session.js';
import { bootOptions, project, qemuTest, runCli } from './helpers.js';

const PMM_LINE = /pmm: usable (\d+) KiB in (\d+) regions?/;

qemuTest('boot log: memory totals and the ready line', async (t) => {
  const session = await prepareSession(project, bootOptions);
  const { console: vm } = startConsole(session, { logName: 'e2e-boot.log' });
  try {
    const pmm = await vm.expect(PMM_LINE, session.config.bootTimeoutMs);
    const usableKiB = Number(pmm[1]);
    t.ok(usableKiB * 1024 > session.config.memoryBytes - 64 * MiB, `usable ${usableKiB} KiB is most of the configured RAM`);
    t.ok(usableKiB * 1024 <= session.config.memoryBytes, 'and no more than it');
    t.ok(Number(pmm[2]) >= 1, 'at least one region');
    await vm.expect(/oskit ready/, session.config.bootTimeoutMs);
    t.match(vm.output, /^\[\s*\d+\.\d{3}\] \w+: /m, 'timestamped log lines');
    t.notMatch(vm.output, /KERNEL PANIC|EXCEPTION:/);
  } finally {
    const exit = await vm.kill();
    t.ok(exit.status === null || exit.status === 33, 'QEMU ended by the harness (or a clean poweroff)');
  }
});

qemuTest('-m 16G: usable memory within (16 GiB - 64 MiB, 16 GiB]', async (t) => {
  const session = await prepareSession(project, { ...bootOptions, mem: '16G' });
  t.equal(session.config.memoryBytes, 16 * GiB);
  const { console: vm, args } = startConsole(session, { logName: 'e2e-16g.log' });
  t.ok(args.join(' ').includes('-m 16384M'));
  try {
    const pmm = await vm.expect(PMM_LINE, session.config.bootTimeoutMs);
    const bytes = Number(pmm[1]) * 1024;
    t.ok(bytes > 16 * GiB - 64 * MiB, `usable ${pmm[1]} KiB > 16 GiB - 64 MiB`);
    t.ok(bytes <= 16 * GiB, `usable ${pmm[1]} KiB <= 16 GiB`);
  } finally {
    await vm.kill();
  }
});

qemuTest('crash=pf: an EXCEPTION report with a symbolised backtrace, QEMU exit 37', async (t) => {
  const session = await prepareSession(project, bootOptions);
  const { console: vm } = startConsole(session, { cmdlineExtra: 'crash=pf', logName: 'e2e-crash.log' });
  let exit;
  try {
    await vm.expect(/end of report/, session.config.bootTimeoutMs);
    exit = await Promise.race([
      vm.waitExit(),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 15_000).unref()),
    ]);
  } finally {
    await vm.kill();
  }
  t.same(exit, { status: 37, signal: null }, 'the kernel left QEMU through isa-debug-exit 0x12');
  const report = extractCrashReport(vm.output);
  t.ok(report, 'a crash report was printed');
  t.match(report![0], /^EXCEPTION: .*(#PF|page fault)/i);
  const symbolised = symbolizeLines(report!, loadSymbolizer(project.kernelElf));
  const frames = symbolised.filter((l) => /^\s*#\d+ 0x[0-9a-f]{16}/.test(l));
  t.ok(frames.length >= 1, 'backtrace frames printed');
  t.match(frames[0], /^\s*#0 0x[0-9a-f]{16} .+\+0x[0-9a-f]+$/, 'frame #0 resolves to a kernel function');
  t.ok(frames.every((f) => /\+0x[0-9a-f]+$/.test(f)), 'every frame resolves');
});

qemuTest('oskit run --cmdline crash=pf exits 37', async (t) => {
  const r = await runCli(t, ['run', '--accel', bootOptions.accel, '--cmdline', 'crash=pf']);
  t.equal(r.exitCode, 37, r.stderr);
  t.match(r.stdout, /EXCEPTION:/);
  t.match(r.stderr, /^oskit: accel tcg|^oskit: accel kvm/m, 'header names the accelerator');
});
