// `bench=smp` output (DESIGN.md): the lines
//   bench smp: cpus=<k> run=<r> ns=<elapsed> sum=<sum>
// for k = 1..(CPUs online) and r = 1..R, then `bench smp: done`, possibly
// interleaved with `[    s.mmm] ...` log lines. Pure: parsing, checking
// against the sum computed here with BigInt, and the per-CPU-count statistics.
import { median } from './stats.js';

/** The kernel sums 1..SUM_LAST. */
export const SUM_LAST = 10_000_000n;

/** 1 + 2 + ... + last, exactly. */
export function expectedSum(last: bigint = SUM_LAST): bigint {
  return (last * (last + 1n)) / 2n;
}

export const EXPECTED_SUM = expectedSum();

export interface SmpSample {
  cpus: number;
  run: number;
  /** Elapsed TSC time on CPU 0, in ns. */
  ns: number;
  sum: bigint;
  /** 1-based line number in the console text. */
  line: number;
}

export interface SmpParse {
  samples: SmpSample[];
  /** `bench smp: done` was printed. */
  done: boolean;
  /** From the kernel's `smp: CPUs online: N / M` line, when present. */
  online?: { online: number; expected: number };
  /** Lines that start a sample (`bench smp: cpus=`) but do not have its form. */
  malformed: Array<{ line: number; text: string }>;
}

const SAMPLE = /bench smp: cpus=(\d+) run=(\d+) ns=(\d+) sum=(\d+)\s*$/;
const SAMPLE_START = /bench smp: cpus=/;
const DONE = /bench smp: done\s*$/;
const ONLINE = /smp: CPUs online: (\d+) \/ (\d+)/;

/** One sample line (a log timestamp before it is allowed), or undefined. */
export function parseSmpLine(text: string, line = 0): SmpSample | undefined {
  const m = SAMPLE.exec(text);
  if (!m) return undefined;
  const ns = Number(m[3]);
  if (!Number.isSafeInteger(ns)) return undefined;
  return { cpus: Number(m[1]), run: Number(m[2]), ns, sum: BigInt(m[4]!), line };
}

export function parseSmpBench(text: string): SmpParse {
  const out: SmpParse = { samples: [], done: false, malformed: [] };
  const lines = text.replaceAll('\r', '').split('\n');
  lines.forEach((raw, i) => {
    const n = i + 1;
    if (DONE.test(raw)) {
      out.done = true;
      return;
    }
    const online = ONLINE.exec(raw);
    if (online && !out.online) out.online = { online: Number(online[1]), expected: Number(online[2]) };
    if (!SAMPLE_START.test(raw)) return;
    const sample = parseSmpLine(raw, n);
    if (sample) out.samples.push(sample);
    else out.malformed.push({ line: n, text: raw });
  });
  return out;
}

const label = (s: Pick<SmpSample, 'cpus' | 'run'>) => `cpus=${s.cpus} run=${s.run}`;

/**
 * Everything wrong with a parsed run, one message each: a wrong sum, a
 * truncated log (no `done`), a malformed line, a missing, repeated or
 * unexpected (CPU count, run) pair. `cpus` is the number of CPUs the kernel
 * ran the benchmark on (its online count).
 */
export function checkSmpBench(parsed: SmpParse, expect: { cpus: number; runs: number }): string[] {
  const problems: string[] = [];
  for (const s of parsed.samples) {
    if (s.sum !== EXPECTED_SUM) {
      problems.push(`wrong sum at ${label(s)} (line ${s.line}): ${s.sum}, but 1 + 2 + ... + ${SUM_LAST} = ${EXPECTED_SUM}`);
    }
  }
  for (const m of parsed.malformed) problems.push(`malformed line ${m.line}: ${JSON.stringify(m.text)}`);
  const seen = new Map<string, number>();
  for (const s of parsed.samples) {
    seen.set(label(s), (seen.get(label(s)) ?? 0) + 1);
    if (s.cpus < 1 || s.cpus > expect.cpus || s.run < 1 || s.run > expect.runs) {
      problems.push(`unexpected sample ${label(s)} (line ${s.line}): expected cpus 1..${expect.cpus}, runs 1..${expect.runs}`);
    }
  }
  for (const [key, count] of seen) if (count > 1) problems.push(`${key} printed ${count} times`);
  if (!parsed.done) {
    const last = parsed.samples.at(-1);
    problems.push(`the log ends before "bench smp: done" (truncated${last ? ` after ${label(last)}` : ', no sample at all'})`);
  } else {
    const missing: string[] = [];
    for (let cpus = 1; cpus <= expect.cpus; cpus++) {
      for (let run = 1; run <= expect.runs; run++) if (!seen.has(label({ cpus, run }))) missing.push(label({ cpus, run }));
    }
    if (missing.length) problems.push(`missing ${missing.length} sample${missing.length === 1 ? '' : 's'}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`);
  }
  return problems;
}

export interface SmpRow {
  cpus: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median at 1 CPU / median at this count (NaN without a 1-CPU row). */
  speedup: number;
  /** speedup / cpus */
  efficiency: number;
  ns: number[];
}

/** One row per CPU count, in ascending order. */
export function smpRows(samples: readonly SmpSample[]): SmpRow[] {
  const byCpus = new Map<number, number[]>();
  for (const s of samples) {
    const list = byCpus.get(s.cpus) ?? [];
    list.push(s.ns);
    byCpus.set(s.cpus, list);
  }
  const base = byCpus.has(1) ? median(byCpus.get(1)!) : NaN;
  return [...byCpus.keys()].sort((a, b) => a - b).map((cpus) => {
    const ns = byCpus.get(cpus)!;
    const med = median(ns);
    const speedup = base / med;
    return {
      cpus,
      runs: ns.length,
      medianMs: med / 1e6,
      minMs: Math.min(...ns) / 1e6,
      maxMs: Math.max(...ns) / 1e6,
      speedup,
      efficiency: speedup / cpus,
      ns: [...ns],
    };
  });
}
