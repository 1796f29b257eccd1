// The bounds every harness-driven boot runs under: the whole run, silence on
// the console, and a grace period for QEMU to exit once the guest said it was
// done. Whichever trips first kills QEMU and says why.
import type { Console } from './console.js';

export interface WatchdogOptions {
  /** Bound for the whole run, from now. */
  timeoutMs: number;
  /** What the run bound is called in the message ('testTimeoutMs', 'its bound'). */
  timeoutName: string;
  /** Longest silence on the console. */
  silenceMs: number;
  /** Time QEMU gets to exit after armGrace(). */
  graceMs: number;
  /** Completes the run-bound message: `the ${what} did not finish within ...`. */
  what: string;
}

export class Watchdog {
  /** Why QEMU was killed, once it was. */
  killedFor: string | undefined;
  /** Which bound tripped: the run bound and silence are timeouts, the grace period is not. */
  timedOut = false;
  private readonly started = Date.now();
  private readonly interval: NodeJS.Timeout;
  private grace: NodeJS.Timeout | undefined;

  constructor(private readonly vm: Console, private readonly options: WatchdogOptions) {
    this.interval = setInterval(() => this.check(), 250);
  }

  /** The guest is done (`why`): QEMU must exit within the grace period. Once. */
  armGrace(why: string): void {
    if (this.grace) return;
    this.grace = setTimeout(() => this.trip(`${why}, but QEMU did not exit within ${this.options.graceMs / 1000} s`, false), this.options.graceMs);
  }

  stop(): void {
    clearInterval(this.interval);
    if (this.grace) clearTimeout(this.grace);
  }

  private check(): void {
    const now = Date.now();
    const { timeoutMs, timeoutName, silenceMs, what } = this.options;
    if (now - this.started > timeoutMs) this.trip(`the ${what} did not finish within ${timeoutMs / 1000} s (${timeoutName})`, true);
    else if (now - this.vm.lastOutputAt > silenceMs) this.trip(`no serial output for ${silenceMs / 1000} s (bootTimeoutMs)`, true);
  }

  private trip(why: string, timedOut: boolean): void {
    if (this.killedFor) return;
    this.killedFor = why;
    this.timedOut = timedOut;
    void this.vm.kill();
  }
}
