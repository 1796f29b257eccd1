// A QEMU whose serial port is a pty held by the harness: the whole serial log
// is kept (in memory and in a file written as it arrives, so it survives a
// hang), and callers wait for patterns with a bound instead of sleeping.
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
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
  /** Variables added to the environment (stand-in programs in tests). */
  env?: Record<string, string>;
  /** Size of the pty (default 200x50); an interactive console passes the terminal's. */
  cols?: number;
  rows?: number;
}

export const TAIL_LINES = 40;

/** The longest wait for a key's echo or for the prompt before a line (a hang catcher, not a speed bound). */
export const TYPE_TIMEOUT_MS = 15_000;
/** The default bound of one command in run(). */
export const RUN_TIMEOUT_MS = 30_000;

export interface TypeOptions {
  timeoutMs?: number;
  /** Send one key (default: the serial console). */
  press?: (key: string) => Promise<void>;
  /** Wait for each key's echo (default true). */
  echo?: boolean;
}

/** The shell's prompt, `<hostname>:<cwd>$ `, at the start of a line (any hostname unless one is given). */
export function promptPattern(hostname?: string): RegExp {
  const host = hostname ? hostname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '[A-Za-z0-9.-]+';
  return new RegExp(`(?:^|\\n)${host}:/[^\\n]*?\\$ `);
}

/** Text without ANSI/VT100 escape sequences (CSI and two-character ESC sequences). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b[@-Z\\-_]/g, '');
}

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
      env: { ...(process.env as Record<string, string>), ...(options.env ?? {}) },
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

  /**
   * The shell prompt sendLine() waits for before typing a line and run()
   * waits for after it: by default `<hostname>:<cwd>$ ` at a line start
   * for any hostname (set it from the configuration for an exact one).
   */
  prompt: RegExp = promptPattern();
  /** The last run() ended on a prompt that expect() has already consumed. */
  private atPrompt = false;

  /**
   * Resolve once `test` holds for the output, without moving expect()'s
   * position; reject like expect() after `timeoutMs` or when QEMU exits.
   */
  private until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        find: () => {
          if (!test()) return false;
          this.waiters.delete(waiter);
          this.pending.delete(waiter);
          if (timer) clearTimeout(timer);
          resolve();
          return true;
        },
        fail: (e) => {
          this.waiters.delete(waiter);
          this.pending.delete(waiter);
          if (timer) clearTimeout(timer);
          reject(e);
        },
      };
      this.pending.set(waiter, { pattern: what, timeoutMs });
      if (waiter.find()) return;
      if (this.exitInfo) return waiter.fail(this.timeoutError(waiter, 0));
      this.waiters.add(waiter);
      timer = setTimeout(() => waiter.fail(this.timeoutError(waiter, timeoutMs)), timeoutMs);
    });
  }

  /**
   * Type `text` as a person does, one key at a time: each key is sent once
   * the previous one has been echoed (a printable character waits until it
   * appears in the output, any other key until some output follows it), so
   * nothing depends on timing. `press` sends one key another way (the PS/2
   * keyboard through QMP); the echo still comes back on the serial console.
   */
  async type(text: string, options: TypeOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? TYPE_TIMEOUT_MS;
    const press = options.press ?? ((key: string) => Promise.resolve(this.send(key)));
    for (const key of [...text]) {
      const from = this.text.length;
      await press(key);
      if (options.echo === false) continue;
      const printable = key >= ' ' && key !== '\x7f';
      await this.until(
        () => (printable ? this.text.indexOf(key, from) >= 0 : this.text.length > from),
        timeoutMs,
        `the echo of ${JSON.stringify(key)}`,
      );
      // The echo is not output a later expect() should match.
      if (printable) this.cursor = Math.max(this.cursor, this.text.indexOf(key, from) + 1);
    }
  }

  /**
   * Wait for the prompt (unless run() already did), type `line` key by key
   * and Enter, and move past the echoed line: what expect() and run() see
   * next is the command's output.
   */
  async sendLine(line: string, options: TypeOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? TYPE_TIMEOUT_MS;
    if (!this.atPrompt) await this.expect(this.prompt, timeoutMs);
    this.atPrompt = false;
    this.transcript(`$ ${line}`);
    await this.type(line, { ...options, timeoutMs });
    await this.type('\r', { ...options, timeoutMs, echo: false });
    await this.expect('\n', timeoutMs);
  }

  /**
   * sendLine(line), then wait up to `timeoutMs` for the next prompt and
   * return everything printed in between (\r removed, escape sequences kept).
   */
  async run(line: string, timeoutMs = RUN_TIMEOUT_MS, options: TypeOptions = {}): Promise<string> {
    await this.sendLine(line, options);
    const start = this.cursor;
    const m = await this.expect(this.prompt, timeoutMs);
    this.atPrompt = true;
    const end = this.cursor - m[0].length + (m[0].startsWith('\n') ? 1 : 0);
    return this.text.slice(start, end);
  }

  /** Forget that the last run() ended on a prompt (after typing something else, such as ^C). */
  promptConsumed(consumed: boolean): void {
    this.atPrompt = consumed;
  }

  /** A line in the transcript file beside the serial log (what was typed, in order). */
  private transcript(line: string): void {
    try {
      appendFileSync(this.logFile.replace(/\.log$/, '') + '.typed', `${line}\n`);
    } catch {
      // the serial log still has the echoes
    }
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
