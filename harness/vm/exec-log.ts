// Reading an `oskit exec` serial log (DESIGN.md, "Running a program as PID
// 1"): the boot log up to `init: running PATH`, then the program's output
// with kernel lines among it (trace lines, log lines, a crash report), then
// the line saying how PID 1 ended. ExecLogParser reads the log as it arrives
// (oskit exec streams the program's output) and parseExecLog reads a whole
// saved log with the same code; execOutcome turns what was read and QEMU's
// exit into the command's exit status. All pure.
import { decodeTraceLine } from '../syscall/decode.js';
import type { ExitInfo } from './console.js';
import { decodeExit, EXIT_PANIC, EXIT_SUCCESS, EXIT_TRIPLE_FAULT } from './exit.js';
import { extractCrashReport } from './ktest.js';

export type ExecEvent =
  /** A kernel line before the program started (shown with --verbose). */
  | { kind: 'boot'; text: string }
  /** Program output, byte for byte as it should reach stdout. */
  | { kind: 'output'; text: string }
  /** A decoded system call trace line (stderr). */
  | { kind: 'trace'; text: string }
  /** A kernel line while the program runs (stderr). */
  | { kind: 'kernel'; text: string }
  /** A crash report, and whatever follows the end of PID 1 (shown with --verbose). */
  | { kind: 'after'; text: string };

export type Ending =
  | { kind: 'exited'; path: string; status: number }
  | { kind: 'killed'; path: string; signal: number; name: string }
  | { kind: 'poweroff' }
  | { kind: 'cannot-execute'; path: string; reason: string; errno: string };

/** isa-debug-exit 0x13: init could not be executed (QEMU exit status 39). */
export const EXIT_CANNOT_EXECUTE = 39;

const LOG_LINE = /^\[ *\d+\.\d{3}\] (.*)$/;
const RUNNING = /^init: running (.+)$/;
const EXITED = /^init: (.+) exited with status (\d+)$/;
const KILLED = /^init: (.+) killed by signal (\d+)(?: \((\w+)\))?$/;
const CANNOT = /^init: cannot execute (.+?): (.+) \((E[A-Z0-9_]+)\)$/;
const POWER_DOWN = /^reboot: Power down$/;
const REPORT = /^\s*(KERNEL PANIC:|EXCEPTION:)/;
const REPORT_END = /end of report/;

// What may start a kernel line inside the program's output, after an
// optional `+` (the kernel broke the program's partial line to print it).
const KERNEL_HEADS = [/^strace: /, /^\[ *\d+\.\d{3}\] /, /^(KERNEL PANIC:|EXCEPTION:)/, /^reboot: Power down$/];
const LITERAL_HEADS = ['strace: ', 'KERNEL PANIC:', 'EXCEPTION:', 'reboot: Power down'];
const TIMESTAMP_PREFIX = /^(?:\[ *(?:\d+(?:\.(?:\d{0,2}|\d{3}\]?))?)?)?$/;

/** 'kernel' when `start` (the beginning of a line) is a kernel line, 'maybe' while it can still become one, else 'program'. */
export function classifyLineStart(start: string, complete: boolean): 'kernel' | 'maybe' | 'program' {
  const s = start.startsWith('+') ? start.slice(1) : start;
  if (KERNEL_HEADS.some((h) => h.test(s))) return 'kernel';
  if (complete) return 'program';
  if (LITERAL_HEADS.some((h) => h.startsWith(s)) || TIMESTAMP_PREFIX.test(s)) return 'maybe';
  return 'program';
}

/** The message of a log line (`[    1.234] init: ...` -> `init: ...`), or the line itself. */
function message(line: string): string {
  return LOG_LINE.exec(line)?.[1] ?? line;
}

/** How PID 1 ended, when `msg` (a log message) says so. */
export function parseEnding(msg: string): Ending | undefined {
  let m = EXITED.exec(msg);
  if (m) return { kind: 'exited', path: m[1]!, status: Number(m[2]) };
  m = KILLED.exec(msg);
  if (m) return { kind: 'killed', path: m[1]!, signal: Number(m[2]), name: m[3] ?? '' };
  m = CANNOT.exec(msg);
  if (m) return { kind: 'cannot-execute', path: m[1]!, reason: m[2]!, errno: m[3]! };
  if (POWER_DOWN.test(msg)) return { kind: 'poweroff' };
  return undefined;
}

type Phase = 'boot' | 'program' | 'done';

export class ExecLogParser {
  /** The path in `init: running PATH`, once seen. */
  runningPath: string | undefined;
  ending: Ending | undefined;
  /** The kernel printed a KERNEL PANIC / EXCEPTION report. */
  crashed = false;
  private phase: Phase = 'boot';
  /** Inside a report, up to its `end of report` line. */
  private inReport = false;
  private buffer = '';
  /** At the start of a line in the program phase. */
  private atLineStart = true;
  /** The program's last newline, held until the next line shows whether the kernel inserted it. */
  private heldNewline = false;
  /** A kernel line being collected in the program phase. */
  private kernelLine: string | undefined;

  get started(): boolean {
    return this.runningPath !== undefined;
  }

  /** True while undecided text is held back (a flush after a pause would show it). */
  get holding(): boolean {
    return this.phase === 'program' && !this.inReport && this.kernelLine === undefined && (this.heldNewline || this.buffer !== '');
  }

  /** Feed serial text; returns what can be shown now. */
  push(text: string): ExecEvent[] {
    this.buffer += text;
    const events: ExecEvent[] = [];
    this.run(events);
    return events;
  }

  /**
   * The console went quiet: show held text as program output (a prompt
   * without a newline, a line that looked like the start of a kernel line).
   */
  flush(): ExecEvent[] {
    const events: ExecEvent[] = [];
    if (this.phase === 'program' && !this.inReport && this.kernelLine === undefined) {
      const text = (this.heldNewline ? '\n' : '') + this.buffer;
      if (text) events.push({ kind: 'output', text });
      this.heldNewline = false;
      if (this.buffer) this.atLineStart = false;
      this.buffer = '';
    }
    return events;
  }

  /** The log ended: everything left, classified as well as it can be. */
  end(): ExecEvent[] {
    const events: ExecEvent[] = [];
    if (this.phase === 'program' && !this.inReport) {
      if (this.kernelLine !== undefined) {
        const line = this.kernelLine + this.buffer;
        this.kernelLine = undefined;
        this.buffer = '';
        this.kernelLineDone(line, events);
      } else events.push(...this.flush());
    }
    if (this.buffer) {
      events.push({ kind: this.phase === 'boot' && !this.inReport ? 'boot' : 'after', text: this.buffer });
      this.buffer = '';
    }
    return events;
  }

  private run(events: ExecEvent[]): void {
    for (;;) {
      if (this.phase !== 'program' || this.inReport) {
        const nl = this.buffer.indexOf('\n');
        if (nl < 0) return;
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.wholeLine(line, events);
        continue;
      }
      if (this.kernelLine !== undefined) {
        const nl = this.buffer.indexOf('\n');
        if (nl < 0) {
          this.kernelLine += this.buffer;
          this.buffer = '';
          return;
        }
        const line = this.kernelLine + this.buffer.slice(0, nl);
        this.kernelLine = undefined;
        this.buffer = this.buffer.slice(nl + 1);
        this.kernelLineDone(line, events);
        continue;
      }
      if (this.buffer === '') return;
      const nl = this.buffer.indexOf('\n');
      if (this.atLineStart) {
        const start = nl < 0 ? this.buffer : this.buffer.slice(0, nl);
        const kind = classifyLineStart(start, nl >= 0);
        if (kind === 'maybe') return;
        if (kind === 'kernel') {
          this.kernelLine = '';
          continue;
        }
        if (this.heldNewline) events.push({ kind: 'output', text: '\n' });
        this.heldNewline = false;
        this.atLineStart = false;
      }
      if (nl < 0) {
        events.push({ kind: 'output', text: this.buffer });
        this.buffer = '';
        return;
      }
      if (nl > 0) events.push({ kind: 'output', text: this.buffer.slice(0, nl) });
      this.buffer = this.buffer.slice(nl + 1);
      this.heldNewline = true;
      this.atLineStart = true;
    }
  }

  /** A whole line outside the program's output: the boot log, a report, after the end. */
  private wholeLine(line: string, events: ExecEvent[]): void {
    if (this.inReport) {
      events.push({ kind: 'after', text: `${line}\n` });
      if (REPORT_END.test(line)) {
        this.inReport = false;
        this.atLineStart = true;
      }
      return;
    }
    if (this.phase === 'done') {
      events.push({ kind: 'after', text: `${line}\n` });
      return;
    }
    const body = line.startsWith('+') ? line.slice(1) : line;
    const msg = message(body);
    if (REPORT.test(body)) {
      this.startReport(body, events);
      return;
    }
    const ending = parseEnding(msg);
    if (ending) {
      this.ending = ending;
      this.phase = 'done';
      events.push({ kind: 'after', text: `${line}\n` });
      return;
    }
    events.push({ kind: 'boot', text: `${line}\n` });
    const running = RUNNING.exec(msg);
    if (running) {
      this.runningPath = running[1]!;
      this.phase = 'program';
      this.atLineStart = true;
    }
  }

  /** A complete kernel line met among the program's output. */
  private kernelLineDone(line: string, events: ExecEvent[]): void {
    const flagged = line.startsWith('+');
    const body = flagged ? line.slice(1) : line;
    // An unflagged kernel line started at column 0: the newline before it was the program's.
    if (this.heldNewline && !flagged) events.push({ kind: 'output', text: '\n' });
    this.heldNewline = false;
    this.atLineStart = true;
    const trace = decodeTraceLine(body);
    if (trace !== undefined) {
      events.push({ kind: 'trace', text: `${trace}\n` });
      return;
    }
    if (REPORT.test(body)) {
      this.startReport(body, events);
      return;
    }
    const ending = parseEnding(message(body));
    if (ending) {
      this.ending = ending;
      this.phase = 'done';
      events.push({ kind: 'after', text: `${body}\n` });
      return;
    }
    events.push({ kind: 'kernel', text: `${body}\n` });
  }

  /**
   * A KERNEL PANIC / EXCEPTION report: its lines are held back (oskit exec
   * prints it symbolised at the end). A panic ends the machine; a report
   * followed by more output (a kernel that reports user faults this way)
   * returns to where it was after `end of report`.
   */
  private startReport(first: string, events: ExecEvent[]): void {
    this.crashed = true;
    this.inReport = !REPORT_END.test(first);
    events.push({ kind: 'after', text: `${first}\n` });
  }
}

export interface ExecLog {
  /** The program's output. */
  output: string;
  /** Decoded trace lines. */
  traces: string[];
  /** Kernel lines while the program ran. */
  kernel: string[];
  /** The boot log before the program. */
  boot: string;
  runningPath: string | undefined;
  ending: Ending | undefined;
  crashed: boolean;
}

/** Read a whole saved serial log. */
export function parseExecLog(log: string): ExecLog {
  const parser = new ExecLogParser();
  const events = [...parser.push(log), ...parser.end()];
  const of = (kind: ExecEvent['kind']) => events.filter((e) => e.kind === kind).map((e) => e.text);
  return {
    output: of('output').join(''),
    traces: of('trace').map((t) => t.replace(/\n$/, '')),
    kernel: of('kernel').map((t) => t.replace(/\n$/, '')),
    boot: of('boot').join(''),
    runningPath: parser.runningPath,
    ending: parser.ending,
    crashed: parser.crashed,
  };
}

export interface ExecOutcome {
  /** What `oskit exec` exits with. */
  exitCode: number;
  /** One-line errors, printed in red. */
  problems: string[];
  /** A one-line notice that is not an error (a program killed by a signal). */
  note?: string;
  /** The kernel's crash report (unsymbolised), when it printed one. */
  crashReport?: string[];
}

/** Exit statuses like a shell's: 127 not found or not runnable, 126 found but not executable. */
function cannotExecuteCode(errno: string): number {
  return errno === 'EACCES' || errno === 'ENOEXEC' ? 126 : 127;
}

/**
 * The exit status of `oskit exec` from what the log said and how QEMU
 * ended (`killedFor`: why the harness stopped it, if it did).
 */
export function execOutcome(log: Pick<ExecLog, 'runningPath' | 'ending' | 'crashed'>, text: string, exit: ExitInfo, killedFor?: string): ExecOutcome {
  const { ending } = log;
  const report = extractCrashReport(text.replace(/^\+(?=KERNEL PANIC:|EXCEPTION:)/gm, ''));
  const withReport = (o: ExecOutcome): ExecOutcome => (report ? { ...o, crashReport: report } : o);
  const notStarted = log.runningPath === undefined && ending === undefined
    ? '; the kernel never printed "init: running PATH" (does it support init=?)'
    : '';
  if (exit.status === EXIT_PANIC || (log.crashed && killedFor)) {
    const why = exit.status === EXIT_PANIC ? 'kernel panic (isa-debug-exit 0x12)' : 'the kernel printed a crash report';
    return withReport({ exitCode: EXIT_PANIC, problems: [killedFor ? `${why}; stopped QEMU: ${killedFor}` : why] });
  }
  if (killedFor) return withReport({ exitCode: 1, problems: [`stopped QEMU: ${killedFor}${notStarted}`] });
  return withReport(endedOutcome(log, exit, notStarted));
}

/** The outcome when neither a panic nor the harness stopped the run. */
function endedOutcome(log: Pick<ExecLog, 'ending'>, exit: ExitInfo, notStarted: string): ExecOutcome {
  const { ending } = log;
  if (ending?.kind === 'cannot-execute') {
    const problems = [`cannot execute ${ending.path}: ${ending.reason} (${ending.errno})`];
    if (exit.status !== EXIT_CANNOT_EXECUTE) problems.push(`QEMU exited with status ${exit.status} (expected ${EXIT_CANNOT_EXECUTE}, isa-debug-exit 0x13)`);
    return { exitCode: cannotExecuteCode(ending.errno), problems };
  }
  const decoded = decodeExit(exit);
  if (decoded.outcome === 'triple-fault') return { exitCode: EXIT_TRIPLE_FAULT, problems: [decoded.message] };
  if (exit.status === EXIT_SUCCESS) {
    if (ending?.kind === 'exited') return { exitCode: ending.status & 0xff, problems: [] };
    if (ending?.kind === 'killed') {
      return { exitCode: 128 + ending.signal, problems: [], note: `${ending.path} killed by signal ${ending.signal}${ending.name ? ` (${ending.name})` : ''}` };
    }
    if (ending?.kind === 'poweroff') return { exitCode: 0, problems: [] };
    return { exitCode: 1, problems: [`the kernel left QEMU with success but never said how PID 1 ended (no "init: PATH exited with status N" line)${notStarted}`] };
  }
  if (exit.status === EXIT_CANNOT_EXECUTE) {
    return { exitCode: 127, problems: ['the kernel could not execute PID 1 (isa-debug-exit 0x13) but printed no "init: cannot execute" line'] };
  }
  const said = ending ? `after the kernel said PID 1 ${ending.kind === 'poweroff' ? 'powered off' : ending.kind}` : `before PID 1 ended${notStarted}`;
  return { exitCode: 1, problems: [`${decoded.message} ${said}`] };
}
