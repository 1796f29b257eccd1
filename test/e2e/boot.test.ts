// Boot the real ISO (TCG unless OSKIT_ACCEL says otherwise) and check what a
// user sees on the serial console, against DESIGN.md's contract.
import { GiB, MiB } from '../../harness/config/schema.js';
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

// The PMM counts every usable region: below 1 MiB, below the PCI hole and
// above 4 GiB. Firmware keeps about 520 KiB for itself at every size here
// (BIOS areas, ACPI tables); 4 MiB of slack allows for other firmware.
const SLACK = 4 * MiB;
for (const mem of ['128M', '1G', '4G', '16G', '20G']) {
  qemuTest(`-m ${mem}: usable memory within (${mem} - 4 MiB, ${mem}]`, async (t) => {
    const session = await prepareSession(project, { ...bootOptions, mem });
    const total = session.config.memoryBytes;
    const { console: vm, args } = startConsole(session, { logName: `e2e-mem-${mem}.log` });
    t.ok(args.join(' ').includes(`-m ${total / MiB}M`), 'QEMU gets the requested size');
    try {
      const pmm = await vm.expect(PMM_LINE, session.config.bootTimeoutMs);
      const bytes = Number(pmm[1]) * 1024;
      t.ok(bytes > total - SLACK, `usable ${pmm[1]} KiB > ${mem} - 4 MiB`);
      t.ok(bytes <= total, `usable ${pmm[1]} KiB <= ${mem}`);
      await vm.expect(/oskit ready/, session.config.bootTimeoutMs);
    } finally {
      await vm.kill();
    }
  });
}

// The exception reports themselves: crash.test.ts.

qemuTest('oskit run --cmdline crash=pf exits 37', async (t) => {
  const r = await runCli(t, ['run', '--accel', bootOptions.accel, '--cmdline', 'crash=pf']);
  t.equal(r.exitCode, 37, r.stderr);
  t.match(r.stdout, /EXCEPTION:/);
  t.match(r.stderr, /^oskit: accel tcg|^oskit: accel kvm/m, 'header names the accelerator');
});
