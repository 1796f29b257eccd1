// Rewriting console lines in a live stream (`oskit run --trace-syscalls`
// decodes trace lines in place): text passes through at once, except a line
// whose start may still become one to rewrite; that line is held until its
// newline (or a pause), then written rewritten. `rewrite` maps one line to
// its replacement (undefined: unchanged), the same per-line functions the
// text passes use (decodeTraceLine, and later symbolisation).
import { StringDecoder } from 'node:string_decoder';

export interface LineRewriterOptions {
  /** Replacement for a complete line (without `\r\n`), or undefined to keep it. */
  rewrite: (line: string) => string | undefined;
  /** True while a line starting with `partial` may still need rewriting. */
  mayRewrite: (partial: string) => boolean;
  /** How long a held partial line waits for more output before it is written as it is. Default 200 ms. */
  idleMs?: number;
}

export class LineRewriter {
  private readonly decoder = new StringDecoder('utf8');
  /** The current line's text so far, while held. */
  private held = '';
  /** The current line was already (partly) written: it passes through unchanged. */
  private passing = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly write: (text: string) => void, private readonly options: LineRewriterOptions) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (!text) return;
    this.cancelTimer();
    const parts = text.split('\n');
    const last = parts.pop()!;
    let out = '';
    for (const part of parts) {
      if (this.passing) out += `${part}\n`;
      else out += `${this.rewritten(this.held + part)}\n`;
      this.held = '';
      this.passing = false;
    }
    if (last) {
      if (this.passing) out += last;
      else {
        this.held += last;
        if (!this.options.mayRewrite(this.held.replace(/\r$/, ''))) {
          out += this.held;
          this.held = '';
          this.passing = true;
        } else {
          this.timer = setTimeout(() => this.release(), this.options.idleMs ?? 200);
        }
      }
    }
    if (out) this.write(out);
  }

  /** The stream ended: write what is held. */
  end(): void {
    this.cancelTimer();
    const rest = this.decoder.end();
    if (rest) this.push(rest);
    this.cancelTimer();
    this.release();
  }

  private rewritten(line: string): string {
    const cr = line.endsWith('\r') ? '\r' : '';
    const body = cr ? line.slice(0, -1) : line;
    return (this.options.rewrite(body) ?? body) + cr;
  }

  private release(): void {
    this.timer = undefined;
    if (!this.held) return;
    this.write(this.held);
    this.held = '';
    this.passing = true;
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
