// The kernel under KVM, when this machine's KVM runs guests at all.
//
// TCG does not model everything a real CPU does: it never sets a segment
// descriptor's Accessed bit, and QEMU 7.2's TCG has no x2APIC. Under KVM the
// AP trampoline once triple-faulted on exactly that (a descriptor write into a
// read-only page) while every TCG test passed. So the SMP suites also run
// under KVM here, with -cpu host (x2APIC where the host has it), even where
// KVM is too slow for `--accel auto` to choose it. Without a working KVM the
// test is skipped, with the reason.
import { cachedProbe } from '../../harness/vm/accel.js';
import { prepare } from '../../harness/build/pipeline.js';
import { startConsole, type Session } from '../../harness/vm/session.js';
import { isFailure, parseKtap, type TestNode } from '../../harness/report/ktap.js';
import tap from 'tap';
import { project, qemuTest } from './helpers.js';

// Measured here: 24 s (KVM without hardware nesting emulates a lot); a host
// with real KVM takes about a second.
const BOUND_MS = 120_000;

const NAME = 'SMP suites on 2 CPUs under KVM (x2APIC when the host CPU has it)';
const probe = await cachedProbe(project);
if (!probe.works) tap.test(NAME, { skip: `KVM does not run guests here: ${probe.reason}` }, () => {});
else qemuTest(NAME, async (t) => {
  const prepared = await prepare(project, { iso: true, quiet: true, smp: '2' });
  const session: Session = { project, config: prepared.config, accel: 'kvm', ...(probe.cpu ? { cpu: probe.cpu } : {}), iso: prepared.iso! };
  const { console: vm } = startConsole(session, { cmdlineExtra: 'ktest=smp,ipi,spinlock', logName: 'e2e-kvm-smp.log' });
  let exit;
  try {
    await vm.expect(/# ktest: \d+ passed/, BOUND_MS);
    exit = await vm.waitExit();
  } finally {
    await vm.kill();
  }
  t.equal(exit?.status, 33, 'QEMU exits with the success status (isa-debug-exit 0x10)');
  t.match(vm.output, /smp: CPUs online: 2 \/ 2/, 'both CPUs online');
  t.match(vm.output, /apic: local APIC in (x2APIC|xAPIC) mode/, 'the local APIC mode is reported');
  const result = parseKtap(vm.output);
  const cases = (nodes: TestNode[]): TestNode[] => nodes.flatMap((n) => (n.children.length ? cases(n.children) : [n]));
  const all = cases(result.tests);
  t.same(all.filter((c) => isFailure(c.status)).map((c) => c.name), [], 'no case failed');
  t.same(result.tests.map((s) => s.name), ['ipi', 'smp', 'spinlock'], 'the three suites ran');
  t.ok(all.filter((c) => c.status === 'pass').length >= 10, 'their cases passed');
});
