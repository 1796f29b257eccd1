// The kernel command line of `oskit exec` (DESIGN.md, "Running a program as
// PID 1"): `init=PATH`, then at the very end ` -- ` and the program's
// arguments, as Linux passes arguments after `--` to init. An argument is
// written as it is when it is non-empty and has no space, `"` or `\`;
// otherwise it is written in double quotes with `"` as `\"` and `\` as `\\`.
// splitInitArgs is the reference for the kernel's parser.
import { OskitError } from '../errors.js';

/** The kernel reads at most this many bytes of opt/oskit/cmdline (kernel/cmdline.cpp: a 512-byte buffer with its NUL). */
export const FW_CFG_CMDLINE_MAX = 511;

const CONTROL = /[\x00-\x1f\x7f]/;
const BARE = /^[^\s"\\\x00-\x1f\x7f]+$/;

/** One argument as the kernel command line carries it. */
export function quoteArg(arg: string): string {
  if (CONTROL.test(arg)) throw new OskitError(`argument ${JSON.stringify(arg)} contains a control character, which the kernel command line cannot carry`);
  if (BARE.test(arg)) return arg;
  return `"${arg.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * The reference parser of what follows ` -- ` (the kernel implements the
 * same): words are separated by spaces; a `"` starts a quoted part that ends
 * at the next unescaped `"` (or the end of the line), in which `\"` is `"`,
 * `\\` is `\` and any other `\` is itself; outside quotes `\` is itself;
 * quoted and unquoted parts of one word join (`a"b c"d` is `ab cd`); `""`
 * is an empty argument.
 */
export function splitInitArgs(text: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ') i++;
    if (i >= text.length) break;
    let word = '';
    while (i < text.length && text[i] !== ' ') {
      if (text[i] !== '"') {
        word += text[i++];
        continue;
      }
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) i++;
        word += text[i++];
      }
      i++;
    }
    args.push(word);
  }
  return args;
}

/** Why `path` cannot be PID 1's path on the command line, or undefined. */
export function badInitPath(path: string): string | undefined {
  if (!path.startsWith('/')) return 'it must be an absolute guest path such as /bin/hello';
  if (/[\s"\\]/.test(path) || CONTROL.test(path)) return 'it must not contain spaces, quotes, backslashes or control characters';
  return undefined;
}

/** `init=PATH`, and ` -- ARGS` when there are arguments. */
export function initWords(path: string, args: readonly string[]): string {
  const bad = badInitPath(path);
  if (bad) throw new OskitError(`cannot run ${JSON.stringify(path)}: ${bad}`);
  return args.length ? `init=${path} -- ${args.map(quoteArg).join(' ')}` : `init=${path}`;
}

/**
 * The per-run command line of an exec: the --cmdline words, `trace_syscalls`
 * when asked, then initWords last (the arguments end the line). Refused when
 * the kernel would cut it, or when the --cmdline words already hold a `--`.
 */
export function execCmdline(path: string, args: readonly string[], options: { cmdlineExtra?: string; traceSyscalls?: boolean } = {}): string {
  const extra = (options.cmdlineExtra ?? '').trim();
  if (extra.split(/\s+/).includes('--')) throw new OskitError('--cmdline must not contain "--": the program\'s arguments follow it');
  const line = [extra, options.traceSyscalls ? 'trace_syscalls' : '', initWords(path, args)].filter(Boolean).join(' ');
  const bytes = Buffer.byteLength(line);
  if (bytes > FW_CFG_CMDLINE_MAX) {
    throw new OskitError(`the kernel command line for this run is ${bytes} bytes; the kernel reads at most ${FW_CFG_CMDLINE_MAX} (opt/oskit/cmdline)`, 'pass long data in a file with --add');
  }
  return line;
}
