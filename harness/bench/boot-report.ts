// `oskit bench boot` results: the kernel's own timestamps from the serial
// log, the summary of the runs, and the table or JSON (pure functions).
import { median } from './stats.js';

/** One boot of the real kernel: wall ms from QEMU's spawn to each line. */
export interface OskitBoot {
  /** The kernel's first line (`oskit VERSION (x86_64) starting`). */
  entryMs: number;
  /** `oskit ready`. */
  readyMs: number;
  /** The shell's prompt (`HOSTNAME:/$ `). */
  promptMs: number;
  /** The timestamp the kernel printed on its `oskit ready` line, in ms of its own clock. */
  kernelReadyMs?: number;
}

export interface BootBenchData {
  accel: string;
  /** QEMU -smp. */
  cpus: number;
  memory: string;
  hostCores: number;
  runs: number;
  /** The prompt waited for, as typed by the shell. */
  prompt: string;
  oskit: OskitBoot[];
  /** Wall ms from QEMU's spawn to the floor kernel's line, one per run. */
  floor: number[];
}

export interface Summary {
  median: number;
  min: number;
  max: number;
}

export interface BootReport extends Omit<BootBenchData, 'oskit' | 'floor'> {
  floor: Summary;
  entry: Summary;
  ready: Summary;
  promptTime: Summary;
  /** From the kernel's timestamps; absent when no line carried one. */
  kernelReady?: Summary;
  /** Median boot to the prompt over the median floor. */
  ratio: number;
  /** Median boot to `oskit ready` over the median floor. */
  readyRatio: number;
  samples: { oskit: OskitBoot[]; floor: number[] };
}

export function summarize(values: readonly number[]): Summary {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * The kernel's timestamp, in ms, on the first log line matching `pattern`
 * (`[    0.083] oskit ready: ...` gives 83); undefined when there is none.
 */
export function kernelStampMs(log: string, pattern: RegExp): number | undefined {
  for (const line of log.split('\n')) {
    const m = /^\[\s*(\d+)\.(\d{3})\] (.*)$/.exec(line.replace(/\r$/, ''));
    if (m && pattern.test(m[3]!)) return Number(m[1]) * 1000 + Number(m[2]);
  }
  return undefined;
}

export function bootReport(data: BootBenchData): BootReport {
  const { oskit, floor, ...rest } = data;
  const floorS = summarize(floor);
  const promptTime = summarize(oskit.map((b) => b.promptMs));
  const ready = summarize(oskit.map((b) => b.readyMs));
  const stamps = oskit.flatMap((b) => (b.kernelReadyMs === undefined ? [] : [b.kernelReadyMs]));
  return {
    ...rest,
    floor: floorS,
    entry: summarize(oskit.map((b) => b.entryMs)),
    ready,
    promptTime,
    ...(stamps.length ? { kernelReady: summarize(stamps) } : {}),
    ratio: promptTime.median / floorS.median,
    readyRatio: ready.median / floorS.median,
    samples: { oskit, floor },
  };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatBootReport(r: BootReport): string {
  const rows: Array<[string, Summary]> = [
    ['floor: QEMU, firmware, GRUB', r.floor],
    ['oskit: first kernel line', r.entry],
    ['oskit: "oskit ready"', r.ready],
    [`oskit: shell prompt "${r.prompt}"`, r.promptTime],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const head = `${''.padEnd(width)}    median       min       max`;
  const lines = [
    `bench boot: accel ${r.accel}, ${plural(r.cpus, 'CPU')}, ${r.memory} RAM, host ${plural(r.hostCores, 'core')}, ${plural(r.runs, 'run')} of each kernel (alternating)`,
    'wall time from QEMU spawn to the serial line:',
    head,
    ...rows.map(([name, s]) => `${name.padEnd(width)}  ${secs(s.median).padStart(8)}  ${secs(s.min).padStart(8)}  ${secs(s.max).padStart(8)}`),
  ];
  if (r.kernelReady) lines.push(`kernel log at "oskit ready" (its own clock): median ${secs(r.kernelReady.median)}, min ${secs(r.kernelReady.min)}, max ${secs(r.kernelReady.max)}`);
  lines.push(`ratio to the floor (medians): shell prompt ${r.ratio.toFixed(2)}, "oskit ready" ${r.readyRatio.toFixed(2)}`);
  return lines.join('\n') + '\n';
}

/** JSON for --json: times in ms. */
export function bootJson(r: BootReport): string {
  return JSON.stringify({ benchmark: 'boot', ...r }, null, 2) + '\n';
}
