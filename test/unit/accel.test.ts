import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { CACHE_TTL_MS, cpuModelFailed, decideAccel, kvmDeviceState, parseAccelRequest, PROBE_EXIT_STATUS, probeBootSector, probeFailure, readProbeCache } from '../../harness/vm/accel.js';
import { qemuArgs } from '../../harness/vm/qemu.js';
import { projectAt } from '../../harness/project.js';
import { tempDir } from './temp-dir.js';


const works = { works: true, reason: 'probe guest ran' };
const hangs = { works: false, reason: 'probe guest did not run within 4 s' };

t.test('tcg never probes', async (t) => {
  t.same(decideAccel('tcg', 'ok'), { kind: 'use', accel: 'tcg' });
  t.same(decideAccel('tcg', 'missing'), { kind: 'use', accel: 'tcg' });
});

t.test('auto', async (t) => {
  t.same(decideAccel('auto', 'ok'), { kind: 'probe' }, 'probes when /dev/kvm is usable');
  t.same(decideAccel('auto', 'ok', works), { kind: 'use', accel: 'kvm' });
  t.same(decideAccel('auto', 'ok', hangs), { kind: 'use', accel: 'tcg', notice: 'KVM unusable here (probe guest did not run within 4 s); using TCG' });
  const missing = decideAccel('auto', 'missing');
  t.equal(missing.kind, 'use');
  t.match(missing, { accel: 'tcg', notice: /\/dev\/kvm does not exist.*using TCG/ }, 'no probe without /dev/kvm');
  t.match(decideAccel('auto', 'no-access'), { kind: 'use', accel: 'tcg', notice: /not readable and writable/ });
});

t.test('KVM that runs the probe far slower than TCG', async (t) => {
  const slow = { works: true, reason: 'probe guest ran', kvmMs: 2567, tcgMs: 108 };
  t.same(decideAccel('auto', 'ok', slow), { kind: 'use', accel: 'tcg', notice: 'KVM unusable here (it runs the probe guest slower than TCG: 2.6 s against 0.1 s); using TCG' });
  t.match(decideAccel('kvm', 'ok', slow), { kind: 'error', message: /--accel kvm: KVM is not usable here .*2\.6 s against 0\.1 s/, hint: /--accel tcg/ }, 'an explicit kvm request fails with the measured reason');
  const fast = { works: true, reason: 'probe guest ran', kvmMs: 300, tcgMs: 110 };
  t.same(decideAccel('auto', 'ok', fast), { kind: 'use', accel: 'kvm' }, 'a healthy KVM boots the probe about as fast as TCG');
  t.same(decideAccel('auto', 'ok', { works: true, reason: 'probe guest ran', kvmMs: 3000 }), { kind: 'use', accel: 'kvm' }, 'no TCG time: no comparison');
});

t.test('kvm fails clearly', async (t) => {
  t.same(decideAccel('kvm', 'ok'), { kind: 'probe' });
  t.same(decideAccel('kvm', 'ok', works), { kind: 'use', accel: 'kvm' });
  t.match(decideAccel('kvm', 'ok', hangs), { kind: 'error', message: '--accel kvm: KVM does not run guests here (probe guest did not run within 4 s)', hint: /--accel tcg/ });
  t.match(decideAccel('kvm', 'missing'), { kind: 'error', message: /\/dev\/kvm does not exist/ });
});

t.test('probe boot sector', async (t) => {
  const s = probeBootSector();
  t.equal(s.length, 512);
  t.same([...s.subarray(0, 9)], [0xba, 0xf4, 0x00, 0xb0, 0x21, 0xee, 0xf4, 0xeb, 0xfd]);
  t.ok(s.subarray(9, 510).every((b) => b === 0));
  t.equal(s[510], 0x55);
  t.equal(s[511], 0xaa);
  t.equal(PROBE_EXIT_STATUS, 67);
});

t.test('verdict cache lasts ten minutes, for the same QEMU and KVM device', async (t) => {
  const project = projectAt(tempDir('oskit-accel-'));
  mkdirSync(project.buildDir, { recursive: true });
  const now = 1_000_000_000;
  const setup = '/usr/bin/qemu-system-x86_64 /dev/kvm';
  const write = (entry: object) => writeFileSync(path.join(project.buildDir, 'accel.json'), JSON.stringify({ setup, ...entry }));
  write({ works: true, reason: 'probe guest ran', kvmMs: 2000, tcgMs: 100, at: now - 5 });
  t.same(readProbeCache(project, now, setup), { works: true, reason: 'probe guest ran', kvmMs: 2000, tcgMs: 100 }, 'timings cached too');
  write({ works: true, reason: '-cpu host: failed to set MSR 0x10a to 0x69', cpu: 'host,-arch-capabilities', kvmMs: 300, at: now });
  t.same(readProbeCache(project, now, setup), { works: true, reason: '-cpu host: failed to set MSR 0x10a to 0x69', cpu: 'host,-arch-capabilities', kvmMs: 300 }, 'the CPU model too');
  write({ ...hangs, at: now });
  t.same(readProbeCache(project, now + 1000, setup), hangs);
  t.same(readProbeCache(project, now + CACHE_TTL_MS - 1, setup), hangs);
  t.equal(readProbeCache(project, now + CACHE_TTL_MS + 1, setup), undefined, 'expired');
  t.equal(readProbeCache(project, now, '/tmp/other/qemu-system-x86_64 /dev/kvm'), undefined, 'another QEMU: probe again');
  writeFileSync(path.join(project.buildDir, 'accel.json'), 'not json');
  t.equal(readProbeCache(project, now, setup), undefined, 'corrupt cache ignored');
});

const msr = 'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\nqemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs\' failed.\n';

t.test("the probe's failure in QEMU's words", async (t) => {
  const aborted = { ms: 30, timedOut: false, signal: 'SIGABRT', output: msr };
  t.equal(probeFailure(aborted), 'failed to set MSR 0x10a to 0x69', 'not "status unknown": what QEMU said');
  t.ok(cpuModelFailed(aborted), 'an MSR QEMU cannot set: another CPU model may run');
  t.equal(probeFailure({ ms: 4000, timedOut: true, output: '' }), 'probe guest did not run within 4 s');
  t.notOk(cpuModelFailed({ ms: 4000, timedOut: true, output: '' }));
  const noModule = { ms: 10, timedOut: false, exitCode: 1, output: 'Could not access KVM kernel module: Permission denied\nqemu-system-x86_64: failed to initialize kvm: Permission denied\n' };
  t.equal(probeFailure(noModule), 'failed to initialize kvm: Permission denied');
  t.notOk(cpuModelFailed(noModule), 'not a CPU model problem: no second try');
  t.equal(probeFailure({ ms: 10, timedOut: false, signal: 'SIGSEGV', output: '' }), 'QEMU was killed by SIGSEGV');
  t.equal(probeFailure({ ms: 10, timedOut: false, exitCode: 3, output: '' }), 'QEMU exited with status 3');
});

t.test('KVM only with the fallback CPU model: used, and the notice says why', async (t) => {
  const fallback = { works: true, reason: '-cpu host: failed to set MSR 0x10a to 0x69', cpu: 'host,-arch-capabilities', kvmMs: 120, tcgMs: 100 };
  t.same(decideAccel('auto', 'ok', fallback), { kind: 'use', accel: 'kvm', cpu: 'host,-arch-capabilities', notice: 'KVM with -cpu host,-arch-capabilities (-cpu host: failed to set MSR 0x10a to 0x69)' });
  t.same(decideAccel('kvm', 'ok', fallback), { kind: 'use', accel: 'kvm', cpu: 'host,-arch-capabilities', notice: 'KVM with -cpu host,-arch-capabilities (-cpu host: failed to set MSR 0x10a to 0x69)' });
  const neither = { works: false, reason: '-cpu host: failed to set MSR 0x10a to 0x69; -cpu host,-arch-capabilities: probe guest did not run within 4 s' };
  t.same(decideAccel('auto', 'ok', neither), { kind: 'use', accel: 'tcg', notice: `KVM unusable here (${neither.reason}); using TCG` });
  t.match(decideAccel('kvm', 'ok', neither), { kind: 'error', message: `--accel kvm: KVM does not run guests here (${neither.reason})` });
  t.same(qemuArgs({ accel: 'kvm', cpu: 'host,-arch-capabilities', smp: 1, memoryBytes: 64 << 20, iso: 'x.iso' }).slice(2, 4), ['-cpu', 'host,-arch-capabilities'], 'QEMU gets that model');
  t.same(qemuArgs({ accel: 'kvm', smp: 1, memoryBytes: 64 << 20, iso: 'x.iso' }).slice(2, 4), ['-cpu', 'host']);
});

t.test('device state and request parsing', async (t) => {
  t.equal(kvmDeviceState('/nonexistent/kvm'), 'missing');
  t.equal(parseAccelRequest('kvm'), 'kvm');
  t.throws(() => parseAccelRequest('hvf'), { message: '--accel must be auto, kvm or tcg (got "hvf")' });
});
