import { readFileSync, statSync, utimesSync } from 'node:fs';
import t from 'tap';
import { configHpp, ERROR_CODE_VECTORS, generateAll, grubCfg, isrStubsAsm } from '../../harness/build/generate.js';
import { validateConfig } from '../../harness/config/schema.js';
import { projectAt } from '../../harness/project.js';
import { tempDir } from './temp-dir.js';


t.test('isr_stubs.S: 256 stubs, error-code vectors push no zero', async (t) => {
  const asm = isrStubsAsm();
  t.same([...ERROR_CODE_VECTORS].sort((a, b) => a - b), [8, 10, 11, 12, 13, 14, 17, 21, 29, 30]);
  t.equal(asm.match(/^isr_stub_\d+:$/gm)?.length, 256, '256 stub labels');
  t.equal(asm.match(/^\s*\.global isr_stub_\d+$/gm)?.length, 256);
  t.equal(asm.match(/^\s*\.quad isr_stub_\d+$/gm)?.length, 256, '256 table entries');
  t.equal(asm.match(/^\s*jmp isr_common$/gm)?.length, 256);
  t.equal(asm.match(/^\s*pushq \$0$/gm)?.length, 256 - 10 + 1, 'zero pushes (+1 for vector 0 itself)');
  for (let v = 0; v < 256; v++) {
    const body = new RegExp(`^isr_stub_${v}:\\n((?:\\s+\\S.*\\n){2,3})`, 'm').exec(asm)?.[1] ?? '';
    const lines = body.trim().split('\n').map((l) => l.trim());
    const expected = ERROR_CODE_VECTORS.has(v) ? [`pushq $${v}`, 'jmp isr_common'] : ['pushq $0', `pushq $${v}`, 'jmp isr_common'];
    t.same(lines.slice(0, expected.length), expected, `vector ${v}`);
  }
  const table = asm.slice(asm.indexOf('isr_stub_table:'));
  t.same(table.match(/isr_stub_(\d+)$/gm)?.map((s) => Number(s.slice(9))), [...Array(256).keys()], 'table indexed by vector');
  t.match(asm, /\.section \.rodata\n\s*\.align 8\n\s*\.global isr_stub_table\nisr_stub_table:/);
  t.match(asm, /\.section \.note\.GNU-stack,"",@progbits\n$/);
});

t.test('config.hpp', async (t) => {
  const text = configHpp(validateConfig({ maxCpus: 8, timerHz: 250, logLevel: 'debug', console: ['serial'], kernelHeapSize: '32M' }), '1.2.3');
  t.match(text, /#pragma once\n#include <stdint.h>\n/);
  t.match(text, /inline constexpr uint32_t max_cpus = 8;/);
  t.match(text, /inline constexpr uint32_t timer_hz = 250;/);
  t.match(text, /inline constexpr uint32_t sched_quantum_ms = 10;/);
  t.match(text, /inline constexpr uint64_t kernel_heap_size = 33554432ull;/);
  t.match(text, /inline constexpr int log_level = 3;/);
  t.match(text, /inline constexpr bool console_serial = true;/);
  t.match(text, /inline constexpr bool console_vga = false;/);
  t.match(text, /inline constexpr char version\[\] = "1\.2\.3";/);
  t.match(text, /inline constexpr char hostname\[\] = "oskit";/);
  t.match(configHpp(validateConfig({ hostname: 'box.lan' }), '1'), /inline constexpr char hostname\[\] = "box\.lan";/);
});

t.test('grub.cfg', async (t) => {
  const template = 'set timeout=0\nset default=0\nmenuentry "oskit" {\n    multiboot2 /boot/kernel.elf @CMDLINE@\n    boot\n}\n';
  t.match(grubCfg(template, ''), /^    multiboot2 \/boot\/kernel.elf$/m, 'no trailing space');
  t.match(grubCfg(template, 'loglevel=3 foo'), /multiboot2 \/boot\/kernel.elf loglevel=3 foo$/m);
  t.match(grubCfg(template, 'a;b $x'), /multiboot2 \/boot\/kernel.elf 'a;b \$x'$/m, 'quoted for GRUB');
  const shipped = grubCfg(readFileSync(new URL('../../iso/grub.cfg.in', import.meta.url), 'utf8'), '');
  t.match(shipped, /^    multiboot2 \/boot\/kernel\.elf\n    module2 \/boot\/initrd\.cpio initrd\n    boot$/m, 'the root file system is the Multiboot2 module named initrd');
});

t.test('files are written only when their content changes', async (t) => {
  const project = projectAt(tempDir('oskit-gen-'));
  const first = generateAll(project, validateConfig({}));
  t.equal(first.written.length, 5, "config.hpp, isr_stubs.S, grub.cfg, syscalls.hpp, syscalls.cpp");
  t.match(readFileSync(first.grubCfg, 'utf8'), /set timeout=0/);
  const old = new Date(Date.now() - 60_000);
  for (const f of [first.configHpp, first.isrStubs, first.grubCfg]) utimesSync(f, old, old);
  const second = generateAll(project, validateConfig({}));
  t.same(second.written, [], 'nothing rewritten');
  t.equal(Math.round(statSync(first.configHpp).mtimeMs), old.getTime(), 'mtime kept');
  const third = generateAll(project, validateConfig({ timerHz: 1000 }));
  t.same(third.written, [first.configHpp], 'only config.hpp changes');
});
