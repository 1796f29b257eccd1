// Code addresses to `function+0xoff (file:line)`, read from the DWARF that
// the -g build leaves in kernel.elf by llvm-symbolizer (Debian's llvm) or,
// when it is missing, GNU addr2line with nm for function starts (binutils).
// The console lines that carry addresses are rewritten by console-rewrite.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { findExecutable } from '../doctor/tools.js';
import type { Project } from '../project.js';
import { ConsoleRewriter } from './console-rewrite.js';

export interface AddressQuery {
  address: bigint;
  /**
   * A return address (backtrace frames after #0): the call is the byte
   * before it, so the source line (and, after a call to a noreturn function
   * at the end of its caller, even the function) is looked up at address-1.
   * The offset printed is still that of the address itself.
   */
  returnAddress: boolean;
}

export type SymbolizerBackend = 'llvm-symbolizer' | 'addr2line';

export interface Symbolizer {
  readonly backend: SymbolizerBackend;
  /** `function+0xoff (file:line)` for each query, undefined where no function covers it. One tool run for everything not cached. */
  describe(queries: readonly AddressQuery[]): (string | undefined)[];
}

/** One source location; frames of an address run from the innermost inlined function out. */
export interface SourceFrame {
  function: string;
  file?: string;
  line?: number;
}

export interface Resolved {
  frames: SourceFrame[];
  /** Start address of the outermost (real) function. */
  start?: bigint;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;
const known = (s: string | undefined): s is string => s !== undefined && s !== '' && s !== '??';
const CHUNK = 256;

/** Parse llvm-symbolizer --output-style=JSON output (an array, or one object per line). */
export function parseLlvmJson(text: string): Map<bigint, Resolved> {
  const out = new Map<bigint, Resolved>();
  type Entry = { Address?: string; Symbol?: { FunctionName?: string; FileName?: string; Line?: number; StartAddress?: string }[] };
  const entries: Entry[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    const parsed = JSON.parse(t) as Entry | Entry[];
    entries.push(...(Array.isArray(parsed) ? parsed : [parsed]));
  }
  for (const e of entries) {
    if (!e.Address) continue;
    const frames: SourceFrame[] = [];
    let start: bigint | undefined;
    for (const s of e.Symbol ?? []) {
      if (!known(s.FunctionName)) continue;
      const f: SourceFrame = { function: s.FunctionName };
      if (known(s.FileName)) f.file = s.FileName;
      if (s.Line) f.line = s.Line;
      frames.push(f);
      start = s.StartAddress && /^0x[0-9a-f]+$/i.test(s.StartAddress) ? BigInt(s.StartAddress) : undefined;
    }
    const r: Resolved = { frames };
    if (start !== undefined) r.start = start;
    out.set(BigInt(e.Address), r);
  }
  return out;
}

/** Parse `addr2line -a -f -i -C` output: an address line, then function / file:line pairs (innermost first). */
export function parseAddr2line(text: string): Map<bigint, Resolved> {
  const out = new Map<bigint, Resolved>();
  let current: Resolved | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (/^0x[0-9a-f]+$/i.test(l)) {
      current = { frames: [] };
      out.set(BigInt(l), current);
      continue;
    }
    if (!current || !l) continue;
    const where = (lines[++i] ?? '').trim();
    if (!known(l)) continue;
    const f: SourceFrame = { function: l };
    const m = /^(.*):(\d+)(?: \(discriminator \d+\))?$/.exec(where);
    if (m && known(m[1])) {
      f.file = m[1];
      if (Number(m[2]) > 0) f.line = Number(m[2]);
    }
    current.frames.push(f);
  }
  return out;
}

/** Function starts from `nm -n`: sorted addresses of code symbols. */
export function parseNm(text: string): bigint[] {
  const starts: bigint[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+) [tTwW] /i.exec(line);
    if (m) starts.push(BigInt(`0x${m[1]}`));
  }
  return starts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The last start at or below `address`. */
function startBelow(starts: readonly bigint[], address: bigint): bigint | undefined {
  let lo = 0;
  let hi = starts.length - 1;
  let found: bigint | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= address) {
      found = starts[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** `function+0xoff (file:line)`; an inlined innermost function is named after it. */
export function formatLocation(address: bigint, r: Resolved | undefined, root?: string): string | undefined {
  if (!r || r.frames.length === 0 || r.start === undefined || r.start > address) return undefined;
  const show = (f: SourceFrame) => {
    if (!f.file) return undefined;
    const file = root && f.file.startsWith(root + path.sep) ? path.relative(root, f.file) : f.file;
    return f.line ? `${file}:${f.line}` : file;
  };
  const outer = r.frames[r.frames.length - 1]!;
  const where = show(outer);
  let text = `${outer.function}+0x${(address - r.start).toString(16)}${where ? ` (${where})` : ''}`;
  if (r.frames.length > 1) {
    const inner = r.frames[0]!;
    const at = show(inner);
    text += ` [inlined: ${inner.function}${at ? ` at ${at}` : ''}]`;
  }
  return text;
}

/** llvm-symbolizer on PATH, else the newest /usr/lib/llvm-N/bin/llvm-symbolizer. */
export function findLlvmSymbolizer(): string | undefined {
  const onPath = findExecutable('llvm-symbolizer');
  if (onPath) return onPath;
  try {
    const versions = readdirSync('/usr/lib')
      .map((d) => /^llvm-(\d+)$/.exec(d)?.[1])
      .filter((v): v is string => v !== undefined)
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const tool = `/usr/lib/llvm-${v}/bin/llvm-symbolizer`;
      if (existsSync(tool)) return tool;
    }
  } catch {
    // no /usr/lib listing
  }
  return undefined;
}

export interface SymbolizerOptions {
  /** Paths under this directory are shown relative to it. */
  root?: string;
  /** Force a backend (tests); by default llvm-symbolizer, else addr2line. */
  backend?: SymbolizerBackend;
}

type Resolver = (addresses: readonly bigint[]) => Map<bigint, Resolved>;

function llvmResolver(tool: string, elf: string): Resolver {
  return (addresses) => {
    const r = spawnSync(tool, ['--output-style=JSON', '--inlines', '--demangle', '-e', elf, ...addresses.map(hex)], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0 || typeof r.stdout !== 'string') return new Map();
    try {
      return parseLlvmJson(r.stdout);
    } catch {
      return new Map();
    }
  };
}

function binutilsResolver(addr2line: string, nm: string, elf: string): Resolver {
  let starts: bigint[] | undefined;
  return (addresses) => {
    starts ??= parseNm(spawnSync(nm, ['-n', '--defined-only', elf], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout ?? '');
    const r = spawnSync(addr2line, ['-e', elf, '-a', '-f', '-i', '-C', ...addresses.map(hex)], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const out = r.status === 0 && typeof r.stdout === 'string' ? parseAddr2line(r.stdout) : new Map<bigint, Resolved>();
    for (const [a, res] of out) {
      const s = startBelow(starts, a);
      if (s !== undefined && res.frames.length) res.start = s;
    }
    return out;
  };
}

/**
 * A symbolizer for an ELF file with debug information; undefined when the
 * file is missing or neither llvm-symbolizer nor addr2line and nm are installed.
 */
export function loadSymbolizer(elfPath: string, options: SymbolizerOptions = {}): Symbolizer | undefined {
  if (!existsSync(elfPath)) return undefined;
  let resolve: Resolver | undefined;
  let backend: SymbolizerBackend | undefined;
  const llvm = options.backend === undefined || options.backend === 'llvm-symbolizer' ? findLlvmSymbolizer() : undefined;
  if (llvm) {
    resolve = llvmResolver(llvm, elfPath);
    backend = 'llvm-symbolizer';
  } else if (options.backend !== 'llvm-symbolizer') {
    const addr2line = findExecutable('addr2line');
    const nm = findExecutable('nm');
    if (addr2line && nm) {
      resolve = binutilsResolver(addr2line, nm, elfPath);
      backend = 'addr2line';
    }
  }
  if (!resolve || !backend) return undefined;
  const cache = new Map<string, string | undefined>();
  const key = (q: AddressQuery) => `${q.address.toString(16)}${q.returnAddress ? 'r' : ''}`;
  return {
    backend,
    describe(queries) {
      const todo = queries.filter((q) => !cache.has(key(q)));
      const lookups = [...new Set(todo.map((q) => (q.returnAddress && q.address > 0n ? q.address - 1n : q.address)))];
      const resolved = new Map<bigint, Resolved>();
      for (let i = 0; i < lookups.length; i += CHUNK) {
        for (const [a, r] of resolve!(lookups.slice(i, i + CHUNK))) resolved.set(a, r);
      }
      for (const q of todo) {
        const at = q.returnAddress && q.address > 0n ? q.address - 1n : q.address;
        cache.set(key(q), formatLocation(q.address, resolved.get(at), options.root));
      }
      return queries.map((q) => cache.get(key(q)));
    },
  };
}

/** The symbolizer for a project's kernel.elf, file names relative to the project. */
export function symbolizerFor(project: Project): Symbolizer | undefined {
  return loadSymbolizer(project.kernelElf, { root: project.root });
}

/** Symbolise every backtrace and RIP line of a whole text (one tool run for all addresses). */
export function symbolizeText(text: string, symbolizer: Symbolizer | undefined): string {
  if (!symbolizer) return text;
  symbolizer.describe(ConsoleRewriter.queriesIn(text));
  const rewriter = new ConsoleRewriter(symbolizer);
  return rewriter.push(text) + rewriter.release();
}

export function symbolizeLines(lines: readonly string[], symbolizer: Symbolizer | undefined): string[] {
  return symbolizeText(lines.join('\n'), symbolizer).split('\n');
}
