import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { allPassed, parseKtap, summarize, type TestNode } from '../../harness/report/ktap.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'ktap');
const load = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');
const names = (nodes: TestNode[]) => nodes.map((n) => `${n.number}:${n.name}:${n.status}`);

t.test('all pass', async (t) => {
  const r = parseKtap(load('all-pass.log'));
  t.equal(r.version, 'KTAP version 1');
  t.equal(r.plan, 2);
  t.notOk(r.crashed);
  t.same(names(r.tests), ['1:pmm:pass', '2:heap:pass']);
  t.same(names(r.tests[0]!.children), ['1:alloc_free_roundtrip:pass', '2:exhaust_then_recover:pass', '3:contiguous_2m:pass']);
  t.equal(r.tests[0]!.plan, 3);
  t.same(summarize(r.tests), { total: 5, passed: 5, failed: 0, skipped: 0, todo: 0, xfail: 0, timeout: 0, error: 0, crashed: 0 });
  t.ok(allPassed(r));
});

t.test('failure with diagnostics', async (t) => {
  const r = parseKtap(load('failure-diagnostics.log'));
  t.notOk(allPassed(r));
  t.notOk(r.crashed);
  const pmm = r.tests[0]!;
  t.equal(pmm.status, 'fail');
  t.same(names(pmm.children), ['1:alloc_free_roundtrip:pass', '2:exhaust_then_recover:fail', '3:contiguous_2m:fail']);
  t.same(pmm.children[1]!.diagnostics, ['exhaust_then_recover: EXPECTATION FAILED at mm/pmm_test.cpp:42', 'expected free_pages == 1024, got 1023']);
  t.same(pmm.children[0]!.diagnostics, [], 'diagnostics go to the following test only');
  t.equal(pmm.children[2]!.reason, 'no 2 MiB aligned run found', 'trailing # text kept');
  t.equal(r.tests[1]!.status, 'pass');
  t.match(summarize(r.tests), { total: 4, passed: 2, failed: 2 });
});

t.test('skip, todo, xfail, timeout, error', async (t) => {
  const r = parseKtap(load('directives.log'));
  t.same(names(r.tests), ['1:needs_smp:skip', '2:not_written_yet:todo', '3:known_bug:xfail', '4:slow_path:timeout', '5:setup:error', '6:plain:pass']);
  t.equal(r.tests[0]!.reason, 'needs 2 CPUs');
  t.equal(r.tests[2]!.name, 'known_bug', "'- ' before the description is dropped");
  t.match(summarize(r.tests), { total: 6, passed: 1, skipped: 1, todo: 1, xfail: 1, timeout: 1, error: 1 });
  t.notOk(allPassed(r), 'timeout and error fail the run');
  const ok = parseKtap('KTAP version 1\n1..3\nok 1 a # SKIP x\nnot ok 2 b # TODO y\nok 3 c # XFAIL\n');
  t.ok(allPassed(ok), 'skip, todo and xfail do not fail a run');
});

t.test('nested three levels', async (t) => {
  const r = parseKtap(load('nested.log'));
  const vfs = r.tests[0]!;
  t.equal(vfs.name, 'vfs');
  t.equal(vfs.status, 'fail');
  t.same(names(vfs.children), ['1:tmpfs:pass', '2:procfs:fail']);
  t.same(names(vfs.children[0]!.children), ['1:create:pass', '2:unlink:pass']);
  t.same(names(vfs.children[1]!.children), ['1:meminfo:fail']);
  t.match(summarize(r.tests), { total: 3, passed: 2, failed: 1 });
});

t.test('crashed mid-run: the log ends inside a suite', async (t) => {
  const r = parseKtap(load('crashed-mid-suite.log'));
  t.ok(r.crashed);
  t.notOk(allPassed(r));
  t.same(names(r.tests).map((s) => s.split(':').slice(0, 1)[0]), ['1', '2', '3']);
  const sched = r.tests[1]!;
  t.equal(sched.name, 'sched');
  t.equal(sched.status, 'crashed');
  t.same(sched.children.map((c) => c.status), ['pass', 'crashed', 'crashed', 'crashed'], 'planned 4: one passed, the running one and two not run');
  const running = sched.children[1]!;
  t.match(running.name, /running when the log stopped/);
  t.ok(running.consoleTail && running.consoleTail.length > 0, 'the crash carries the console tail');
  t.equal(running.consoleTail!.at(-1), 'end of report');
  t.ok(running.consoleTail!.some((l) => l.startsWith('EXCEPTION: #PF')));
  t.notOk(sched.children[2]!.consoleTail, 'the tail is attached once');
  t.equal(r.tests[2]!.status, 'crashed', 'top-level test 3 never ran');
  t.notOk(r.tests[2]!.consoleTail);
  t.notOk(sched.diagnostics.some((d) => /0xffff/.test(d)), 'backtrace lines are not diagnostics');
  t.match(summarize(r.tests), { passed: 3, crashed: 4 });
});

t.test('plan mismatch', async (t) => {
  const short = parseKtap(load('plan-mismatch.log'));
  t.ok(short.crashed, 'fewer results than planned');
  t.same(short.tests.map((n) => n.status), ['pass', 'pass', 'crashed', 'crashed']);
  t.ok(short.tests[2]!.consoleTail?.includes('[    3.100] ktest: done'));
  const long = parseKtap(load('plan-too-many.log'));
  t.notOk(allPassed(long), 'more results than planned is an error');
  t.match(long.tests.at(-1), { name: 'plan', status: 'error', diagnostics: ['planned 2 tests but 3 reported results'] });
});

t.test('junk lines interleaved are ignored', async (t) => {
  const r = parseKtap(load('junk-interleaved.log'));
  t.ok(allPassed(r));
  t.same(names(r.tests), ['1:timer:pass', '2:sched_smoke:pass']);
  t.same(names(r.tests[0]!.children), ['1:monotonic:pass', '2:frequency:pass']);
});

t.test('TAP 13 with four-space subtests and # Subtest before the indent', async (t) => {
  const r = parseKtap(load('tap13.log'));
  t.equal(r.version, 'TAP version 13');
  t.same(names(r.tests), ['1:outer:pass', '2:flat:skip']);
  t.same(names(r.tests[0]!.children), ['1:inner one:pass', '2:inner two:pass']);
});

t.test('no KTAP at all is one CRASHED entry with the console tail', async (t) => {
  const r = parseKtap(load('no-ktap.log'));
  t.ok(r.crashed);
  t.equal(r.tests.length, 1);
  t.equal(r.tests[0]!.status, 'crashed');
  t.equal(r.tests[0]!.consoleTail?.[0], '[    0.000] boot: oskit 0.1.0');
  t.same(parseKtap('').tests.map((n) => n.status), ['crashed'], 'empty log');
});

t.test('console tail is bounded and CRLF is stripped', async (t) => {
  const noise = Array.from({ length: 100 }, (_, i) => `[    ${i}.000] line ${i}`).join('\r\n');
  const r = parseKtap(`KTAP version 1\r\n1..1\r\n${noise}\r\n`);
  const tail = r.tests[0]!.consoleTail!;
  t.equal(tail.length, 40);
  t.equal(tail.at(-1), '[    99.000] line 99');
  t.notOk(tail.some((l) => l.includes('\r')));
});

t.test('suite ok over a failing child is a failure', async (t) => {
  const r = parseKtap('KTAP version 1\n1..1\n  KTAP version 1\n  # Subtest: s\n  1..1\n  not ok 1 c\nok 1 s\n');
  t.equal(r.tests[0]!.status, 'fail');
  t.notOk(allPassed(r));
});

t.test('bail out', async (t) => {
  const r = parseKtap('KTAP version 1\n1..2\nok 1 a\nBail out! disk on fire\nok 2 b\n');
  t.ok(r.crashed);
  t.match(r.tests[1], { status: 'crashed', diagnostics: ['bail out: disk on fire'] });
});
