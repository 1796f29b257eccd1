// `oskit bench sys`: bench-sys's lines, the comparison table and its targets,
// and the Linux side (ar/.deb unpacking, the bzImage version, the initramfs,
// QEMU's arguments), all without QEMU.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { readCpio, S_IFDIR, S_IFMT, S_IFREG } from '../../harness/image/cpio.js';
import { bzImageVersion, imagePackageFromDepends, LINUX_CMDLINE, linuxInitramfs, linuxQemuArgs, parseAr, tarDecompressFlag, unpackKernelFromDeb } from '../../harness/bench/linux.js';
import { checkSysRun, parseSysBench, parseSysLine, SYS_METRICS } from '../../harness/bench/sys-parse.js';
import { BOOT_ROW, formatNs, formatSysTable, metricMedian, missedTargets, sysJson, sysRows, type SysReport, type SysRun } from '../../harness/bench/sys-report.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'bench');
const load = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');

t.test('a sample line', async (t) => {
  t.same(parseSysLine('bench sys: getpid median_ns=590 min_ns=583 max_ns=32876 iters=100'), { metric: 'getpid', medianNs: 590, minNs: 583, maxNs: 32876, iters: 100 });
  t.same(parseSysLine('bench sys: getpid median_ns=590 min_ns=583 max_ns=32876 iters=100\r')?.iters, 100, 'a CR is allowed');
  t.equal(parseSysLine('bench sys: getpid median_ns=x min_ns=583 max_ns=32876 iters=100'), undefined);
  t.equal(parseSysLine('bench sys: start'), undefined);
});

t.test("a Linux guest's log (bench-sys as /init, quiet)", async (t) => {
  const p = parseSysBench(load('sys-linux-tcg.log'));
  t.equal(p.startAt, 0);
  t.ok(p.done);
  t.same(p.samples.map((s) => s.metric), [...SYS_METRICS]);
  t.equal(p.samples[3]!.medianNs, 80860, 'pipe_pingpong');
  t.same(checkSysRun(p, 100), []);
  t.same(checkSysRun(p, 50).length, SYS_METRICS.length, 'the wrong sample count is one problem per metric');
});

t.test("oskit's log (boot log, then the program as PID 1)", async (t) => {
  const text = load('sys-oskit-tcg.log');
  const p = parseSysBench(text);
  t.ok(p.startAt! > 0, 'after the boot log');
  t.match(text.slice(0, p.startAt), /init: running \/bin\/bench-sys/);
  t.ok(p.done);
  t.same(checkSysRun(p, 100), []);
});

t.test('incomplete and failed runs are problems', async (t) => {
  t.same(checkSysRun(parseSysBench('')), ['no "bench sys: start" line', ...SYS_METRICS.map((m) => `${m}: 0 result lines (want 1)`), 'no "bench sys: done" line']);
  const failed = parseSysBench('bench sys: start\nbench sys: getpid median_ns=5 min_ns=4 max_ns=6 iters=1\nbench sys: error: fork_exit_wait: fork: Resource temporarily unavailable\n');
  t.equal(failed.error, 'fork_exit_wait: fork: Resource temporarily unavailable');
  t.match(checkSysRun(failed), ['bench-sys failed: fork_exit_wait: fork: Resource temporarily unavailable']);
  t.notOk(checkSysRun(failed).includes('no "bench sys: done" line'), 'an error explains the missing done line');
  const disordered = parseSysBench('bench sys: start\nbench sys: getpid median_ns=9 min_ns=10 max_ns=11 iters=1\n');
  t.match(checkSysRun(disordered).join('\n'), /getpid: min 10 <= median 9 <= max 11 does not hold/);
});

const sample = (metric: string, medianNs: number) => ({ metric, medianNs, minNs: medianNs, maxNs: medianNs, iters: 10 });
const run = (bootMs: number, values: Record<string, number>): SysRun => ({ bootMs, samples: Object.entries(values).map(([m, v]) => sample(m, v)) });
const all = (v: number) => Object.fromEntries(SYS_METRICS.map((m) => [m, v]));

t.test('medians over boots, ratios and targets', async (t) => {
  const oskit = [run(500, { ...all(100), getpid: 300 }), run(700, { ...all(300), getpid: 500 }), run(600, { ...all(200), getpid: 400 })];
  const linux = [run(8000, { ...all(200), getpid: 400, fork_exec_wait: 1000 }), run(6000, { ...all(200), getpid: 400, fork_exec_wait: 1000 })];
  t.equal(metricMedian(oskit, 'getpid'), 400);
  t.equal(metricMedian(oskit, BOOT_ROW), 600e6, 'the boot row in ns');
  t.equal(metricMedian(linux, BOOT_ROW), 7000e6, 'even count: the mean of the middle two');
  const report: SysReport = { accel: 'tcg', cpu: 'max', guestCpus: 4, memory: '512M', hostCores: 2, iters: 10, oskit: { kernel: 'build/kernel.elf', version: '0.1.0', runs: oskit }, linux: { kernel: '/k', version: '6.1.0-56-amd64', runs: linux }, linuxSource: 'test' };
  const rows = sysRows(report);
  t.same(rows.map((r) => r.metric), [BOOT_ROW, ...SYS_METRICS]);
  const by = Object.fromEntries(rows.map((r) => [r.metric, r]));
  t.equal(by.getpid!.ratio, 1);
  t.equal(by.getpid!.met, true, 'equal to Linux is "no slower"');
  t.equal(by.fork_exec_wait!.ratio, 0.2);
  t.equal(by.fork_exec_wait!.met, true);
  t.equal(by[BOOT_ROW]!.met, true, '600 ms <= 700 ms');
  t.equal(by.page_fault!.target, undefined, 'no target, no verdict');
  t.equal(by.pipe_pingpong!.met, true);

  const slow = { ...report, oskit: { ...report.oskit, runs: [run(900, { ...all(400), getpid: 800, fork_exec_wait: 600 })] } };
  const missed = missedTargets(sysRows(slow));
  t.same(missed.map((m) => m.split(':')[0]), [BOOT_ROW, 'getpid', 'fork_exec_wait', 'pipe_pingpong']);
  t.equal(missed[1], 'getpid: oskit 800 ns vs Linux 400 ns (2.00x); the target (no slower than Linux) wants <= 400 ns, 2.0x off');

  const table = formatSysTable(slow);
  t.match(table, /^bench sys: accel tcg, -cpu max, 4 guest CPUs, 512M RAM, host 2 cores, 1 boot of each kernel \(alternating\), 10 samples per metric per boot\n  oskit 0\.1\.0; Linux 6\.1\.0-56-amd64 \(test\)\n/);
  t.match(table, /^metric\s+oskit\s+Linux\s+oskit\/Linux\s+target$/m);
  t.match(table, /^getpid\s+800 ns\s+400 ns\s+2\.00x\s+MISSED \(<= 1x\)$/m);
  t.match(table, /^boot_to_init\s+900\.0 ms\s+7\.00 s\s+0\.13x\s+MISSED \(<= 0\.1x\)$/m);
  t.match(table, /^missed: getpid: /m);

  const json = JSON.parse(sysJson(report)) as { rows: Array<{ metric: string; ratio: number; met?: boolean }>; linux: { version: string }; missed: string[] };
  t.equal(json.linux.version, '6.1.0-56-amd64');
  t.same(json.rows.find((r) => r.metric === 'fork_exec_wait'), { metric: 'fork_exec_wait', oskitNs: 200, linuxNs: 1000, ratio: 0.2, target: { maxRatio: 0.5, text: "at most half of Linux's" }, met: true });
  t.same(json.missed, []);
});

t.test('oskit alone: no Linux columns', async (t) => {
  const report: SysReport = { accel: 'tcg', cpu: 'max', guestCpus: 1, memory: '512M', hostCores: 2, iters: 10, oskit: { kernel: 'k', version: '0.1.0', runs: [run(500, all(100))] } };
  const table = formatSysTable(report);
  t.match(table, /^metric\s+oskit$/m);
  t.notMatch(table, /Linux/);
  t.notOk('linux' in JSON.parse(sysJson(report)));
});

t.test('durations for people', async (t) => {
  t.equal(formatNs(447), '447 ns');
  t.equal(formatNs(13_300), '13.3 us');
  t.equal(formatNs(4_520_000), '4.52 ms');
  t.equal(formatNs(716_500_000), '716.5 ms');
  t.equal(formatNs(8e9), '8.00 s');
  t.equal(formatNs(NaN), '-');
});

/** An ar archive as GNU ar writes it. */
function ar(members: Array<[string, Buffer]>): Buffer {
  const parts: Buffer[] = [Buffer.from('!<arch>\n')];
  for (const [name, data] of members) {
    const h = `${`${name}/`.padEnd(16)}${'0'.padEnd(12)}${'0'.padEnd(6)}${'0'.padEnd(6)}${'100644'.padEnd(8)}${String(data.length).padEnd(10)}\`\n`;
    parts.push(Buffer.from(h, 'latin1'), data);
    if (data.length % 2) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

t.test('ar archives (.deb)', async (t) => {
  const a = ar([['debian-binary', Buffer.from('2.0\n')], ['odd', Buffer.from('abc')], ['data.tar.xz', Buffer.from('xyz!')]]);
  const m = parseAr(a);
  t.same(m.map((x) => x.name), ['debian-binary', 'odd', 'data.tar.xz']);
  t.equal(Buffer.from(m[1]!.data).toString(), 'abc', 'odd sizes are padded');
  t.equal(Buffer.from(m[2]!.data).toString(), 'xyz!');
  t.throws(() => parseAr(Buffer.from('hello')), /not an ar archive/);
  t.throws(() => parseAr(a.subarray(0, a.length - 3)), /runs past the end/);
  const bad = Buffer.from(a);
  bad[8 + 58] = 0x41;
  t.throws(() => parseAr(bad), /bad header terminator at offset 8/);
  t.equal(tarDecompressFlag('data.tar.xz'), '-J');
  t.equal(tarDecompressFlag('data.tar.zst'), '--zstd');
  t.equal(tarDecompressFlag('data.tar'), '');
  t.throws(() => tarDecompressFlag('data.tar.lz'), /unknown compression/);
});

/** A file with the x86 setup header of a bzImage and a version string. */
function fakeBzImage(version: string): Buffer {
  const b = Buffer.alloc(0x400);
  b.write('HdrS', 0x202, 'latin1');
  b.writeUInt16LE(0x300 - 0x200, 0x20e);
  b.write(`${version}\0`, 0x300, 'latin1');
  return b;
}

t.test("a bzImage's version (boot protocol: HdrS, kernel_version)", async (t) => {
  t.equal(bzImageVersion(fakeBzImage('6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2')), '6.1.0-56-amd64');
  t.equal(bzImageVersion(Buffer.alloc(0x400)), undefined, 'no HdrS');
  t.equal(bzImageVersion(Buffer.alloc(16)), undefined, 'too short');
});

t.test('the versioned package behind linux-image-amd64', async (t) => {
  t.equal(imagePackageFromDepends('linux-image-amd64\n  Depends: linux-image-6.1.0-56-amd64\n'), 'linux-image-6.1.0-56-amd64');
  t.equal(imagePackageFromDepends('W: no such package\n'), undefined);
});

function hasXz(): boolean {
  try {
    execFileSync('xz', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

t.test('a .deb is unpacked without installing it (ar here, tar -J for data.tar.xz)', { skip: hasXz() ? false : 'xz is not installed' }, async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oskit-deb-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const tree = path.join(dir, 'tree');
  execFileSync('mkdir', ['-p', path.join(tree, 'boot'), path.join(tree, 'lib')]);
  const image = fakeBzImage('6.1.0-99-amd64 #1');
  writeFileSync(path.join(tree, 'boot', 'vmlinuz-6.1.0-99-amd64'), image);
  writeFileSync(path.join(tree, 'boot', 'config-6.1.0-99-amd64'), 'CONFIG_X=y\n');
  writeFileSync(path.join(tree, 'lib', 'other'), 'x');
  const data = execFileSync('tar', ['-cJ', '-C', tree, '.']);
  const deb = path.join(dir, 'linux-image-test.deb');
  writeFileSync(deb, ar([['debian-binary', Buffer.from('2.0\n')], ['control.tar.xz', Buffer.from('')], ['data.tar.xz', data]]));
  const out = path.join(dir, 'out');
  execFileSync('mkdir', ['-p', out]);
  const kernel = await unpackKernelFromDeb(deb, out);
  t.equal(kernel, path.join(out, 'vmlinuz-6.1.0-99-amd64'));
  t.same(readFileSync(kernel), image, 'byte for byte');
  t.same(execFileSync('ls', ['-A', out], { encoding: 'utf8' }), 'vmlinuz-6.1.0-99-amd64\n', 'only the kernel is left');
  writeFileSync(deb, ar([['debian-binary', Buffer.from('2.0\n')]]));
  await t.rejects(unpackKernelFromDeb(deb, out), /has no data.tar member/);
});

t.test("the Linux guest's initramfs and QEMU arguments", async (t) => {
  const init = Buffer.from('\x7fELF bench');
  const binTrue = Buffer.from('\x7fELF true');
  const records = readCpio(linuxInitramfs(init, binTrue));
  t.same(records.map((r) => r.path), ['bin', 'bin/true', 'dev', 'init', 'tmp']);
  const initRec = records.find((r) => r.path === 'init')!;
  t.equal(initRec.mode & S_IFMT, S_IFREG);
  t.equal(initRec.mode & 0o777, 0o755);
  t.same(Buffer.from(initRec.data), init, 'the same bytes');
  t.equal(records.find((r) => r.path === 'tmp')!.mode, S_IFDIR | 0o1777);
  const args = linuxQemuArgs({ accel: 'tcg', smp: 4, memoryBytes: 512 * 1024 * 1024, kernel: '/k', initramfs: 'i.cpio', serialLog: 'l' });
  const value = (flag: string) => args[args.indexOf(flag) + 1];
  t.equal(value('-cpu'), 'max');
  t.equal(value('-accel'), 'tcg');
  t.equal(value('-smp'), '4');
  t.equal(value('-m'), '512M');
  t.equal(value('-M'), 'q35');
  t.equal(value('-kernel'), '/k');
  t.equal(value('-initrd'), 'i.cpio');
  t.equal(value('-append'), LINUX_CMDLINE);
  t.match(LINUX_CMDLINE, /\bquiet\b/);
  t.match(LINUX_CMDLINE, /\bconsole=ttyS0\b/);
  t.ok(args.includes('-no-reboot'));
  const withArgs = linuxQemuArgs({ accel: 'tcg', smp: 1, memoryBytes: 1 << 30, kernel: 'k', initramfs: 'i', initArgs: ['-n', '10'] });
  t.equal(withArgs[withArgs.indexOf('-append') + 1], `${LINUX_CMDLINE} -- -n 10`, "init's arguments after --");
  t.equal(linuxQemuArgs({ accel: 'kvm', smp: 1, memoryBytes: 1 << 30, kernel: 'k', initramfs: 'i' })[3], 'host');
});
