// `oskit bench smp`: boot once with `bench=smp bench_runs=R`; the kernel
// times the distributed sum of 1..10,000,000 on 1..N CPUs, R runs each, and
// exits. Every wait is bounded (testTimeoutMs overall, bootTimeoutMs of
// silence, a grace period for the exit after `done`); QEMU is always killed.
import os from 'node:os';
import { OskitError } from '../errors.js';
import { rel, type Project } from '../project.js';
import { symbolizerFor, symbolizeText } from '../report/symbolize.js';
import { TAIL_LINES, type ExitInfo } from '../vm/console.js';
import { formatSize } from '../config/schema.js';
import { decodeExit, explainQemuFailure, EXIT_SUCCESS } from '../vm/exit.js';
import { prepareSession, startConsole, timestamp, type BootOptions, type Session } from '../vm/session.js';
import { checkSmpBench, parseSmpBench, parseSmpLine, smpRows, type SmpParse, type SmpRow, type SmpSample } from './smp-parse.js';
import type { SmpReport } from './smp-report.js';
import { Watchdog } from '../vm/watchdog.js';

export interface SmpBenchOptions extends BootOptions {
  /** Runs per CPU count (bench_runs, default 5). */
  runs?: number;
  /** Bound for the whole run instead of the configured testTimeoutMs. */
  timeoutMs?: number;
  /** Grace period for QEMU to exit after `bench smp: done`. */
  exitGraceMs?: number;
  /** More kernel arguments after `bench=smp bench_runs=R` (e.g. loglevel=3). */
  kernelArgs?: string;
  /** More QEMU arguments. */
  extraArgs?: readonly string[];
  /** Called for every sample line as it arrives. */
  onSample?: (sample: SmpSample) => void;
}

export interface SmpBench {
  session: Session;
  runs: number;
  cpusOnline: number;
  hostCores: number;
  parsed: SmpParse;
  rows: SmpRow[];
  exit: ExitInfo;
  command: string;
  logFile: string;
  output: string;
  durationMs: number;
}

export const DONE_LINE = /bench smp: done/;

/** The failure with what the user needs to see: the console tail (symbolised) and the QEMU command. */
function failure(project: Project, message: string, output: string, command: string, logFile: string): OskitError {
  const lines = symbolizeText(output, symbolizerFor(project)).replace(/\n$/, '').split('\n').slice(-TAIL_LINES);
  return new OskitError(message, `the whole serial log is ${rel(project, logFile)}`, {
    details: `--- last ${lines.length} console lines ---\n${lines.join('\n')}\n--- QEMU command ---\n${command}\n`,
  });
}

export async function benchSmp(project: Project, options: SmpBenchOptions = {}): Promise<SmpBench> {
  const runs = options.runs ?? 5;
  if (!Number.isInteger(runs) || runs < 1 || runs > 1000) throw new OskitError(`--runs must be an integer from 1 to 1000 (got ${runs})`);
  const session = await prepareSession(project, options);
  const { config } = session;
  const started = Date.now();
  const { console: vm } = startConsole(session, {
    cmdlineExtra: `bench=smp bench_runs=${runs} ${options.kernelArgs ?? ''}`.trim(),
    ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
    logName: `bench-smp-${timestamp()}-${process.pid}.log`,
  });

  const watchdog = new Watchdog(vm, {
    timeoutMs: options.timeoutMs ?? config.testTimeoutMs,
    timeoutName: options.timeoutMs !== undefined ? 'its bound' : 'testTimeoutMs',
    silenceMs: config.bootTimeoutMs,
    graceMs: options.exitGraceMs ?? 10_000,
    what: 'benchmark',
  });
  vm.onLine((line) => {
    const sample = parseSmpLine(line);
    if (sample) options.onSample?.(sample);
    if (DONE_LINE.test(line)) watchdog.armGrace('the kernel printed "bench smp: done"');
  });
  let exit: ExitInfo;
  try {
    exit = await vm.waitExit();
  } finally {
    watchdog.stop();
    await vm.kill();
  }
  const durationMs = Date.now() - started;
  const output = vm.output;
  const fail = (message: string) => failure(project, message, output, vm.command, vm.logFile);
  if (watchdog.killedFor) throw fail(`bench smp: stopped QEMU: ${watchdog.killedFor}`);

  const parsed = parseSmpBench(output);
  const decoded = decodeExit(exit);
  if (!parsed.done) throw fail(`bench smp: QEMU exited before "bench smp: done": ${explainQemuFailure(decoded, output, formatSize(config.memoryBytes))}`);
  if (exit.status !== EXIT_SUCCESS) throw fail(`bench smp: the kernel printed "bench smp: done", but ${decoded.message}`);

  const cpusOnline = parsed.online?.online ?? config.cpus;
  const problems = checkSmpBench(parsed, { cpus: cpusOnline, runs });
  if (problems.length) {
    throw new OskitError(
      `bench smp: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the kernel's results: ${problems[0]}`,
      `the whole serial log is ${rel(project, vm.logFile)}`,
      { details: problems.map((p) => `  ${p}`).join('\n') },
    );
  }
  return {
    session,
    runs,
    cpusOnline,
    hostCores: os.availableParallelism(),
    parsed,
    rows: smpRows(parsed.samples),
    exit,
    command: vm.command,
    logFile: vm.logFile,
    output,
    durationMs,
  };
}

/** The plain data the table and JSON are made from. */
export function smpReport(b: SmpBench): SmpReport {
  return {
    accel: b.session.accel,
    guestCpus: b.session.config.cpus,
    cpusOnline: b.cpusOnline,
    hostCores: b.hostCores,
    runs: b.runs,
    rows: b.rows,
    log: rel(b.session.project, b.logFile),
    qemuCommand: b.command,
    durationMs: b.durationMs,
  };
}
