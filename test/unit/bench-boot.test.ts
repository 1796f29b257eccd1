// `oskit bench boot`'s pure parts: the kernel's timestamps in a saved serial
// log, the summary and ratio, the table and JSON, the floor's grub.cfg.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { bootJson, bootReport, formatBootReport, kernelStampMs, summarize, type BootBenchData } from '../../harness/bench/boot-report.js';
import { KERNEL_START, promptFor, READY } from '../../harness/bench/boot.js';
import { floorGrubCfg, FLOOR_EXIT_STATUS, FLOOR_LINE } from '../../harness/bench/floor.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = readFileSync(path.join(root, 'fixtures', 'bench', 'boot-4cpu-tcg.log'), 'utf8');

t.test('the kernel timestamps in a saved 4-CPU TCG boot log', async (t) => {
  t.equal(kernelStampMs(log, READY), 83, '[    0.083] oskit ready');
  t.equal(kernelStampMs(log, /init: running/), 113);
  t.equal(kernelStampMs(log, KERNEL_START), 11, 'the first line');
  t.equal(kernelStampMs(log, /no such line/), undefined);
  t.equal(kernelStampMs('Welcome to Oskit!\noskit ready\n', READY), undefined, 'a line without a stamp does not count');
  t.equal(kernelStampMs('[   12.345] oskit ready: 1 CPUs\r\n', READY), 12345, 'seconds and a carriage return');
  t.ok(log.endsWith(promptFor('oskit')), 'the log ends with the prompt the bench waits for');
});

t.test('the floor: its grub.cfg is the real one without the module', async (t) => {
  const real = 'set timeout=0\nset default=0\n\nmenuentry "oskit" {\n    multiboot2 /boot/kernel.elf ktest\n    module2 /boot/initrd.cpio initrd\n    boot\n}\n';
  t.equal(floorGrubCfg(real), 'set timeout=0\nset default=0\n\nmenuentry "oskit" {\n    multiboot2 /boot/kernel.elf ktest\n    boot\n}\n');
  const source = readFileSync(path.join(root, 'fixtures', 'floor', 'floor.S'), 'utf8');
  t.match(source, /\.asciz "oskit floor: booted\\r\\n"/);
  t.ok(FLOOR_LINE.test('oskit floor: booted'));
  t.match(source, /mov \$0x31, %eax/, 'the exit value in floor.S');
  t.equal(FLOOR_EXIT_STATUS, 99, 'QEMU exits (0x31 << 1) | 1');
});

const data: BootBenchData = {
  accel: 'tcg',
  cpus: 4,
  memory: '512M',
  hostCores: 2,
  runs: 3,
  prompt: 'oskit:/$ ',
  oskit: [
    { entryMs: 430, readyMs: 470, promptMs: 500, kernelReadyMs: 60 },
    { entryMs: 420, readyMs: 460, promptMs: 480 },
    { entryMs: 450, readyMs: 490, promptMs: 520, kernelReadyMs: 70 },
  ],
  floor: [410, 400, 390],
};

t.test('summary and ratios', async (t) => {
  t.same(summarize([3, 1, 2]), { median: 2, min: 1, max: 3 });
  const r = bootReport(data);
  t.same(r.floor, { median: 400, min: 390, max: 410 });
  t.same(r.promptTime, { median: 500, min: 480, max: 520 });
  t.same(r.ready, { median: 470, min: 460, max: 490 });
  t.same(r.entry, { median: 430, min: 420, max: 450 });
  t.same(r.kernelReady, { median: 65, min: 60, max: 70 }, 'only the runs with a stamp');
  t.equal(r.ratio, 1.25);
  t.equal(r.readyRatio, 470 / 400);
  t.same(r.samples.floor, [410, 400, 390]);
  t.notOk('kernelReady' in bootReport({ ...data, oskit: data.oskit.map(({ kernelReadyMs: _, ...b }) => b) }), 'absent without stamps');
});

t.test('the table', async (t) => {
  const text = formatBootReport(bootReport(data));
  t.equal(text, [
    'bench boot: accel tcg, 4 CPUs, 512M RAM, host 2 cores, 3 runs of each kernel (alternating)',
    'wall time from QEMU spawn to the serial line:',
    '                                   median       min       max',
    'floor: QEMU, firmware, GRUB       0.400 s   0.390 s   0.410 s',
    'oskit: first kernel line          0.430 s   0.420 s   0.450 s',
    'oskit: "oskit ready"              0.470 s   0.460 s   0.490 s',
    'oskit: shell prompt "oskit:/$ "   0.500 s   0.480 s   0.520 s',
    'kernel log at "oskit ready" (its own clock): median 0.065 s, min 0.060 s, max 0.070 s',
    'ratio to the floor (medians): shell prompt 1.25, "oskit ready" 1.18',
    '',
  ].join('\n'));
  const one = formatBootReport(bootReport({ ...data, cpus: 1, hostCores: 1, runs: 1, oskit: [data.oskit[1]!], floor: [400] }));
  t.match(one, /^bench boot: accel tcg, 1 CPU, 512M RAM, host 1 core, 1 run of each kernel/);
  t.notMatch(one, /kernel log at/, 'no stamp, no line');
});

t.test('the JSON', async (t) => {
  const json = JSON.parse(bootJson(bootReport(data))) as Record<string, unknown>;
  t.match(json, {
    benchmark: 'boot', accel: 'tcg', cpus: 4, memory: '512M', hostCores: 2, runs: 3, prompt: 'oskit:/$ ',
    floor: { median: 400 }, promptTime: { median: 500 }, ready: { median: 470 }, entry: { median: 430 }, kernelReady: { median: 65 },
    ratio: 1.25,
  });
  t.same((json.samples as { floor: number[] }).floor, [410, 400, 390]);
});
