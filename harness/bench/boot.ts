// `oskit bench boot`: wall time from QEMU spawn to the serial line
// containing `oskit ready`, over several runs; QEMU is killed after each.
import os from 'node:os';
import type { Project } from '../project.js';
import { prepareSession, sessionHeader, startConsole, type BootOptions, type Session } from '../vm/session.js';
import { median } from './stats.js';

export { median } from './stats.js';

export interface BootBenchOptions extends BootOptions {
  runs?: number;
  /** Called after each run with its time in ms. */
  onRun?: (index: number, ms: number) => void;
}

export interface BootBench {
  session: Session;
  times: number[];
  median: number;
  min: number;
  max: number;
  hostCores: number;
}

export const READY = /oskit ready/;

export async function benchBoot(project: Project, options: BootBenchOptions = {}): Promise<BootBench> {
  const runs = options.runs ?? 5;
  const session = await prepareSession(project, options);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { console: vm } = startConsole(session, { logName: `bench-boot-${i + 1}.log` });
    try {
      await vm.expect(READY, session.config.bootTimeoutMs);
      const ms = Date.now() - vm.startedAt;
      times.push(ms);
      options.onRun?.(i + 1, ms);
    } finally {
      await vm.kill();
    }
  }
  return { session, times, median: median(times), min: Math.min(...times), max: Math.max(...times), hostCores: os.cpus().length };
}

export function formatBench(b: BootBench): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  return [
    `boot to "oskit ready": ${sessionHeader(b.session)}, host ${b.hostCores} cores, ${b.times.length} runs`,
    `  median ${s(b.median)}   min ${s(b.min)}   max ${s(b.max)}`,
    `  runs: ${b.times.map(s).join(', ')}`,
  ].join('\n') + '\n';
}
