// The lines of kernel-src/user/bin/bench-sys.c (DESIGN.md, "Programs and
// their contracts"), parsed from a serial log (pure):
//
//   bench sys: start
//   bench sys: <metric> median_ns=<n> min_ns=<n> max_ns=<n> iters=<n>
//   bench sys: done
//   bench sys: error: <metric>: <reason>

/** The metrics bench-sys prints, in its order. */
export const SYS_METRICS = ['getpid', 'fork_exit_wait', 'fork_exec_wait', 'pipe_pingpong', 'page_fault', 'tmpfs_read_4k'] as const;

export interface SysSample {
  metric: string;
  medianNs: number;
  minNs: number;
  maxNs: number;
  iters: number;
}

export interface SysParse {
  /** Offset in the text of the `bench sys: start` line, when it appeared. */
  startAt?: number;
  samples: SysSample[];
  done: boolean;
  /** `metric: reason` of an error line. */
  error?: string;
}

export const START_LINE = /bench sys: start\r?$/m;
export const DONE_LINE = /bench sys: done\r?$/m;
const SAMPLE = /bench sys: ([a-z0-9_]+) median_ns=(\d+) min_ns=(\d+) max_ns=(\d+) iters=(\d+)\r?$/;
const ERROR = /bench sys: error: (.*?)\r?$/;

/** One sample line, or undefined. */
export function parseSysLine(line: string): SysSample | undefined {
  const m = SAMPLE.exec(line);
  if (!m) return undefined;
  return { metric: m[1]!, medianNs: Number(m[2]), minNs: Number(m[3]), maxNs: Number(m[4]), iters: Number(m[5]) };
}

export function parseSysBench(text: string): SysParse {
  const result: SysParse = { samples: [], done: false };
  const start = START_LINE.exec(text);
  if (start) result.startAt = start.index;
  for (const line of text.split('\n')) {
    const sample = parseSysLine(line);
    if (sample) result.samples.push(sample);
    else if (DONE_LINE.test(line)) result.done = true;
    else {
      const e = ERROR.exec(line);
      if (e && result.error === undefined) result.error = e[1]!;
    }
  }
  return result;
}

/** What is wrong with one run's results (empty when it is complete). */
export function checkSysRun(p: SysParse, iters?: number): string[] {
  const problems: string[] = [];
  if (p.startAt === undefined) problems.push('no "bench sys: start" line');
  if (p.error !== undefined) problems.push(`bench-sys failed: ${p.error}`);
  for (const metric of SYS_METRICS) {
    const found = p.samples.filter((s) => s.metric === metric);
    if (found.length !== 1) problems.push(`${metric}: ${found.length} result lines (want 1)`);
    for (const s of found) {
      if (!(s.minNs <= s.medianNs && s.medianNs <= s.maxNs)) problems.push(`${metric}: min ${s.minNs} <= median ${s.medianNs} <= max ${s.maxNs} does not hold`);
      if (iters !== undefined && s.iters !== iters) problems.push(`${metric}: ${s.iters} iterations (want ${iters})`);
    }
  }
  if (!p.done && p.error === undefined) problems.push('no "bench sys: done" line');
  return problems;
}
