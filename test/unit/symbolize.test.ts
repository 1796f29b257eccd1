import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { readElfSymbols } from '../../harness/report/elf.js';
import { demangleNames, loadSymbolizer, symbolizeText, symbolizerFrom } from '../../harness/report/symbolize.js';
import { tempDir } from './temp-dir.js';


// A small freestanding ELF64 linked at a kernel-like address by the same
// toolchain that builds the kernel; ld.lld's map file is the cross-check.
const dir = tempDir('oskit-sym-');
writeFileSync(path.join(dir, 'a.cpp'), [
  'extern "C" int first(int x) { return x * 3 + 1; }',
  'namespace mm { int second(int x) { volatile int y = x; for (int i = 0; i < 10; i++) y = y + i; return y; } }',
  'extern "C" void _start() { mm::second(first(2)); for (;;) {} }',
  'int table[4] = {1, 2, 3, 4};',
].join('\n'));
execFileSync('clang++', ['--target=x86_64-unknown-none-elf', '-ffreestanding', '-fno-pic', '-mcmodel=kernel', '-O1', '-c', path.join(dir, 'a.cpp'), '-o', path.join(dir, 'a.o')]);
execFileSync('ld.lld', ['-static', '--no-pie', '-e', '_start', '--image-base=0xffffffff80100000', '-Ttext=0xffffffff80100000', '--no-demangle', '-Map', path.join(dir, 'a.map'), path.join(dir, 'a.o'), '-o', path.join(dir, 'a.elf')]);
const elf = path.join(dir, 'a.elf');

/** Symbol addresses from lld's map file: lines `VMA LMA Size Align  name`. */
function mapAddress(name: string): bigint {
  const line = readFileSync(path.join(dir, 'a.map'), 'utf8').split('\n').find((l) => l.trim().split(/\s+/).at(-1) === name);
  if (!line) throw new Error(`${name} not in the map`);
  return BigInt(`0x${line.trim().split(/\s+/)[0]}`);
}

t.test('reads the symbol table', async (t) => {
  const syms = readElfSymbols(readFileSync(elf));
  const byName = new Map(syms.map((s) => [s.name, s]));
  for (const name of ['first', '_ZN2mm6secondEi', '_start']) {
    t.ok(byName.has(name), name);
    t.equal(byName.get(name)!.value, mapAddress(name), `${name} address matches the linker map`);
    t.equal(byName.get(name)!.type, 2, 'STT_FUNC');
    t.ok(byName.get(name)!.size > 0n);
  }
  t.equal(byName.get('table')?.type, 1, 'data symbols are read as objects');
  t.throws(() => readElfSymbols(Buffer.from('not an elf at all, clearly not one, no way, not even close, nope, nope, nope')), /not an ELF/);
});

t.test('rewrites backtrace lines', async (t) => {
  const symbolizer = loadSymbolizer(elf);
  t.ok(symbolizer);
  const first = mapAddress('first');
  const second = mapAddress('_ZN2mm6secondEi');
  const hex = (v: bigint) => v.toString(16).padStart(16, '0');
  const text = [
    'EXCEPTION: #PF page fault',
    'backtrace:',
    `  #0 0x${hex(first + 2n)}`,
    `  #1 0x${hex(second)}`,
    '  #2 0x0000000000001000',
    'end of report',
  ].join('\n');
  const out = symbolizeText(text, symbolizer).split('\n');
  t.equal(out[2], `  #0 0x${hex(first + 2n)} first+0x2`);
  t.equal(out[3], `  #1 0x${hex(second)} mm::second(int)+0x0`, 'C++ names demangled');
  t.equal(out[4], '  #2 0x0000000000001000', 'unknown addresses left alone');
  t.equal(out[0], 'EXCEPTION: #PF page fault');
  t.equal(symbolizeText(text, undefined), text, 'no ELF: unchanged');
  t.equal(loadSymbolizer(path.join(dir, 'missing.elf')), undefined);
});

t.test('lookup edges', async (t) => {
  const s = symbolizerFrom([
    { name: 'a', value: 0x1000n, size: 0x10n, type: 2 },
    { name: 'label', value: 0x2000n, size: 0n, type: 0 },
    { name: 'b', value: 0x3000n, size: 0x20n, type: 2 },
  ]);
  t.equal(s.lookup(0x1000n), 'a+0x0');
  t.equal(s.lookup(0x100fn), 'a+0xf');
  t.equal(s.lookup(0x1010n), undefined, 'past the end of a sized symbol');
  t.equal(s.lookup(0x2abcn), 'label+0xabc', 'assembly labels without size reach the next symbol');
  t.equal(s.lookup(0xfffn), undefined);
  t.equal(s.lookup(0x3020n), undefined);
  t.same(demangleNames(['plain', '_ZN2mm6secondEi']), ['plain', 'mm::second(int)']);
});
