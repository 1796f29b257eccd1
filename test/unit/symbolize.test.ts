// The symboliser against a small ELF built with -g by the kernel's own
// toolchain (addresses cross-checked with ld.lld's map file), with both
// backends, and the console rewriter that every console view goes through.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ConsoleRewriter } from '../../harness/report/console-rewrite.js';
import { formatLocation, loadSymbolizer, parseAddr2line, parseLlvmJson, parseNm, symbolizeText, type Symbolizer } from '../../harness/report/symbolize.js';
import { tempDir } from './temp-dir.js';

const dir = tempDir('oskit-sym-');
// Line numbers matter: first() is on line 1, second() starts on line 3.
writeFileSync(path.join(dir, 'a.cpp'), [
  'extern "C" int first(int x) { return x * 3 + 1; }',
  'namespace mm {',
  'int second(int x) { volatile int y = x;',
  '  for (int i = 0; i < 10; i++) y = y + i; return y; }',
  '}',
  'extern "C" void _start() { mm::second(first(2)); for (;;) {} }',
  'int table[4] = {1, 2, 3, 4};',
].join('\n'));
// A call to a noreturn function as the last instruction of stop(): its
// return address is the first byte of after_stop() (assembly, so that no
// alignment padding comes between; line 5 is the call).
writeFileSync(path.join(dir, 'b.S'), [
  '.text',
  '.globl stop',
  '.type stop, @function',
  'stop:',
  '  call first',
  '.size stop, . - stop',
  '.globl after_stop',
  '.type after_stop, @function',
  'after_stop:',
  '  ret',
  '.size after_stop, . - after_stop',
].join('\n'));
execFileSync('clang++', ['--target=x86_64-unknown-none-elf', '-ffreestanding', '-fno-pic', '-mcmodel=kernel', '-O1', '-g', '-c', 'a.cpp', '-o', 'a.o'], { cwd: dir });
execFileSync('clang', ['--target=x86_64-unknown-none-elf', '-g', '-c', 'b.S', '-o', 'b.o'], { cwd: dir });
execFileSync('ld.lld', ['-static', '--no-pie', '-e', '_start', '--image-base=0xffffffff80100000', '-Ttext=0xffffffff80100000', '--no-demangle', '-Map', 'a.map', 'a.o', 'b.o', '-o', 'a.elf'], { cwd: dir });
const elf = path.join(dir, 'a.elf');

/** Symbol addresses from lld's map file: lines `VMA LMA Size Align  name`. */
function mapAddress(name: string): bigint {
  const line = readFileSync(path.join(dir, 'a.map'), 'utf8').split('\n').find((l) => l.trim().split(/\s+/).at(-1) === name);
  if (!line) throw new Error(`${name} not in the map`);
  return BigInt(`0x${line.trim().split(/\s+/)[0]}`);
}

const hex = (v: bigint) => v.toString(16).padStart(16, '0');
const first = mapAddress('first');
const second = mapAddress('_ZN2mm6secondEi');
const afterStop = mapAddress('after_stop');

for (const backend of ['llvm-symbolizer', 'addr2line'] as const) {
  t.test(`${backend}: function+offset (file:line)`, async (t) => {
    const s = loadSymbolizer(elf, { root: dir, backend });
    if (!s) {
      t.fail(`${backend} is installed (doctor lists it)`);
      return;
    }
    t.equal(s.backend, backend);
    const [a, b, outside] = s.describe([
      { address: first + 2n, returnAddress: false },
      { address: second, returnAddress: false },
      { address: 0x1000n, returnAddress: false },
    ]);
    t.equal(a, 'first+0x2 (a.cpp:1)');
    t.equal(b, 'mm::second(int)+0x0 (a.cpp:3)', 'C++ names demangled, the line of the function');
    t.equal(outside, undefined, 'an address outside every function');
    // A return address right after the noreturn call that ends stop() is the
    // first byte of after_stop(): looked up at address-1 it is still stop().
    const [ret] = s.describe([{ address: afterStop, returnAddress: true }]);
    t.equal(ret, 'stop+0x5 (b.S:5)', 'return addresses resolve the call before them');
    const [exact] = s.describe([{ address: afterStop, returnAddress: false }]);
    t.equal(exact, 'after_stop+0x0 (b.S:10)');
  });
}

t.test('a missing ELF gives no symbolizer; absolute paths outside the root stay absolute', async (t) => {
  t.equal(loadSymbolizer(path.join(dir, 'missing.elf')), undefined);
  const s = loadSymbolizer(elf);
  t.equal(s?.describe([{ address: first, returnAddress: false }])[0], `first+0x0 (${path.join(dir, 'a.cpp')}:1)`);
});

t.test('tool output parsers', async (t) => {
  const llvm = parseLlvmJson(JSON.stringify([
    { Address: '0x10', Symbol: [
      { FunctionName: 'inner', FileName: '/src/lib/x.hpp', Line: 5, StartAddress: '0x8' },
      { FunctionName: 'outer()', FileName: '/src/k.cpp', Line: 42, StartAddress: '0x4' },
    ] },
    { Address: '0x99', Symbol: [{ FunctionName: '??', FileName: '??', Line: 0 }] },
  ]));
  t.same(llvm.get(0x10n), { frames: [{ function: 'inner', file: '/src/lib/x.hpp', line: 5 }, { function: 'outer()', file: '/src/k.cpp', line: 42 }], start: 4n });
  t.same(llvm.get(0x99n), { frames: [] });
  t.equal(formatLocation(0x10n, llvm.get(0x10n), '/src'), 'outer()+0xc (k.cpp:42) [inlined: inner at lib/x.hpp:5]', 'the real function, its line, then the inlined one');
  t.equal(formatLocation(0x99n, llvm.get(0x99n)), undefined);
  const gnu = parseAddr2line('0x0000000000000010\ninner\n/src/lib/x.hpp:5 (discriminator 2)\nouter()\n/src/k.cpp:42\n0x0000000000000099\n??\n??:0\n');
  t.same(gnu.get(0x10n), { frames: [{ function: 'inner', file: '/src/lib/x.hpp', line: 5 }, { function: 'outer()', file: '/src/k.cpp', line: 42 }] });
  t.same(gnu.get(0x99n), { frames: [] });
  t.same(parseNm('0000000000000020 T b\n0000000000000010 t a\n0000000000000030 D data\n'), [0x10n, 0x20n]);
});

/** A stand-in symbolizer: every address in [0x1000, 0x2000) is in f(), line = offset. */
function fake(calls: bigint[][] = []): Symbolizer {
  const seen = new Set<string>();
  return {
    backend: 'llvm-symbolizer',
    describe(queries) {
      const fresh = queries.filter((q) => !seen.has(`${q.address}${q.returnAddress}`));
      for (const q of fresh) seen.add(`${q.address}${q.returnAddress}`);
      if (fresh.length) calls.push(fresh.map((q) => q.address));
      return queries.map((q) => {
        const at = q.returnAddress ? q.address - 1n : q.address;
        return at >= 0x1000n && at < 0x2000n ? `f+0x${(q.address - 0x1000n).toString(16)} (f.cpp:${at - 0x1000n})` : undefined;
      });
    },
  };
}

t.test('rewriter: whole text', async (t) => {
  const calls: bigint[][] = [];
  const text = [
    'EXCEPTION: #PF page fault (vector 14) on CPU 0 in kernel mode',
    `  RIP ${hex(0x1010n)}  CS 0008  RFLAGS 0000000000010086`,
    'backtrace:',
    `  #0 0x${hex(0x1010n)}`,
    `  #1 0x${hex(0x1020n)}`,
    '  #2 0x0000000000000005',
    'end of report',
    'KERNEL PANIC: oops',
    'backtrace:',
    `  #0 0x${hex(0x1030n)}`,
    '#3 0x12 is not a frame line but ends like one',
    'ok 1 - a KTAP line',
  ].join('\n');
  const out = symbolizeText(text, fake(calls)).split('\n');
  t.equal(calls.length, 1, 'one tool run for the whole text');
  t.equal(out[1], `  RIP ${hex(0x1010n)}  CS 0008  RFLAGS 0000000000010086  f+0x10 (f.cpp:16)`, 'the faulting RIP');
  t.equal(out[3], `  #0 0x${hex(0x1010n)} f+0x10 (f.cpp:16)`, 'frame #0 of an exception is the faulting instruction');
  t.equal(out[4], `  #1 0x${hex(0x1020n)} f+0x20 (f.cpp:31)`, 'later frames are return addresses');
  t.equal(out[5], '  #2 0x0000000000000005', 'unknown addresses left alone');
  t.equal(out[9], `  #0 0x${hex(0x1030n)} f+0x30 (f.cpp:47)`, "a panic's frame #0 is a return address");
  t.equal(out[10], '#3 0x12 is not a frame line but ends like one');
  t.equal(out[11], 'ok 1 - a KTAP line');
  t.equal(symbolizeText(text, undefined), text, 'no symbolizer: unchanged');
  t.equal(symbolizeText(symbolizeText(text, fake()), fake()), symbolizeText(text, fake()), 'symbolising twice changes nothing more');
});

t.test('rewriter: a stream in pieces', async (t) => {
  const r = new ConsoleRewriter(fake());
  let out = '';
  out += r.push('[    0.1] boot\r\n  #');
  t.ok(r.holding, 'holds a line start that may become a frame');
  t.equal(out, '[    0.1] boot\r\n', 'complete lines pass at once, CR kept');
  out += r.push(`0 0x${hex(0x1010n).slice(0, 5)}`);
  out += r.push(`${hex(0x1010n).slice(5)}\r\n`);
  t.equal(out, `[    0.1] boot\r\n  #0 0x${hex(0x1010n)} f+0x10 (f.cpp:16)\r\n`, 'rewritten once complete, before its CR LF');
  t.equal(r.push('$ '), '$ ', 'a prompt passes at once');
  t.notOk(r.holding);
  t.equal(r.push('ls\r\n'), 'ls\r\n');
  t.equal(r.push('  R'), '', 'held');
  t.equal(r.release(), '  R', 'released as it is when the caller stops waiting');
  t.equal(r.push('IP 0000000000001010  CS 0008  RFLAGS 0000000000000002\n'), 'IP 0000000000001010  CS 0008  RFLAGS 0000000000000002\n', 'the rest of a released line passes unchanged');
  t.equal(r.push('plain text'), 'plain text');
  t.equal(r.push(' #0 0x0000000000001010\n'), ' #0 0x0000000000001010\n', 'a frame-like ending of a passed line is not rewritten');
});
