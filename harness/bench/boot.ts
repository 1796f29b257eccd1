// `oskit bench boot`: wall time from QEMU's spawn to the shell's prompt
// (and, on the way, to the kernel's first line and to `oskit ready`), and in
// the same run, alternating with it and booted the same way, the floor
// kernel (floor.ts): QEMU, firmware and GRUB with nothing after them. QEMU
// is killed after each boot of the real kernel; the floor exits by itself.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatSize } from '../config/schema.js';
import { OskitError } from '../errors.js';
import type { Project } from '../project.js';
import type { Console } from '../vm/console.js';
import { prepareSession, startConsole, type BootOptions, type Session } from '../vm/session.js';
import { bootReport, kernelStampMs, type BootReport, type OskitBoot } from './boot-report.js';
import { buildFloor, FLOOR_EXIT_STATUS, FLOOR_LINE } from './floor.js';

export { median } from './stats.js';

export interface BootBenchOptions extends BootOptions {
  runs?: number;
  /** Called after each boot with what ran and its time in ms (to the prompt for oskit). */
  onRun?: (index: number, kind: 'oskit' | 'floor', ms: number) => void;
}

export const KERNEL_START = /oskit \S+ \(x86_64\) starting/;
export const READY = /oskit ready/;

/** The shell's prompt at / for a hostname, as /bin/sh prints it. */
export function promptFor(hostname: string): string {
  return `${hostname}:/$ `;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Wait for `pattern`; the wall ms since QEMU's spawn when it appeared. */
async function timeTo(vm: Console, pattern: RegExp, timeoutMs: number, what: string): Promise<number> {
  try {
    await vm.expect(pattern, timeoutMs);
  } catch (e) {
    if (e instanceof OskitError) {
      throw new OskitError(`bench boot: ${what}: ${e.message}`, `the serial log is ${path.relative(process.cwd(), vm.logFile) || vm.logFile}`, { details: e.details });
    }
    throw e;
  }
  return Date.now() - vm.startedAt;
}

async function bootOskit(session: Session, run: number): Promise<OskitBoot> {
  const { console: vm } = startConsole(session, { logName: `bench-boot-${run}.log` });
  const bound = session.config.bootTimeoutMs;
  const prompt = promptFor(session.config.hostname);
  try {
    const entryMs = await timeTo(vm, KERNEL_START, bound, 'the kernel');
    const readyMs = await timeTo(vm, READY, bound, 'the kernel');
    const promptMs = await timeTo(vm, new RegExp(escape(prompt)), bound, 'the shell');
    const kernelReadyMs = kernelStampMs(vm.output, READY);
    return { entryMs, readyMs, promptMs, ...(kernelReadyMs !== undefined ? { kernelReadyMs } : {}) };
  } finally {
    await vm.kill();
  }
}

async function bootFloor(session: Session, floorIso: string, run: number): Promise<number> {
  const { console: vm } = startConsole({ ...session, iso: floorIso }, { logName: `bench-boot-floor-${run}.log` });
  try {
    const ms = await timeTo(vm, FLOOR_LINE, session.config.bootTimeoutMs, 'the floor kernel');
    const exit = await vm.waitExit();
    if (exit.status !== FLOOR_EXIT_STATUS) {
      throw new OskitError(`bench boot: the floor kernel did not leave through isa-debug-exit (QEMU ${exit.status !== null ? `status ${exit.status}` : `signal ${exit.signal}`}, expected ${FLOOR_EXIT_STATUS})`,
        `the serial log is ${path.relative(process.cwd(), vm.logFile)}`);
    }
    return ms;
  } finally {
    await vm.kill();
  }
}

export async function benchBoot(project: Project, options: BootBenchOptions = {}): Promise<BootReport> {
  const runs = options.runs ?? 5;
  const session = await prepareSession(project, options);
  const floorIso = await buildFloor(project, readFileSync(path.join(project.genDir, 'grub.cfg'), 'utf8'));
  const oskit: OskitBoot[] = [];
  const floor: number[] = [];
  for (let i = 1; i <= runs; i++) {
    // Alternate which goes first, so a change in the host's load during
    // the run falls on both alike.
    const order = i % 2 ? (['oskit', 'floor'] as const) : (['floor', 'oskit'] as const);
    for (const kind of order) {
      if (kind === 'oskit') {
        const b = await bootOskit(session, i);
        oskit.push(b);
        options.onRun?.(i, kind, b.promptMs);
      } else {
        const ms = await bootFloor(session, floorIso, i);
        floor.push(ms);
        options.onRun?.(i, kind, ms);
      }
    }
  }
  return bootReport({
    accel: session.accel,
    cpus: session.config.cpus,
    memory: formatSize(session.config.memoryBytes),
    hostCores: os.cpus().length,
    runs,
    prompt: promptFor(session.config.hostname),
    oskit,
    floor,
  });
}
