// Backtrace symbolisation: the kernel prints `  #N 0x<16 hex>` lines after
// `backtrace:`; the harness appends ` function+0xoffset` from kernel.elf.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readElfSymbols, type ElfSymbol } from './elf.js';

export interface Symbolizer {
  /** 'function+0xoff' for an address, or undefined when outside every symbol. */
  lookup(address: bigint): string | undefined;
}

const BACKTRACE_LINE = /^(\s*#\d+\s+0x([0-9a-fA-F]+))\s*$/;

/** A symbolizer over a sorted symbol list (functions preferred over other kinds). */
export function symbolizerFrom(symbols: readonly ElfSymbol[], demangle: (names: string[]) => string[] = (n) => n): Symbolizer {
  const code = symbols.filter((s) => s.type === 2 || s.type === 0);
  const names = demangle(code.map((s) => s.name));
  return {
    lookup(address) {
      // Binary search for the last symbol at or below the address.
      let lo = 0;
      let hi = code.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (code[mid]!.value <= address) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (found < 0) return undefined;
      // Prefer a sized symbol that covers the address among those at the same start.
      const sym = code[found]!;
      const next = code.slice(found + 1).find((s) => s.value > sym.value);
      if (sym.size > 0n && address >= sym.value + sym.size) return undefined;
      if (sym.size === 0n && !next) return undefined;
      return `${names[found]}+0x${(address - sym.value).toString(16)}`;
    },
  };
}

/** Demangle C++ names with llvm-cxxfilt or c++filt when present; names stay as they are otherwise. */
export function demangleNames(names: string[]): string[] {
  if (!names.some((n) => n.startsWith('_Z'))) return names;
  for (const tool of ['llvm-cxxfilt', 'c++filt']) {
    const r = spawnSync(tool, [], { input: names.join('\n') + '\n', encoding: 'utf8' });
    if (r.status === 0 && typeof r.stdout === 'string') {
      const out = r.stdout.replace(/\n$/, '').split('\n');
      if (out.length === names.length) return out;
    }
  }
  return names;
}

/** Load kernel.elf's symbols; undefined when the file is missing or unreadable. */
export function loadSymbolizer(elfPath: string): Symbolizer | undefined {
  try {
    return symbolizerFrom(readElfSymbols(readFileSync(elfPath)), demangleNames);
  } catch {
    return undefined;
  }
}

/** Append ` function+0xoff` to each backtrace line that resolves. */
export function symbolizeText(text: string, symbolizer: Symbolizer | undefined): string {
  if (!symbolizer) return text;
  return text
    .split('\n')
    .map((line) => {
      const m = BACKTRACE_LINE.exec(line);
      if (!m) return line;
      const where = symbolizer.lookup(BigInt(`0x${m[2]}`));
      return where ? `${m[1]} ${where}` : line;
    })
    .join('\n');
}

export function symbolizeLines(lines: readonly string[], symbolizer: Symbolizer | undefined): string[] {
  return symbolizeText(lines.join('\n'), symbolizer).split('\n');
}
