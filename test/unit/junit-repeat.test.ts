// JUnit XML (checked well formed by a real XML parser, Python's
// xml.etree, and read back for its content), the --repeat tally and its
// forms, and the parsing of count options.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parseKtap, type KtapResult } from '../../harness/report/ktap.js';
import { toJunit, xmlAttr, xmlText } from '../../harness/report/junit.js';
import { formatRepeat, repeatJson, repeatTap, tallyRuns, type RepeatRun } from '../../harness/report/repeat.js';
import { parseCount } from '../../harness/test-command.js';
import { parseXml, type XmlNode } from './xml.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'ktap');
const load = (name: string) => parseKtap(readFileSync(path.join(fixtures, name), 'utf8'));

const find = (n: XmlNode, tag: string): XmlNode[] => n.children.filter((c) => c.tag === tag);

t.test('escaping', async (t) => {
  t.equal(xmlText('a < b && c > "d"'), 'a &lt; b &amp;&amp; c &gt; "d"');
  t.equal(xmlAttr('say "hi"\nthen\tgo'), 'say &quot;hi&quot;&#10;then&#9;go');
  t.equal(xmlText('\x1b[31mred\x1b[0m \x00'), '\\x1b[31mred\\x1b[0m \\x00', 'characters XML cannot hold are shown, not dropped');
  t.throws(() => parseXml('<a><b></a>'), 'the checker rejects malformed XML');
});

t.test('a failing run: suites, cases, failures and their text', async (t) => {
  const xml = toJunit([{ result: load('failure-diagnostics.log'), durationMs: 2500, properties: { accel: 'tcg', cpus: 4, log: 'build/logs/x.log' } }]);
  t.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
  const root = parseXml(xml);
  t.equal(root.tag, 'testsuites');
  t.same(root.attrs, { name: 'oskit', tests: '4', failures: '2', errors: '0', skipped: '0', time: '2.500' });
  const suites = find(root, 'testsuite');
  t.same(suites.map((s) => s.attrs.name), ['pmm', 'heap']);
  t.same(suites[0]!.attrs, { name: 'pmm', tests: '3', failures: '2', errors: '0', skipped: '0' });
  const props = Object.fromEntries(find(find(suites[0]!, 'properties')[0]!, 'property').map((p) => [p.attrs.name, p.attrs.value]));
  t.same(props, { accel: 'tcg', cpus: '4', log: 'build/logs/x.log' });
  const cases = find(suites[0]!, 'testcase');
  t.same(cases.map((c) => [c.attrs.classname, c.attrs.name]), [['pmm', 'alloc_free_roundtrip'], ['pmm', 'exhaust_then_recover'], ['pmm', 'contiguous_2m']]);
  t.same(cases[0]!.children, [], 'a passing case is empty');
  const failure = find(cases[1]!, 'failure')[0]!;
  t.equal(failure.attrs.type, 'fail');
  t.match(failure.attrs.message, /exhaust_then_recover: EXPECTATION FAILED/);
  t.match(failure.text, /expected free_pages == 1024, got 1023/, 'every diagnostic in the body');
  t.equal(find(cases[2]!, 'failure')[0]!.attrs.message, 'no 2 MiB aligned run found', 'the result line comment is the message');
});

t.test('directives, a crash with its console tail, run problems', async (t) => {
  const directives = parseXml(toJunit([{ result: load('directives.log') }]));
  const oskit = find(directives, 'testsuite')[0]!;
  t.equal(oskit.attrs.name, 'oskit', 'top-level cases go into a suite named oskit');
  const byName = Object.fromEntries(find(oskit, 'testcase').map((c) => [c.attrs.name, c]));
  t.equal(find(byName.needs_smp!, 'skipped')[0]?.attrs.message, 'needs 2 CPUs');
  t.equal(find(byName.not_written_yet!, 'skipped')[0]?.attrs.message, 'write the test');
  t.same(byName.known_bug!.children, [], 'an expected failure passes');
  t.equal(find(byName.slow_path!, 'error')[0]?.attrs.type, 'timeout');
  t.equal(find(byName.setup!, 'error')[0]?.attrs.type, 'error');
  t.same(directives.attrs, { name: 'oskit', tests: '6', failures: '0', errors: '2', skipped: '2', time: '0.000' });

  const crash = parseXml(toJunit([{ result: load('crashed-mid-suite.log'), problems: ['kernel panic or unhandled exception (isa-debug-exit 0x12)'] }]));
  const errors = find(crash, 'testsuite').flatMap((s) => find(s, 'testcase')).filter((c) => find(c, 'error').length);
  t.ok(errors.some((c) => /EXCEPTION: #PF page fault/.test(find(c, 'error')[0]!.text)), 'the console tail is in the error body');
  const crashSuite = find(crash, 'testsuite').find((s) => s.attrs.name === 'oskit');
  const runCase = find(crashSuite!, 'testcase').find((c) => c.attrs.name === 'run');
  t.equal(runCase?.attrs.classname, 'oskit');
  t.equal(find(runCase!, 'error')[0]?.attrs.message, 'kernel panic or unhandled exception (isa-debug-exit 0x12)', "the run's problem is an error");
  t.ok(Number(crash.attrs.errors) >= 2);
});

t.test('several runs: one suite per KTAP suite per run', async (t) => {
  const root = parseXml(toJunit([{ result: load('all-pass.log'), run: 1 }, { result: load('failure-diagnostics.log'), run: 2 }]));
  t.same(find(root, 'testsuite').map((s) => s.attrs.name), ['pmm (run 1)', 'heap (run 1)', 'pmm (run 2)', 'heap (run 2)']);
  t.equal(root.attrs.failures, '2');
});

const run = (n: number, result: KtapResult, problems: string[] = []): RepeatRun => ({
  run: n,
  passed: problems.length === 0 && !result.crashed && !result.tests.some((x) => x.status !== 'pass'),
  result,
  problems,
  log: `build/logs/test-run${n}.log`,
  durationMs: 1000,
});

t.test('repeat tally: passes, failures, runs that stopped early', async (t) => {
  const pass = parseKtap('KTAP version 1\n1..1\n  KTAP version 1\n  # Subtest: s\n  1..3\n  ok 1 a\n  ok 2 b\n  ok 3 c # SKIP one CPU\nok 1 s\n');
  const flaky = parseKtap('KTAP version 1\n1..1\n  KTAP version 1\n  # Subtest: s\n  1..3\n  ok 1 a\n  not ok 2 b\n  ok 3 c # SKIP one CPU\nnot ok 1 s\n');
  const hung = parseKtap('KTAP version 1\n1..1\n  KTAP version 1\n  # Subtest: s\n  1..3\n  ok 1 a\n');
  const silent = parseKtap('[ 0.1] boot\n');
  const s = tallyRuns([run(1, pass), run(2, flaky), run(3, hung, ['stopped QEMU: no serial output for 60 s (bootTimeoutMs)']), run(4, pass), run(5, silent, ['stopped QEMU: x'])]);
  t.equal(s.runs, 5);
  t.equal(s.passedRuns, 2);
  const by = Object.fromEntries(s.tests.map((x) => [x.name, x]));
  t.same(by['s.a'], { name: 's.a', passed: 4, skipped: 0, failed: 0, missing: 1, badRuns: [5] });
  t.same(by['s.b'], { name: 's.b', passed: 2, skipped: 0, failed: 2, missing: 1, badRuns: [2, 3, 5] }, 'crashed in run 3 (the log stopped there) counts as failed');
  t.same(by['s.c'], { name: 's.c', passed: 0, skipped: 3, failed: 0, missing: 2, badRuns: [3, 5] }, 'after the one running: not reached');
  t.same(s.tests.map((x) => x.name), ['s.a', 's.b', 's.c', 'ktap'], 'synthetic entries take the real names');
  t.same(by.ktap, { name: 'ktap', passed: 0, skipped: 0, failed: 1, missing: 4, badRuns: [1, 2, 3, 4, 5] }, 'a run without KTAP output');
  t.same(s.failedRuns.map((f) => f.run), [2, 3, 5]);

  const table = formatRepeat(s);
  t.match(table, /^repeat: 2 of 5 runs passed\n/);
  t.match(table, /\n +4\/5 {2}s\.a {3}not reached 1, in run 5\n/);
  t.match(table, /\n +2\/5 {2}s\.b {3}failed 2, not reached 1, in runs 2, 3, 5\n/);
  t.match(table, /\n {2}run 3: stopped QEMU: no serial output for 60 s \(bootTimeoutMs\) \(log build\/logs\/test-run3\.log\)\n/);
  const tap = parseKtap(repeatTap(s));
  t.same(tap.tests.map((x) => [x.name, x.status]), [['s.a', 'fail'], ['s.b', 'fail'], ['s.c', 'fail'], ['ktap', 'fail']]);
  t.match(repeatTap(s), /^not ok 2 s\.b # 2\/5 passed; failed 2, not reached 1, in runs 2, 3, 5$/m);
  const json = JSON.parse(repeatJson(s, { accel: 'tcg' })) as { passed: boolean; accel: string; tests: unknown[] };
  t.equal(json.passed, false);
  t.equal(json.accel, 'tcg');
  t.equal(json.tests.length, 4);

  // A run that died in the first of two suites: the second suite's stand-in
  // ('test 2 (not run)') is not a row of its own.
  const two = parseKtap('KTAP version 1\n1..2\n  KTAP version 1\n  # Subtest: s\n  1..1\n  ok 1 a\nok 1 s\n  KTAP version 1\n  # Subtest: u\n  1..1\n  ok 1 x\nok 2 u\n');
  const diedEarly = parseKtap('KTAP version 1\n1..2\n  KTAP version 1\n  # Subtest: s\n  1..1\n');
  const early = tallyRuns([run(1, two), run(2, diedEarly, ['stopped QEMU: x'])]);
  t.same(early.tests.map((x) => [x.name, x.passed, x.failed, x.missing]), [['s.a', 1, 1, 0], ['u.x', 1, 0, 1]]);

  const clean = tallyRuns([run(1, pass), run(2, pass)]);
  t.equal(clean.passedRuns, 2);
  t.match(formatRepeat(clean), /\n +2\/2 {2}s\.a\n/);
  t.match(repeatTap(clean), /^ok 3 s\.c # 0\/2 passed; skipped 2$/m, 'always skipped is not a failure');
});

t.test('count options', async (t) => {
  t.equal(parseCount('--repeat', '200', 1000), 200);
  t.equal(parseCount('--repeat', ' 7 ', 1000), 7);
  for (const bad of ['0', '-1', '2.5', '1e3', 'ten', '', '1001']) {
    t.throws(() => parseCount('--repeat', bad, 1000), { message: `--repeat must be an integer from 1 to 1000 (got ${JSON.stringify(bad)})` });
  }
});
