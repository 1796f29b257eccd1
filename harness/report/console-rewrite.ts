// The one pass that rewrites console output for people: backtrace frames
// (`  #N 0x<hex>`) and the faulting RIP of an exception report get
// `function+0xoff (file:line)` appended. It works on a stream: text passes
// through at once, except the start of a line that may still turn into one
// of those lines, which is held until its newline (or until the caller gives
// up waiting and calls release(), as an interactive console does after a
// moment). Every command that shows a console uses it (run, test, bench and
// the shell to come). A further per-line transform can ride along: `oskit run
// --trace-syscalls` decodes the kernel's trace lines in place with it.
import type { AddressQuery, Symbolizer } from './symbolize.js';

/** Another rewrite of whole lines, beside symbolisation. */
export interface LineTransform {
  /** The replacement for a complete line (no line ending), or undefined to keep it. */
  rewrite(line: string): string | undefined;
  /** True while a line starting with `partial` may still need rewriting. */
  mayRewrite(partial: string): boolean;
}

const BACKTRACE = /^(\s*#(\d+)\s+0x([0-9a-fA-F]{1,16}))\s*$/;
const RIP = /^\s*RIP ([0-9a-fA-F]{16})\s+CS [0-9a-fA-F]{4}\s+RFLAGS [0-9a-fA-F]{16}$/;
// A line start that may still become one of the above.
const MAY_BECOME = /^\s*(?:#\d*(?:\s+(?:0(?:x[0-9a-fA-F]{0,16})?)?)?|R(?:I(?:P(?:\s.*)?)?)?)?$/;

export class ConsoleRewriter {
  private held = '';
  /** The current line's start has been written as it was: the rest passes through. */
  private passing = false;
  /** Frame #0 is the faulting instruction in an exception report, a return address after a panic. */
  private frame0Exact = true;

  constructor(private readonly symbolizer: Symbolizer | undefined, private readonly extra?: LineTransform) {}

  /** The addresses a text's lines would ask about (to resolve them in one go first). */
  static queriesIn(text: string): AddressQuery[] {
    const queries: AddressQuery[] = [];
    const collector = new ConsoleRewriter({ backend: 'llvm-symbolizer', describe: (q) => (queries.push(...q), q.map(() => undefined)) });
    for (const line of text.split('\n')) collector.rewriteLine(line.replace(/\r+$/, ''));
    return queries;
  }

  /** True while the start of a line is held back. */
  get holding(): boolean {
    return this.held !== '';
  }

  /** The text to write now for a chunk of console output. */
  push(chunk: string): string {
    const data = this.held + chunk;
    this.held = '';
    let out = '';
    let start = 0;
    for (let nl = data.indexOf('\n'); nl >= 0; nl = data.indexOf('\n', start)) {
      const raw = data.slice(start, nl);
      out += (this.passing ? raw : this.rewriteRaw(raw)) + '\n';
      this.passing = false;
      start = nl + 1;
    }
    const rest = data.slice(start);
    if (rest) {
      if (!this.passing && this.mayBecome(rest.replace(/\r+$/, ''))) this.held = rest;
      else {
        out += rest;
        this.passing = true;
      }
    }
    return out;
  }

  /** Stop holding: the held line start, as it is (its end will pass through unchanged). */
  release(): string {
    const out = this.held;
    if (out) this.passing = true;
    this.held = '';
    return out;
  }

  private mayBecome(partial: string): boolean {
    return MAY_BECOME.test(partial) || (this.extra?.mayRewrite(partial) ?? false);
  }

  private rewriteRaw(raw: string): string {
    const body = raw.replace(/\r+$/, '');
    return this.rewriteLine(body) + raw.slice(body.length);
  }

  /** One complete line (no line ending), rewritten when it carries a code address. */
  rewriteLine(line: string): string {
    const body = line.trimStart();
    if (body.startsWith('EXCEPTION:')) this.frame0Exact = true;
    else if (body.startsWith('KERNEL PANIC:')) this.frame0Exact = false;
    else if (body.startsWith('end of report')) this.frame0Exact = true;
    const other = this.extra?.rewrite(line);
    if (other !== undefined) return other;
    if (!this.symbolizer) return line;
    const frame = BACKTRACE.exec(line);
    if (frame) {
      const returnAddress = !(frame[2] === '0' && this.frame0Exact);
      const [where] = this.symbolizer.describe([{ address: BigInt(`0x${frame[3]}`), returnAddress }]);
      return where ? `${frame[1]} ${where}` : line;
    }
    const rip = RIP.exec(line);
    if (rip) {
      const [where] = this.symbolizer.describe([{ address: BigInt(`0x${rip[1]}`), returnAddress: false }]);
      return where ? `${line.replace(/\s+$/, '')}  ${where}` : line;
    }
    return line;
  }
}
