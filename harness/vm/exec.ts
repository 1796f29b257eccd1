// `oskit exec PATH [ARGS...]`: boot with PATH as PID 1 (init=PATH -- ARGS on
// the per-run command line), show the program's output on stdout as it
// comes, and exit with its exit status, so a guest program runs like a host
// command in a script or in CI. The whole serial log is kept in build/logs/;
// the boot log before the program is hidden (--verbose shows it), kernel
// lines and decoded system call traces go to stderr. Bounded like `oskit
// test`: the run bound, console silence, and a grace period for QEMU to exit
// once PID 1 ended.
import path from 'node:path';
import { colorErr } from '../color.js';
import { OskitError } from '../errors.js';
import { notice } from '../log.js';
import { rel, type Project } from '../project.js';
import { symbolizeLines, symbolizerFor } from '../report/symbolize.js';
import { resolveRunRootfs, writeRunRootfs, type RunRootfsOptions } from './additions.js';
import type { ExitInfo } from './console.js';
import { execOutcome, ExecLogParser, type ExecEvent, type ExecOutcome } from './exec-log.js';
import { execCmdline } from './init-cmdline.js';
import { linkLastLog, prepareSession, startConsole, timestamp, type BootOptions, type Session } from './session.js';
import { Watchdog } from './watchdog.js';

export interface ExecOptions extends BootOptions, RunRootfsOptions {
  /** Guest path of the program to run as PID 1. */
  path: string;
  args?: readonly string[];
  /** --add HOST_PATH[:GUEST_PATH] */
  add?: readonly string[];
  traceSyscalls?: boolean;
  /** More kernel arguments (--cmdline), before init=. */
  cmdlineExtra?: string;
  /** Show the boot log and what follows the program on stderr. */
  verbose?: boolean;
  /** Where the program's output goes (default: this process's stdout). */
  stdout?: (text: string) => void;
  /** Where traces, kernel lines and messages go (default: stderr). */
  stderr?: (text: string) => void;
  /** How long held text (a newline the kernel may claim) waits for more output. Default 50 ms. */
  idleMs?: number;
  /** Time QEMU gets to exit after PID 1 ended or a crash report. Default 10 s. */
  exitGraceMs?: number;
  /** Bound for the whole run instead of the configured testTimeoutMs. */
  timeoutMs?: number;
}

export interface ExecRun {
  exitCode: number;
  outcome: ExecOutcome;
  exit: ExitInfo;
  session: Session;
  command: string;
  logFile: string;
  output: string;
  durationMs: number;
}

/** A writer that stops quietly when the reader went away (`oskit exec ... | head -1`). */
function streamWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let broken = false;
  stream.on('error', () => {
    broken = true;
  });
  return (text) => {
    if (!broken) stream.write(text);
  };
}

/** Run PATH as PID 1 once; the program's output is shown while it runs. */
export async function runExec(project: Project, options: ExecOptions): Promise<ExecRun> {
  // Everything that can be refused is refused before anything builds or boots.
  const cmdline = execCmdline(options.path, options.args ?? [], {
    ...(options.cmdlineExtra ? { cmdlineExtra: options.cmdlineExtra } : {}),
    ...(options.traceSyscalls ? { traceSyscalls: true } : {}),
  });
  const rootfs = resolveRunRootfs(options);
  const out = options.stdout ?? streamWriter(process.stdout);
  const err = options.stderr ?? ((text: string) => process.stderr.write(text));
  const session = await prepareSession(project, options);
  const { config } = session;
  // The configured line comes first on the kernel's command line: a `--` there would swallow init=.
  if (config.cmdline.split(/\s+/).includes('--')) throw new OskitError('config: cmdline must not contain "--" for oskit exec: the program\'s arguments follow it');
  const archive = writeRunRootfs(project, rootfs);
  try {
    const logName = `exec-${timestamp()}-${process.pid}.log`;
    const started = Date.now();
    const { console: vm } = startConsole(session, {
      cmdlineExtra: cmdline,
      ...(archive.file ? { initrdOverlay: archive.file } : {}),
      logName,
    });
    linkLastLog(project, logName, 'last-exec.log');
    const watchdog = new Watchdog(vm, {
      timeoutMs: options.timeoutMs ?? config.testTimeoutMs,
      timeoutName: options.timeoutMs !== undefined ? 'its bound' : 'testTimeoutMs',
      silenceMs: config.bootTimeoutMs,
      graceMs: options.exitGraceMs ?? 10_000,
      what: 'program',
    });
    const parser = new ExecLogParser();
    const show = (events: ExecEvent[]) => {
      for (const e of events) {
        if (e.kind === 'output') out(e.text);
        else if (e.kind === 'trace' || e.kind === 'kernel') err(e.text);
        else if (options.verbose) err(e.text);
      }
    };
    let idle: NodeJS.Timeout | undefined;
    vm.onText((text) => {
      if (idle) clearTimeout(idle);
      show(parser.push(text));
      if (parser.ending) watchdog.armGrace('PID 1 ended');
      else if (parser.crashed && /end of report/.test(text)) watchdog.armGrace('the kernel printed its crash report');
      if (parser.holding) idle = setTimeout(() => show(parser.flush()), options.idleMs ?? 50);
    });
    let exit: ExitInfo;
    try {
      exit = await vm.waitExit();
    } finally {
      watchdog.stop();
      if (idle) clearTimeout(idle);
    }
    show(parser.end());
    const outcome = execOutcome(parser, vm.output, exit, watchdog.killedFor);
    const run: ExecRun = { exitCode: outcome.exitCode, outcome, exit, session, command: vm.command, logFile: vm.logFile, output: vm.output, durationMs: Date.now() - started };
    report(project, run, options.verbose ?? false, err);
    return run;
  } finally {
    archive.remove();
  }
}

/** After the run: the crash report symbolised, a signal notice, one line per problem, where the log is. */
function report(project: Project, run: ExecRun, verbose: boolean, err: (text: string) => void): void {
  const { outcome } = run;
  if (outcome.crashReport) err(`${symbolizeLines(outcome.crashReport, symbolizerFor(project)).join('\n')}\n`);
  if (outcome.note) notice(outcome.note);
  for (const p of outcome.problems) err(`${colorErr.red(`oskit: ${p}`)}\n`);
  const harnessTrouble = outcome.problems.length > 0 && !outcome.problems[0]!.startsWith('cannot execute ');
  if (harnessTrouble) err(`oskit: QEMU command: ${run.command}\n`);
  if (harnessTrouble || verbose) err(`oskit: serial log: ${rel(project, run.logFile)} (also build/logs/last-exec.log), ${(run.durationMs / 1000).toFixed(1)} s\n`);
}
