// A QEMU whose serial port is a pty held by the harness: the whole serial log
// is kept (in memory and in a file written as it arrives, so it survives a
// hang), and callers wait for patterns with a bound instead of sleeping.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import pty from 'node-pty';
import { OskitError } from '../errors.js';
import { QEMU_BINARY, shellQuote } from './qemu.js';
import { killGroup, register, unregister } from './registry.js';

export interface ExitInfo {
  /** QEMU's exit status, or null when it died by a signal. */
  status: number | null;
  signal: number | null;
}

export interface ConsoleOptions {
  /** QEMU arguments (the binary is qemu-system-x86_64). */
  args: readonly string[];
  /** The serial log file, written as output arrives. */
  logFile: string;
  /**
   * QEMU's own raw log of the same output (-chardev ...,logfile=): node-pty
   * drops what is still unread 200 ms after the child exits, which a loaded
   * host reaches; the missing tail is taken from here at exit (then the file
   * is removed).
   */
  serialLog?: string;
  cwd?: string;
  binary?: string;
  /** Size of the pty (default 200x50); an interactive console passes the terminal's. */
  cols?: number;
  rows?: number;
}

export const TAIL_LINES = 40;

/** Raised by expect(): carries the pattern, the bound, the console tail and the QEMU command. */
export class ExpectError extends OskitError {
  constructor(
    readonly pattern: string,
    readonly timeoutMs: number,
    readonly tail: string[],
    readonly command: string,
    readonly exited?: ExitInfo,
  ) {
    const what = exited
      ? `QEMU exited (${exited.status !== null ? `status ${exited.status}` : `signal ${exited.signal}`}) before ${pattern} appeared on the serial console`
      : `timed out after ${timeoutMs} ms waiting for ${pattern} on the serial console`;
    super(what, undefined, {
      details: `--- last ${tail.length} console lines ---\n${tail.join('\n')}\n--- QEMU command ---\n${command}\n`,
    });
    this.name = 'ExpectError';
  }
}

interface Waiter {
  find: () => boolean;
  fail: (e: Error) => void;
}

function describe(pattern: RegExp | string): string {
  return typeof pattern === 'string' ? JSON.stringify(pattern) : String(pattern);
}

export class Console {
  readonly command: string;
  readonly pid: number;
  readonly logFile: string;
  readonly startedAt: number;
  private readonly term: pty.IPty;
  private text = '';
  private cursor = 0;
  private fd: number | undefined;
  private exitInfo: ExitInfo | undefined;
  private readonly exitPromise: Promise<ExitInfo>;
  private readonly serialLog: string | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly textListeners = new Set<(text: string) => void>();
  private readonly outputListeners = new Set<(raw: string) => void>();
  private partial = '';
  lastOutputAt: number;

  private constructor(options: ConsoleOptions) {
    const binary = options.binary ?? QEMU_BINARY;
    this.command = shellQuote([binary, ...options.args]);
    this.logFile = options.logFile;
    this.serialLog = options.serialLog;
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    this.fd = openSync(options.logFile, 'w');
    this.startedAt = Date.now();
    this.lastOutputAt = this.startedAt;
    this.term = pty.spawn(binary, [...options.args], {
      name: 'xterm',
      cols: options.cols ?? 200,
      rows: options.rows ?? 50,
      cwd: options.cwd ?? process.cwd(),
      env: process.env as Record<string, string>,
    });
    this.pid = this.term.pid;
    // forkpty makes QEMU a session (and process group) leader: kill the group.
    register({ pid: this.pid, kill: () => killGroup(this.pid) });
    this.term.onData((data) => this.onData(data));
    this.exitPromise = new Promise((resolve) => {
      this.term.onExit(({ exitCode, signal }) => {
        this.recoverTail();
        this.exitInfo = signal ? { status: null, signal } : { status: exitCode, signal: null };
        unregister(this.pid);
        if (this.partial) this.emitLine(this.partial);
        this.partial = '';
        if (this.fd !== undefined) {
          closeSync(this.fd);
          this.fd = undefined;
        }
        for (const w of [...this.waiters]) if (!w.find()) w.fail(this.timeoutError(w, 0));
        resolve(this.exitInfo);
      });
    });
  }

  /** Start QEMU with its serial console on a new pty. */
  static start(options: ConsoleOptions): Console {
    return new Console(options);
  }

  private onData(raw: string): void {
    for (const l of this.outputListeners) l(raw);
    const data = raw.replaceAll('\r', '');
    if (!data) return;
    this.lastOutputAt = Date.now();
    this.text += data;
    if (this.fd !== undefined) writeSync(this.fd, data);
    for (const l of this.textListeners) l(data);
    const parts = (this.partial + data).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.emitLine(line);
    for (const w of [...this.waiters]) w.find();
  }

  /** Feed what QEMU wrote but the pty did not deliver (see ConsoleOptions.serialLog). */
  private recoverTail(): void {
    if (!this.serialLog) return;
    let raw: string;
    try {
      raw = readFileSync(this.serialLog, 'utf8');
      rmSync(this.serialLog, { force: true });
    } catch {
      return;
    }
    // Skip as many characters as were received (CRs do not count: they were
    // stripped here, and the pty adds its own).
    let seen = 0;
    let i = 0;
    for (; i < raw.length && seen < this.text.length; i++) if (raw[i] !== '\r') seen++;
    if (seen < this.text.length || !raw.slice(0, i).replaceAll('\r', '').endsWith(this.text.slice(-200))) return;
    if (i < raw.length) this.onData(raw.slice(i));
  }

  private emitLine(line: string): void {
    for (const l of this.lineListeners) l(line);
  }

  /** Call `listener` for each complete serial line. */
  onLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Call `listener` with each piece of serial output as it arrives (\r removed), partial lines included. */
  onText(listener: (text: string) => void): () => void {
    this.textListeners.add(listener);
    return () => this.textListeners.delete(listener);
  }

  /** Call `listener` with the console output exactly as it arrives (CRs kept), for a terminal. */
  onOutput(listener: (raw: string) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** Change the pty's size (the user's terminal was resized). */
  resize(cols: number, rows: number): void {
    if (!this.exitInfo && cols > 0 && rows > 0) this.term.resize(cols, rows);
  }

  /** Everything the guest printed so far (\r removed). */
  get output(): string {
    return this.text;
  }

  get exited(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /** The last `n` console lines. */
  tail(n = TAIL_LINES): string[] {
    const lines = this.text.replace(/\n$/, '').split('\n');
    return lines.slice(-n);
  }

  private pending = new Map<Waiter, { pattern: string; timeoutMs: number }>();

  private timeoutError(w: Waiter, _elapsed: number): ExpectError {
    const info = this.pending.get(w) ?? { pattern: '?', timeoutMs: 0 };
    return new ExpectError(info.pattern, info.timeoutMs, this.tail(), this.command, this.exitInfo);
  }

  /**
   * Resolve with the match once `pattern` appears after the previous match;
   * reject with an ExpectError after `timeoutMs`, or when QEMU exits first.
   */
  expect(pattern: RegExp | string, timeoutMs: number): Promise<RegExpExecArray> {
    const regex = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : new RegExp(pattern.source, pattern.flags.replace('g', ''));
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        find: () => {
          const rest = this.text.slice(this.cursor);
          const m = regex.exec(rest);
          if (!m) return false;
          this.cursor += m.index + m[0].length;
          this.waiters.delete(waiter);
          this.pending.delete(waiter);
          if (timer) clearTimeout(timer);
          resolve(m);
          return true;
        },
        fail: (e) => {
          this.waiters.delete(waiter);
          if (timer) clearTimeout(timer);
          this.pending.delete(waiter);
          reject(e);
        },
      };
      this.pending.set(waiter, { pattern: describe(pattern), timeoutMs });
      if (waiter.find()) return;
      if (this.exitInfo) {
        waiter.fail(this.timeoutError(waiter, 0));
        return;
      }
      this.waiters.add(waiter);
      timer = setTimeout(() => waiter.fail(this.timeoutError(waiter, timeoutMs)), timeoutMs);
    });
  }

  /** Type text (or raw key bytes) on the serial console. */
  send(text: string | Buffer): void {
    if (!this.exitInfo) this.term.write(text);
  }

  /** Resolve with QEMU's exit status when it exits. */
  waitExit(): Promise<ExitInfo> {
    return this.exitPromise;
  }

  /** Kill QEMU (its whole process group) and wait until it is gone. */
  async kill(): Promise<ExitInfo> {
    if (!this.exitInfo) killGroup(this.pid);
    return this.exitPromise;
  }
}
