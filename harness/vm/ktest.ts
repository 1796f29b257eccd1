// `oskit test`: boot with `ktest` (or `ktest=GLOB`) passed through fw_cfg,
// keep the whole serial log, parse KTAP, and turn every way a run can go
// wrong (panic, triple fault, silence, no exit) into a reported result.
import { allPassed, parseKtap, type KtapResult, type TestNode } from '../report/ktap.js';
import { symbolizerFor, symbolizeText } from '../report/symbolize.js';
import type { Project } from '../project.js';
import { resolveRunRootfs, writeRunRootfs, type RunRootfsOptions } from './additions.js';
import type { ExitInfo } from './console.js';
import { formatSize } from '../config/schema.js';
import { decodeExit, explainQemuFailure, EXIT_SUCCESS, EXIT_TESTS_FAILED } from './exit.js';
import { Watchdog } from './watchdog.js';
import { linkLastLog, prepareSession, startConsole, timestamp, type BootOptions, type Session } from './session.js';

export interface TestRunOptions extends BootOptions, RunRootfsOptions {
  /** Glob of suites or suite.case names (ktest=GLOB). */
  filter?: string;
  /** More kernel arguments after `ktest` (e.g. crash=pf, loglevel=3). */
  kernelArgs?: string;
  /** Grace period for QEMU to exit once the run is complete or a crash report ended. */
  exitGraceMs?: number;
  /** Bound for the whole run instead of the configured testTimeoutMs. */
  timeoutMs?: number;
  /** The -M value instead of q35 (e.g. 'pc,acpi=off'). */
  machine?: string;
  /** More QEMU arguments. */
  extraArgs?: readonly string[];
  /** --add HOST_PATH[:GUEST_PATH]: files unpacked over the root for this run. */
  add?: readonly string[];
  /** trace_syscalls on the kernel command line (the raw trace lines stay in the log). */
  traceSyscalls?: boolean;
}

export interface TestRun {
  result: KtapResult;
  passed: boolean;
  exit: ExitInfo;
  /** Why the run failed beyond failing tests (panic, triple fault, timeout, exit status). */
  problems: string[];
  session: Session;
  command: string;
  logFile: string;
  output: string;
  /** The panic / exception report, symbolised, when the kernel printed one. */
  crashReport?: string[];
  durationMs: number;
}

/** The kernel's panic or exception report: from its first line to `end of report`. */
export function extractCrashReport(output: string): string[] | undefined {
  const lines = output.split('\n');
  const start = lines.findIndex((l) => /^(KERNEL PANIC:|EXCEPTION:)/.test(l.trimStart()));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /end of report/.test(l));
  return lines.slice(start, end < 0 ? undefined : end + 1);
}

function relabel(nodes: TestNode[], from: TestNode['status'], to: TestNode['status'], note: string): void {
  for (const n of nodes) {
    if (n.status === from) {
      n.status = to;
      if (n.consoleTail && note) n.diagnostics.push(note);
    }
    relabel(n.children, from, to, note);
  }
}

/** Run the kernel's test suites once and report. Never hangs: every wait is bounded. */
export async function runKernelTests(project: Project, options: TestRunOptions = {}): Promise<TestRun> {
  resolveRunRootfs(options); // a missing --add file or busybox fails before the build
  return runTestsOnce(await prepareSession(project, options), options);
}

/**
 * One boot of a prepared session with `ktest`: its own serial log under
 * build/logs/ (`logName`, default test-<time>-<pid>.log), linked from
 * last-test.log.
 */
export async function runTestsOnce(session: Session, options: TestRunOptions & { logName?: string } = {}): Promise<TestRun> {
  const { config, project } = session;
  const logName = options.logName ?? `test-${timestamp()}-${process.pid}.log`;
  // Removed when QEMU has exited (and on every exit path of the process).
  const archive = writeRunRootfs(project, resolveRunRootfs(options));
  const started = Date.now();
  const { console: vm } = startConsole(session, {
    cmdlineExtra: [options.filter ? `ktest=${options.filter}` : 'ktest', options.kernelArgs ?? '', options.traceSyscalls ? 'trace_syscalls' : ''].join(' ').replace(/ +/g, ' ').trim(),
    ...(archive.file ? { initrdOverlay: archive.file } : {}),
    ...(options.machine ? { machine: options.machine } : {}),
    ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
    logName,
  });
  linkLastLog(project, logName, 'last-test.log');

  const problems: string[] = [];
  const watchdog = new Watchdog(vm, {
    timeoutMs: options.timeoutMs ?? config.testTimeoutMs,
    timeoutName: options.timeoutMs !== undefined ? 'its bound' : 'testTimeoutMs',
    silenceMs: config.bootTimeoutMs,
    graceMs: options.exitGraceMs ?? 10_000,
    what: 'test run',
  });
  vm.onLine((line) => {
    if (/end of report/.test(line)) watchdog.armGrace('the kernel printed its crash report');
    else if (/^(ok|not ok) \d+/.test(line)) {
      const r = parseKtap(vm.output);
      if (!r.crashed && r.plan !== undefined && r.tests.length >= r.plan) watchdog.armGrace('all tests reported');
    }
  });
  let exit: ExitInfo;
  try {
    exit = await vm.waitExit();
  } finally {
    watchdog.stop();
    archive.remove();
  }
  const durationMs = Date.now() - started;
  const output = vm.output;
  // Console tails and the crash report are shown symbolised: one pass over the whole log.
  const shown = symbolizeText(output, symbolizerFor(project));
  const result = parseKtap(shown);

  const crash = extractCrashReport(shown);
  const killedFor = watchdog.killedFor;
  if (killedFor) {
    problems.push(`stopped QEMU: ${killedFor}`);
    relabel(result.tests, 'crashed', watchdog.timedOut ? 'timeout' : 'crashed', killedFor);
  } else {
    const decoded = decodeExit(exit);
    const complete = allPassed(result);
    if (decoded.outcome === 'panic' || decoded.outcome === 'triple-fault') {
      problems.push(decoded.message);
      relabel(result.tests, 'crashed', 'crashed', decoded.message);
    } else if (exit.status === EXIT_SUCCESS && !complete) {
      const why = result.crashed
        ? 'the kernel reported success but its KTAP output stops before the end of the run'
        : 'the kernel reported success but the KTAP results contain failures';
      problems.push(why);
      if (result.crashed) relabel(result.tests, 'crashed', 'crashed', why);
    } else if (exit.status === EXIT_TESTS_FAILED && complete) {
      problems.push('the kernel reported failing tests but every KTAP result passed');
    } else if (exit.status !== EXIT_SUCCESS && exit.status !== EXIT_TESTS_FAILED) {
      const why = explainQemuFailure(decoded, output, formatSize(config.memoryBytes));
      problems.push(why);
      relabel(result.tests, 'crashed', 'crashed', why);
    } else {
      relabel(result.tests, 'crashed', 'crashed', '');
    }
  }
  const crashReport = crash;
  const passed = allPassed(result) && exit.status === EXIT_SUCCESS && problems.length === 0 && !killedFor;
  const run: TestRun = {
    result,
    passed,
    exit,
    problems,
    session,
    command: vm.command,
    logFile: vm.logFile,
    output,
    durationMs,
  };
  if (crashReport) run.crashReport = crashReport;
  return run;
}
