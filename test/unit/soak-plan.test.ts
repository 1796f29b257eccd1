// The soak's plan without QEMU: the same seed types the same commands, the
// model of /tmp/soak predicts what the host's own shell and coreutils print
// for them, and the leak verdict tells a leak from noise.
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { leakVerdict, parseMemFree, prng, SOAK_DIR, SoakPlan } from '../../harness/vm/soak-plan.js';

t.test('the same seed, the same commands; another seed, others', async (t) => {
  const lines = (seed: number) => {
    const p = new SoakPlan(seed);
    return [p.setup(), ...Array.from({ length: 200 }, () => p.next())].map((c) => c.line);
  };
  t.same(lines(42), lines(42));
  t.not(lines(42).join('\n'), lines(43).join('\n'));
  const r = prng(1);
  const values = Array.from({ length: 1000 }, r);
  t.ok(values.every((v) => v >= 0 && v < 1), 'prng in [0, 1)');
  t.ok(new Set(values).size > 990, 'and spread out');
});

t.test("the file model's commands print on the host what the plan expects", async (t) => {
  // The plan's file commands (echo, >, >>, cat, <, wc, rm, ls) under bash
  // and coreutils in a scratch directory standing for /tmp/soak.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oskit-soak-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const plan = new SoakPlan(5);
  let checked = 0;
  for (let i = 0; i < 300; i++) {
    const c = plan.next();
    if (!c.line.includes(SOAK_DIR) && !/^(echo|true|false)\b/.test(c.line)) continue;
    const line = c.line.replaceAll(SOAK_DIR, dir).replace(/^ls (\S+)$/, 'ls -x -w0 $1');
    const r = await execa('bash', ['-c', line], { reject: false });
    const out = r.stdout + (r.stdout ? '\n' : '');
    if (typeof c.expect === 'string') t.equal(out, c.expect, line);
    else t.match(out, c.expect, line);
    checked++;
  }
  t.ok(checked > 100, `${checked} commands checked`);
});

t.test('MemFree: parsed, and a leak told from noise', async (t) => {
  t.equal(parseMemFree('MemFree:          518760 kB\n'), 518760);
  t.equal(parseMemFree('MemFree: x kB\n'), undefined);
  t.equal(leakVerdict([500_000, 400_000, 400_100, 399_900, 400_050, 400_000]), undefined, 'warm-up, then steady');
  t.equal(leakVerdict([400_000, 400_000, 399_000, 400_000, 398_500, 400_000]), undefined, 'a dip that recovers');
  t.equal(leakVerdict([400_000, 400_000]), undefined, 'too few samples to say');
  const leak = Array.from({ length: 20 }, (_, i) => 400_000 - i * 200); // 200 kB lost per sample
  t.match(leakVerdict(leak), /^MemFree keeps falling: /, 'a steady loss is a leak');
});
