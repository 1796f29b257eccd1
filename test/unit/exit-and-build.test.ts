import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { discoverSources, ninjaFile, objectFor } from '../../harness/build/ninja.js';
import { discoverUserland, installedPath, unstrippedPath, userObjectFor } from '../../harness/build/userland.js';
import { findExecutable, missingToolError, NEEDS, toolInfo } from '../../harness/doctor/tools.js';
import { projectAt } from '../../harness/project.js';
import { decodeExit, explainQemuFailure, qemuErrorLine } from '../../harness/vm/exit.js';
import { extractCrashReport } from '../../harness/vm/ktest.js';
import { tempDir } from './temp-dir.js';


t.test('QEMU exit status decoding (DESIGN.md)', async (t) => {
  t.match(decodeExit({ status: 33, signal: null }), { outcome: 'success', exitCode: 0 });
  t.match(decodeExit({ status: 35, signal: null }), { outcome: 'tests-failed', exitCode: 35 });
  t.match(decodeExit({ status: 37, signal: null }), { outcome: 'panic', exitCode: 37 });
  t.match(decodeExit({ status: 0, signal: null }), { outcome: 'triple-fault' }, 'non-interactive: 0 is a triple fault');
  t.match(decodeExit({ status: 0, signal: null }, 'guest-reset', true), { outcome: 'triple-fault', exitCode: 3 });
  t.match(decodeExit({ status: 0, signal: null }, 'host-qmp-quit', true), { outcome: 'quit', exitCode: 0 });
  t.match(decodeExit({ status: 1, signal: null }), { outcome: 'qemu-error', exitCode: 1 });
  t.match(decodeExit({ status: 67, signal: null }), { outcome: 'guest-exit', message: /0x21/ });
  t.match(decodeExit({ status: null, signal: 9 }), { outcome: 'signal', exitCode: 137 });
});

t.test('crash report extraction', async (t) => {
  const log = '[ 0.1] x\nKERNEL PANIC: boom\nbacktrace:\n  #0 0x0000000000000001\nend of report\n[ 0.2] after\n';
  t.same(extractCrashReport(log), ['KERNEL PANIC: boom', 'backtrace:', '  #0 0x0000000000000001', 'end of report']);
  t.equal(extractCrashReport('all fine\n'), undefined);
});

t.test('sources and build.ninja', async (t) => {
  const root = tempDir('oskit-ninja-');
  for (const f of ['kernel-src/kernel/main.cpp', 'kernel-src/arch/x86_64/boot.S', 'kernel-src/user/hello.cpp', 'kernel-src/lib/util.hpp', 'kernel-src/lib/util.cpp']) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), '');
  }
  const sources = discoverSources(projectAt(root));
  t.same(sources, ['kernel-src/arch/x86_64/boot.S', 'kernel-src/kernel/main.cpp', 'kernel-src/lib/util.cpp'], 'user/ and headers excluded, sorted');
  const text = ninjaFile(sources);
  t.equal(objectFor('kernel-src/kernel/main.cpp'), 'build/obj/kernel-src/kernel/main.cpp.o');
  t.match(text, /^build build\/obj\/kernel-src\/kernel\/main\.cpp\.o: cxx kernel-src\/kernel\/main\.cpp$/m);
  t.match(text, /^build build\/obj\/kernel-src\/arch\/x86_64\/boot\.S\.o: as kernel-src\/arch\/x86_64\/boot\.S$/m);
  t.match(text, /^build build\/obj\/build\/gen\/isr_stubs\.S\.o: as build\/gen\/isr_stubs\.S$/m);
  t.match(text, /^build build\/kernel\.elf: link .* \| kernel-src\/arch\/x86_64\/linker\.ld$/m, 'link depends on the linker script');
  t.match(text, /deps = gcc/);
  t.match(text, /depfile = \$out\.d/);
  for (const flag of ['--target=x86_64-unknown-none-elf', '-std=c++20', '-mcmodel=kernel', '-mno-red-zone', '-mgeneral-regs-only', '-fno-pic', '-Ibuild/gen', '-Werror=return-type']) {
    t.match(text, new RegExp(`^cxxflags = .*${flag.replace(/[+.=-]/g, '\\$&')}`, 'm'), flag);
  }
  t.match(text, /^ldflags = -nostdlib -static -z max-page-size=0x1000 --no-pie$/m);
  t.match(text, /command = ld\.lld \$ldflags -T kernel-src\/arch\/x86_64\/linker\.ld -o \$out \$in/);
  t.notMatch(text, /user\/hello/);
  t.match(text, /^default build\/kernel\.elf$/m, 'without user programs only the kernel');
  t.notMatch(text, /musl-gcc/);
});

t.test('user programs in build.ninja', async (t) => {
  const root = tempDir('oskit-user-ninja-');
  const files = [
    'kernel-src/kernel/main.cpp',
    'kernel-src/user/bin/hello.c',
    'kernel-src/user/bin/notes.txt',
    'kernel-src/user/bin/sh/main.c',
    'kernel-src/user/bin/sh/lexer.c',
    'kernel-src/user/bin/sh/sh.h',
    'kernel-src/user/bin/no-sources/README',
    'kernel-src/user/sbin/init.c',
    'kernel-src/user/lib/ulib.h',
    'kernel-src/user/lib/out.c',
    'kernel-src/user/lib/proc.c',
  ];
  for (const f of files) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), '');
  }
  const project = projectAt(root);
  const user = discoverUserland(project);
  t.same(user.programs, [
    { install: 'bin/hello', sources: ['kernel-src/user/bin/hello.c'] },
    { install: 'bin/sh', sources: ['kernel-src/user/bin/sh/lexer.c', 'kernel-src/user/bin/sh/main.c'] },
    { install: 'sbin/init', sources: ['kernel-src/user/sbin/init.c'] },
  ], 'one program per .c file or per directory of .c files; headers, other files and empty directories ignored');
  t.same(user.lib, ['kernel-src/user/lib/out.c', 'kernel-src/user/lib/proc.c']);
  t.same(discoverSources(project), ['kernel-src/kernel/main.cpp'], 'the kernel build does not see user sources');
  t.equal(userObjectFor('kernel-src/user/bin/sh/main.c'), 'build/user/obj/bin/sh/main.c.o');
  t.equal(installedPath('sbin/init'), 'build/user/rootfs/sbin/init');
  t.equal(unstrippedPath('bin/sh'), 'build/user/unstripped/bin/sh');

  const text = ninjaFile(discoverSources(project), user);
  t.match(text, /^rule ucc\n  command = musl-gcc \$ucflags -MD -MF \$out\.d -c \$in -o \$out\n  depfile = \$out\.d\n  deps = gcc$/m, 'depfiles for user objects');
  for (const flag of ['-std=c11', '-Wall', '-Wextra', '-O2', '-Ikernel-src/user/lib']) {
    t.match(text, new RegExp(`^ucflags = .*${flag.replace(/[+.=-]/g, '\\$&')}( |$)`, 'm'), flag);
  }
  t.match(text, /^uldflags = -static -no-pie$/m, 'static executables');
  t.match(text, /^build build\/user\/obj\/bin\/sh\/lexer\.c\.o: ucc kernel-src\/user\/bin\/sh\/lexer\.c$/m);
  t.match(text, /^build build\/user\/obj\/lib\/libulib\.a: uar build\/user\/obj\/lib\/out\.c\.o build\/user\/obj\/lib\/proc\.c\.o$/m);
  t.match(text, /^build build\/user\/unstripped\/bin\/sh: ulink build\/user\/obj\/bin\/sh\/lexer\.c\.o build\/user\/obj\/bin\/sh\/main\.c\.o build\/user\/obj\/lib\/libulib\.a$/m,
    'every file of the program, then the library');
  t.match(text, /^build build\/user\/rootfs\/sbin\/init: ustrip build\/user\/unstripped\/sbin\/init$/m, 'installed stripped');
  t.match(text, /^rule ustrip\n  command = strip -o \$out \$in$/m);
  t.match(text, /^default build\/kernel\.elf build\/user\/rootfs\/bin\/hello build\/user\/rootfs\/bin\/sh build\/user\/rootfs\/sbin\/init$/m,
    'the defaults are the kernel and every user program');
  t.notMatch(text, /notes|README|sh\.h|ulib\.h/);
});

t.test('tool checks', async (t) => {
  t.equal(findExecutable('definitely-not-a-tool-oskit'), undefined);
  t.ok(findExecutable('sh'));
  t.equal(missingToolError(toolInfo('ld.lld')).message, 'ld.lld not found (install the Debian package lld, or run: oskit doctor --fix)');
  t.match(missingToolError(toolInfo('grub-i386-pc')).message, /GRUB i386-pc modules .* grub-pc-bin/);
  t.equal(missingToolError(toolInfo('musl-gcc')).message, 'musl-gcc not found (install the Debian package musl-tools, or run: oskit doctor --fix)');
  for (const need of [NEEDS.build, NEEDS.iso, NEEDS.boot] as readonly (readonly string[])[]) {
    t.ok(need.includes('musl-gcc') && need.includes('gcc'), 'every build needs musl-gcc and the gcc it drives');
  }
  t.equal(missingToolError(toolInfo('llvm-symbolizer')).message, 'llvm-symbolizer not found (install the Debian package llvm, or run: oskit doctor --fix)', 'doctor --fix installs llvm for the symboliser');
});

t.test("QEMU's own error, in one line", async (t) => {
  const failed = decodeExit({ status: 1, signal: null });
  const noMemory = "qemu-system-x86_64: cannot set up guest memory 'pc.ram': Cannot allocate memory\r\n";
  t.equal(qemuErrorLine(noMemory), "cannot set up guest memory 'pc.ram': Cannot allocate memory");
  t.equal(explainQemuFailure(failed, noMemory, '64G'), "the host cannot give QEMU 64G of guest RAM (QEMU: cannot set up guest memory 'pc.ram': Cannot allocate memory)");
  const other = 'qemu-system-x86_64: -cdrom nothing.iso: Could not open \'nothing.iso\': No such file or directory\n';
  t.equal(explainQemuFailure(failed, other, '512M'), "QEMU failed (exit status 1): -cdrom nothing.iso: Could not open 'nothing.iso': No such file or directory");
  t.equal(qemuErrorLine('qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\n'), 'failed to set MSR 0x10a to 0x69', 'the error: prefix goes too');
  t.equal(explainQemuFailure(failed, '[ 0.1] boot\n', '512M'), 'QEMU failed (exit status 1)', 'nothing said: the status alone');
  const panic = decodeExit({ status: 37, signal: null });
  t.equal(explainQemuFailure(panic, noMemory, '64G'), panic.message, 'only for QEMU errors');
});
