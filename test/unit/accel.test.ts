import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { CACHE_TTL_MS, decideAccel, kvmDeviceState, parseAccelRequest, PROBE_EXIT_STATUS, probeBootSector, readProbeCache } from '../../harness/vm/accel.js';
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

t.test('verdict cache lasts ten minutes', async (t) => {
  const project = projectAt(tempDir('oskit-accel-'));
  mkdirSync(project.buildDir, { recursive: true });
  const now = 1_000_000_000;
  writeFileSync(path.join(project.buildDir, 'accel.json'), JSON.stringify({ works: true, reason: 'probe guest ran', kvmMs: 2000, tcgMs: 100, at: now - 5 }));
  t.same(readProbeCache(project, now), { works: true, reason: 'probe guest ran', kvmMs: 2000, tcgMs: 100 }, 'timings cached too');
  writeFileSync(path.join(project.buildDir, 'accel.json'), JSON.stringify({ ...hangs, at: now }));
  t.same(readProbeCache(project, now + 1000), hangs);
  t.same(readProbeCache(project, now + CACHE_TTL_MS - 1), hangs);
  t.equal(readProbeCache(project, now + CACHE_TTL_MS + 1), undefined, 'expired');
  writeFileSync(path.join(project.buildDir, 'accel.json'), 'not json');
  t.equal(readProbeCache(project, now), undefined, 'corrupt cache ignored');
});

t.test('device state and request parsing', async (t) => {
  t.equal(kvmDeviceState('/nonexistent/kvm'), 'missing');
  t.equal(parseAccelRequest('kvm'), 'kvm');
  t.throws(() => parseAccelRequest('hvf'), { message: '--accel must be auto, kvm or tcg (got "hvf")' });
});
