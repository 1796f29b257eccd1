import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { checkSmpBench, EXPECTED_SUM, expectedSum, parseSmpBench, parseSmpLine, smpRows, type SmpSample } from '../../harness/bench/smp-parse.js';
import { capNote, formatSmpTable, smpJson, type SmpReport } from '../../harness/bench/smp-report.js';
import { median } from '../../harness/bench/stats.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'bench');
const load = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');

t.test('the expected sum is computed exactly', async (t) => {
  t.equal(EXPECTED_SUM, 50000005000000n);
  t.equal(expectedSum(10n), 55n);
  t.equal(expectedSum(1n), 1n);
});

t.test('median', async (t) => {
  t.equal(median([3, 1, 2]), 2);
  t.equal(median([4, 1, 3, 2]), 2.5);
  t.ok(Number.isNaN(median([])));
});

t.test('a real 4-CPU TCG log (3 runs each)', async (t) => {
  const p = parseSmpBench(load('smp-4cpu-tcg.log'));
  t.ok(p.done);
  t.same(p.online, { online: 4, expected: 4 });
  t.same(p.malformed, []);
  t.equal(p.samples.length, 12);
  t.same(p.samples.map((s) => `${s.cpus}.${s.run}`), ['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3.1', '3.2', '3.3', '4.1', '4.2', '4.3']);
  t.ok(p.samples.every((s) => s.sum === EXPECTED_SUM));
  t.same(checkSmpBench(p, { cpus: 4, runs: 3 }), [], 'no problems');
  const rows = smpRows(p.samples);
  t.same(rows.map((r) => r.cpus), [1, 2, 3, 4]);
  t.equal(rows[0]!.medianMs, 11.69627, 'median of 11647448, 11855022, 11696270 ns');
  t.equal(rows[0]!.minMs, 11.647448);
  t.equal(rows[0]!.maxMs, 11.855022);
  t.equal(rows[0]!.speedup, 1);
  t.equal(rows[0]!.efficiency, 1);
  t.equal(rows[2]!.medianMs, 8.045553);
  t.equal(rows[2]!.speedup, 11696270 / 8045553);
  t.equal(rows[2]!.efficiency, 11696270 / 8045553 / 3);
  t.ok(rows.every((r) => r.runs === 3));
});

t.test('sample lines interleaved with log lines, one with a timestamp, trailing spaces', async (t) => {
  const p = parseSmpBench(load('smp-interleaved.log'));
  t.ok(p.done);
  t.same(p.online, { online: 2, expected: 2 });
  t.same(p.samples.map((s) => [s.cpus, s.run, s.ns, s.line]), [[1, 1, 12e6, 7], [1, 2, 10e6, 9], [2, 1, 6e6, 11], [2, 2, 5e6, 12]]);
  t.same(checkSmpBench(p, { cpus: 2, runs: 2 }), []);
  const rows = smpRows(p.samples);
  t.same(rows.map((r) => [r.cpus, r.medianMs, r.minMs, r.maxMs, r.speedup, r.efficiency]), [
    [1, 11, 10, 12, 1, 1],
    [2, 5.5, 5, 6, 2, 1],
  ]);
});

t.test('a wrong sum is a problem naming the line and the exact expected value', async (t) => {
  const p = parseSmpBench(load('smp-wrong-sum.log'));
  t.ok(p.done);
  const problems = checkSmpBench(p, { cpus: 4, runs: 3 });
  t.equal(problems.length, 1, problems.join('\n'));
  t.match(problems[0], /^wrong sum at cpus=3 run=2 \(line 47\): 50000004999999, but 1 \+ 2 \+ \.\.\. \+ 10000000 = 50000005000000$/);
});

t.test('a truncated log: no done, the cut line is malformed', async (t) => {
  const p = parseSmpBench(load('smp-truncated.log'));
  t.notOk(p.done);
  t.equal(p.samples.length, 7);
  t.same(p.malformed.map((m) => m.text), ['bench smp: cpus=3 run=2 ns=772']);
  const problems = checkSmpBench(p, { cpus: 4, runs: 3 });
  t.ok(problems.some((x) => x === 'the log ends before "bench smp: done" (truncated after cpus=3 run=1)'), problems.join('\n'));
  t.ok(problems.some((x) => /^malformed line \d+: "bench smp: cpus=3 run=2 ns=772"$/.test(x)));
  t.notOk(problems.some((x) => /^missing/.test(x)), 'missing samples are not listed for a truncated log (truncation says it)');
});

t.test('a log without any bench line', async (t) => {
  const p = parseSmpBench('[    0.1] oskit ready\n');
  t.same(checkSmpBench(p, { cpus: 1, runs: 5 }), ['the log ends before "bench smp: done" (truncated, no sample at all)']);
  t.notOk(p.online);
});

t.test('missing, repeated, unexpected and malformed samples', async (t) => {
  const ok = String(EXPECTED_SUM);
  const text = [
    `bench smp: cpus=1 run=1 ns=10 sum=${ok}`,
    `bench smp: cpus=1 run=1 ns=11 sum=${ok}`,
    `bench smp: cpus=2 run=1 ns=5 sum=${ok}`,
    `bench smp: cpus=3 run=1 ns=5 sum=${ok}`,
    `bench smp: cpus=2 run=2 ns=-5 sum=${ok}`,
    `bench smp: cpus=2 run=2 ns=5 sum=${ok}[    0.2] other CPU`,
    'bench smp: done',
  ].join('\n');
  const problems = checkSmpBench(parseSmpBench(text), { cpus: 2, runs: 2 });
  t.same(problems, [
    `malformed line 5: "bench smp: cpus=2 run=2 ns=-5 sum=${ok}"`,
    `malformed line 6: "bench smp: cpus=2 run=2 ns=5 sum=${ok}[    0.2] other CPU"`,
    'unexpected sample cpus=3 run=1 (line 4): expected cpus 1..2, runs 1..2',
    'cpus=1 run=1 printed 2 times',
    'missing 2 samples: cpus=1 run=2, cpus=2 run=2',
  ]);
});

t.test('parseSmpLine', async (t) => {
  t.same(parseSmpLine('bench smp: cpus=8 run=5 ns=123 sum=99999999999999999999', 3), { cpus: 8, run: 5, ns: 123, sum: 99999999999999999999n, line: 3 }, 'a sum beyond 2^53 stays exact');
  t.equal(parseSmpLine('bench smp: done'), undefined);
  t.equal(parseSmpLine('bench smp: cpus=1 run=1 ns=99999999999999999999 sum=1'), undefined, 'ns beyond 2^53 is not a sample');
});

t.test('rows without a 1-CPU count have no speedup', async (t) => {
  const s = (cpus: number, ns: number): SmpSample => ({ cpus, run: 1, ns, sum: EXPECTED_SUM, line: 0 });
  const rows = smpRows([s(2, 4e6), s(4, 2e6)]);
  t.ok(Number.isNaN(rows[0]!.speedup));
  const json = JSON.parse(smpJson({ accel: 'tcg', guestCpus: 4, cpusOnline: 4, hostCores: 2, runs: 1, rows }));
  t.equal(json.rows[0].speedup, null, 'NaN becomes null in JSON');
  t.match(formatSmpTable({ accel: 'tcg', guestCpus: 4, cpusOnline: 4, hostCores: 2, runs: 1, rows }), /^\s+2\s+4\.000\s+4\.000\s+4\.000\s+-x\s+-$/m);
});

const report = (over: Partial<SmpReport> = {}): SmpReport => ({
  accel: 'tcg',
  guestCpus: 2,
  cpusOnline: 2,
  hostCores: 2,
  runs: 2,
  rows: smpRows(parseSmpBench(load('smp-interleaved.log')).samples),
  ...over,
});

t.test('table', async (t) => {
  const out = formatSmpTable(report());
  const lines = out.trimEnd().split('\n');
  t.equal(lines[0], 'bench smp: sum of 1..10000000 split over 1..2 CPUs, accel tcg, 2 guest CPUs, host 2 cores, 2 runs each');
  t.equal(lines[1], "note: under TCG each vCPU is a host thread, so the speedup is capped by the host's 2 cores");
  t.equal(lines[2], 'CPUs  median ms  min ms  max ms  speedup  efficiency');
  t.equal(lines[3], '   1     11.000  10.000  12.000    1.00x        1.00');
  t.equal(lines[4], '   2      5.500   5.000   6.000    2.00x        1.00');
  t.equal(lines.length, 5);
  t.match(formatSmpTable(report({ guestCpus: 4, cpusOnline: 2 })), /4 guest CPUs \(2 online\)/, 'fewer CPUs online than configured');
  t.equal(capNote('kvm', 1), "each vCPU is a host thread (kvm), so the speedup is capped by the host's 1 core");
});

t.test('JSON', async (t) => {
  const json = JSON.parse(smpJson(report({ log: 'build/logs/x.log', durationMs: 700 })));
  t.match(json, { benchmark: 'smp', accel: 'tcg', guestCpus: 2, cpusOnline: 2, hostCores: 2, runs: 2, expectedSum: '50000005000000', sumOf: '1..10000000', log: 'build/logs/x.log', durationMs: 700 });
  t.same(json.rows[1], { cpus: 2, runs: 2, medianMs: 5.5, minMs: 5, maxMs: 6, speedup: 2, efficiency: 1, ns: [6e6, 5e6] });
  t.notOk('qemuCommand' in json, 'absent fields are left out');
});
