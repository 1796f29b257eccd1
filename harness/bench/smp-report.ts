// `oskit bench smp` output: a table or JSON, from plain data (pure).
import { EXPECTED_SUM, SUM_LAST, type SmpRow } from './smp-parse.js';

export interface SmpReport {
  accel: string;
  /** QEMU -smp. */
  guestCpus: number;
  /** CPUs the kernel brought up (and benchmarked on). */
  cpusOnline: number;
  /** os.availableParallelism() on the host. */
  hostCores: number;
  runs: number;
  rows: SmpRow[];
  log?: string;
  qemuCommand?: string;
  durationMs?: number;
}

/** Why the speedup cannot exceed the host's cores, in one line. */
export function capNote(accel: string, hostCores: number): string {
  const cores = `${hostCores} core${hostCores === 1 ? '' : 's'}`;
  return accel === 'tcg'
    ? `under TCG each vCPU is a host thread, so the speedup is capped by the host's ${cores}`
    : `each vCPU is a host thread (${accel}), so the speedup is capped by the host's ${cores}`;
}

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

export function formatSmpTable(r: SmpReport): string {
  const online = r.cpusOnline === r.guestCpus ? '' : ` (${r.cpusOnline} online)`;
  const head = [
    `bench smp: sum of 1..${SUM_LAST} split over 1..${r.cpusOnline} CPUs, accel ${r.accel}, ${r.guestCpus} guest CPU${r.guestCpus === 1 ? '' : 's'}${online}, host ${r.hostCores} core${r.hostCores === 1 ? '' : 's'}, ${r.runs} run${r.runs === 1 ? '' : 's'} each`,
    `note: ${capNote(r.accel, r.hostCores)}`,
  ];
  const header = ['CPUs', 'median ms', 'min ms', 'max ms', 'speedup', 'efficiency'];
  const body = r.rows.map((row) => [
    String(row.cpus),
    fixed(row.medianMs, 3),
    fixed(row.minMs, 3),
    fixed(row.maxMs, 3),
    `${fixed(row.speedup, 2)}x`,
    fixed(row.efficiency, 2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [...head, line(header), ...body.map(line)].join('\n') + '\n';
}

/** JSON for --json: numbers as numbers, the exact sum as a string. */
export function smpJson(r: SmpReport): string {
  return JSON.stringify({
    benchmark: 'smp',
    accel: r.accel,
    guestCpus: r.guestCpus,
    cpusOnline: r.cpusOnline,
    hostCores: r.hostCores,
    runs: r.runs,
    sumOf: `1..${SUM_LAST}`,
    expectedSum: String(EXPECTED_SUM),
    note: capNote(r.accel, r.hostCores),
    rows: r.rows.map((row) => ({
      ...row,
      speedup: Number.isFinite(row.speedup) ? row.speedup : null,
      efficiency: Number.isFinite(row.efficiency) ? row.efficiency : null,
    })),
    ...(r.log !== undefined ? { log: r.log } : {}),
    ...(r.qemuCommand !== undefined ? { qemuCommand: r.qemuCommand } : {}),
    ...(r.durationMs !== undefined ? { durationMs: r.durationMs } : {}),
  }, null, 2) + '\n';
}
