import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parseKtap } from '../../harness/report/ktap.js';
import { toJson } from '../../harness/report/json.js';
import { toPretty } from '../../harness/report/pretty.js';
import { toTap } from '../../harness/report/tap.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'ktap');
const load = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');
const strip = (r: ReturnType<typeof parseKtap>) => JSON.parse(JSON.stringify(r.tests, (k, v) => (k === 'consoleTail' || k === 'diagnostics' ? undefined : v)));

for (const name of ['all-pass.log', 'failure-diagnostics.log', 'nested.log', 'junk-interleaved.log']) {
  t.test(`TAP output of ${name} parses back to the same tree`, async (t) => {
    const first = parseKtap(load(name));
    const tap = toTap(first);
    t.match(tap, /^TAP version 13\n1\.\.\d+\n/);
    const again = parseKtap(tap);
    t.same(strip(again), strip(first));
  });
}

t.test('TAP output of a crash keeps the console lines as comments', async (t) => {
  const tap = toTap(parseKtap(load('crashed-mid-suite.log')));
  t.match(tap, /not ok 2 test 2 \(running when the log stopped\) # ERROR crashed/);
  t.match(tap, /# \| EXCEPTION: #PF page fault/);
  t.match(tap, /\n    ok 1 alloc_free_roundtrip\n/, 'subtests indented');
});

t.test('pretty', async (t) => {
  const plain = toPretty(parseKtap(load('failure-diagnostics.log')), false);
  t.match(plain, /✗ pmm/);
  t.match(plain, /\n  ✗ exhaust_then_recover FAIL\n\s+exhaust_then_recover: EXPECTATION FAILED/);
  t.match(plain, /\n2 passed, 2 failed\n$/);
  t.notMatch(plain, /\x1b\[/, 'no escape codes without colour');
  t.match(toPretty(parseKtap(load('failure-diagnostics.log')), true), /\x1b\[/, 'colour when asked');
  t.match(toPretty(parseKtap(load('directives.log')), false), /1 passed, 0 failed, 1 skipped, 1 todo, 1 expected failures, 1 timed out, 1 errors/);
});

t.test('json', async (t) => {
  const j = JSON.parse(toJson(parseKtap(load('all-pass.log')), { accel: 'tcg', cpus: 4 }));
  t.equal(j.passed, true);
  t.equal(j.summary.passed, 5);
  t.equal(j.accel, 'tcg');
  t.equal(j.tests[0].children[2].name, 'contiguous_2m');
  t.equal(JSON.parse(toJson(parseKtap(load('all-pass.log')), { problems: ['triple fault'] })).passed, false);
});
