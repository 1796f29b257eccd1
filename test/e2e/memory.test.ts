// Large guests: every suite passes at 20 GiB without the host backing the
// guest's RAM (the pmm suite once wrote into every free page, so QEMU's
// resident memory grew to the whole 20 GiB and each first touch was a host
// page fault: a minute of silence), long cases print progress, and a size
// the host cannot give is refused in one line.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import tap from 'tap';
import { GiB } from '../../harness/config/schema.js';
import { allPassed, parseKtap } from '../../harness/report/ktap.js';
import { prepareSession, startConsole } from '../../harness/vm/session.js';
import { bootOptions, project, qemuTest, runCli } from './helpers.js';

/** Peak resident memory of a process (VmHWM), in bytes; undefined once it has exited (a zombie's status has no VmHWM). */
function peakRss(pid: number): number | undefined {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : undefined;
}

qemuTest('-m 20G: every suite passes, and QEMU never holds more than 2 GiB of host memory', async (t) => {
  const session = await prepareSession(project, { ...bootOptions, mem: '20G' });
  const { console: vm } = startConsole(session, { cmdlineExtra: 'ktest', logName: 'e2e-mem-20G-ktest.log' });
  // QEMU's peak RSS, read while it runs (VmHWM only grows; the last read is
  // within a quarter second of the end of a run that takes seconds).
  let peak = 0;
  const sample = () => {
    try {
      peak = Math.max(peak, peakRss(vm.pid) ?? 0);
    } catch {
      // QEMU has exited
    }
  };
  const sampler = setInterval(sample, 250);
  vm.onLine((line) => {
    if (/^# ktest: /.test(line)) sample();
  });
  // A bound for hangs only: the silence watchdog's 60 s, twice over for a loaded host.
  const timer = setTimeout(() => void vm.kill(), 300_000);
  const exit = await vm.waitExit();
  clearTimeout(timer);
  clearInterval(sampler);
  const result = parseKtap(vm.output);
  t.same(exit, { status: 33, signal: null }, 'the kernel reported success');
  t.ok(allPassed(result), 'every suite passed');
  const pmm = result.tests.find((s) => s.name === 'pmm');
  const exhaust = pmm?.children.find((c) => c.name === 'exhaust_then_recover');
  t.equal(exhaust?.status, 'pass');
  const cost = exhaust?.diagnostics.find((d) => /\d+ pages: alloc \d+ ns\/page/.test(d)) ?? '';
  t.match(cost, /^exhaust_then_recover: (\d+) pages: alloc/, 'the case reports the pages it took and their cost');
  t.ok(Number(/: (\d+) pages/.exec(cost)?.[1]) > 5_000_000, 'more than 5 million pages taken and given back');
  t.ok(peak > 0 && peak < 2 * GiB, `QEMU peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB for a 20 GiB guest`);
});

const REFUSED = '--mem 64G on a host that cannot give it: one line that says so';
if (os.totalmem() >= 48 * GiB) tap.test(REFUSED, { skip: 'this host may have the memory for a 64 GiB guest' }, () => {});
else qemuTest(REFUSED, async (t) => {
  const r = await runCli(t, ['test', '--accel', 'tcg', '--mem', '64G', '--filter', 'lib', '--reporter', 'json']);
  t.equal(r.exitCode, 1);
  t.equal(r.stderr.match(/^oskit: the host cannot give QEMU 64G of guest RAM \(QEMU: cannot set up guest memory 'pc\.ram': Cannot allocate memory\)$/gm)?.length, 1, r.stderr);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
