// A console on the user's terminal: keys go to QEMU as they are typed (raw
// mode, so Ctrl-A X and QEMU's monitor behave as with -serial mon:stdio on
// the terminal itself), output comes back through the ConsoleRewriter
// (symbolised backtraces), the pty follows the terminal's size, and the
// terminal's mode is restored on detach and on every exit path.
//
// The window size reaches the guest in band: a serial line has no way to
// carry it, so once the kernel's terminal is up (its `oskit ready` line) and
// on every resize, the harness types `ESC [ 8 ; ROWS ; COLS t` (xterm's
// "resize the window" control sequence), which the kernel's line discipline
// takes as a TIOCSWINSZ from the host: the size changes, the foreground
// group gets SIGWINCH, and the sequence is never data (kernel-src/tty/tty.cpp).
import type { ConsoleRewriter } from '../report/console-rewrite.js';
import type { Console } from './console.js';
import { guardTerminal } from './registry.js';

/** How long a line start that may become a backtrace line is held before it is shown anyway. */
export const HOLD_MS = 150;

export interface TerminalIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
}

/** The terminal's size, for Console.start (undefined when stdout is not a terminal). */
export function terminalSize(output: TerminalIo['output'] = process.stdout): { cols: number; rows: number } | undefined {
  return output.isTTY && output.columns && output.rows ? { cols: output.columns, rows: output.rows } : undefined;
}

/** The in-band window-size message the kernel's terminal understands (see above). */
export function windowSizeEscape(size: { cols: number; rows: number }): string {
  return `\x1b[8;${size.rows};${size.cols}t`;
}

/** The kernel's line saying its terminal takes input (and so the window size). */
export const GUEST_READY = /oskit ready/;

/** Connect `vm` to the terminal until the returned detach() (idempotent) is called. */
export function attachTerminal(vm: Console, rewriter: ConsoleRewriter, io: TerminalIo = { input: process.stdin, output: process.stdout }): () => void {
  const { input, output } = io;
  const raw = Boolean(input.isTTY && input.setRawMode);
  // stty's saved mode comes back on exit paths that skip detach (signals, crashes).
  const restoreMode = raw ? guardTerminal() : () => {};
  if (raw) input.setRawMode!(true);
  let timer: NodeJS.Timeout | undefined;
  const write = (text: string) => {
    if (text) output.write(text);
  };
  const stopOutput = vm.onOutput((chunk) => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    write(rewriter.push(chunk));
    if (rewriter.holding) timer = setTimeout(() => write(rewriter.release()), HOLD_MS);
  });
  const onKeys = (data: Buffer | string) => vm.send(data);
  input.on('data', onKeys);
  input.resume();
  let guestReady = GUEST_READY.test(vm.output);
  const tellGuest = () => {
    const size = terminalSize(output);
    if (guestReady && size) vm.send(windowSizeEscape(size));
  };
  const stopWatching = guestReady
    ? () => {}
    : vm.onLine((line) => {
      if (guestReady || !GUEST_READY.test(line)) return;
      guestReady = true;
      tellGuest();
    });
  if (guestReady) tellGuest();
  const onResize = () => {
    const size = terminalSize(output);
    if (size) vm.resize(size.cols, size.rows);
    tellGuest();
  };
  output.on('resize', onResize);
  let attached = true;
  return () => {
    if (!attached) return;
    attached = false;
    if (timer) clearTimeout(timer);
    stopOutput();
    stopWatching();
    write(rewriter.release());
    input.removeListener('data', onKeys);
    output.removeListener('resize', onResize);
    input.pause();
    if (raw) input.setRawMode!(false);
    restoreMode();
  };
}
