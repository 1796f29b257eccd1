// The host tools oskit drives, the Debian package of each, and the check
// every command runs before using one: a missing tool stops the command with
// one line that names the package and the fix.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { OskitError } from '../errors.js';
import { elfInterpreter } from '../image/busybox.js';

export type ToolName =
  | 'clang' | 'clang++' | 'ld.lld' | 'ninja' | 'musl-gcc' | 'gcc' | 'grub-mkrescue' | 'grub-i386-pc'
  | 'xorriso' | 'mformat' | 'qemu-system-x86_64' | 'llvm-symbolizer' | 'gdb' | 'busybox';

export interface Tool {
  name: ToolName;
  /** Debian package that provides it. */
  pkg: string;
  /** Arguments that print the version; undefined for non-executables. */
  versionArgs?: string[];
  /** The line of the version output to show (default: the first non-empty one). */
  versionLine?: RegExp;
  /** A directory to test instead of an executable on PATH. */
  dir?: string;
  /** A file to test instead of searching PATH, which must be a static ELF program. */
  staticFile?: string;
  optional?: boolean;
  purpose: string;
}

export const TOOLS: readonly Tool[] = [
  { name: 'clang', pkg: 'clang', versionArgs: ['--version'], purpose: 'assembles .S files' },
  { name: 'clang++', pkg: 'clang', versionArgs: ['--version'], purpose: 'compiles the kernel' },
  { name: 'ld.lld', pkg: 'lld', versionArgs: ['--version'], purpose: 'links kernel.elf' },
  { name: 'ninja', pkg: 'ninja-build', versionArgs: ['--version'], purpose: 'runs the build' },
  { name: 'musl-gcc', pkg: 'musl-tools', versionArgs: ['--version'], purpose: 'compiles the user programs against musl' },
  // musl-gcc is a wrapper that runs gcc (which brings binutils: ar, strip).
  { name: 'gcc', pkg: 'gcc', versionArgs: ['--version'], purpose: 'runs under musl-gcc; binutils strip the user programs' },
  { name: 'grub-mkrescue', pkg: 'grub-common', versionArgs: ['--version'], purpose: 'makes the ISO' },
  { name: 'grub-i386-pc', pkg: 'grub-pc-bin', dir: '/usr/lib/grub/i386-pc', purpose: 'BIOS GRUB modules for the ISO' },
  { name: 'xorriso', pkg: 'xorriso', versionArgs: ['-version'], purpose: 'writes the ISO for grub-mkrescue' },
  { name: 'mformat', pkg: 'mtools', versionArgs: ['--version'], purpose: 'EFI image for grub-mkrescue' },
  { name: 'qemu-system-x86_64', pkg: 'qemu-system-x86', versionArgs: ['--version'], purpose: 'runs the kernel' },
  // Backtraces with source lines; without it binutils' addr2line does the same job.
  { name: 'llvm-symbolizer', pkg: 'llvm', versionArgs: ['--version'], versionLine: /LLVM version/, purpose: 'symbolises backtraces' },
  { name: 'gdb', pkg: 'gdb', versionArgs: ['--version'], optional: true, purpose: 'oskit debug' },
  // Debian's `busybox` package has a dynamic /bin/busybox: only busybox-static's runs on oskit.
  { name: 'busybox', pkg: 'busybox-static', staticFile: '/bin/busybox', versionArgs: ['--help'], versionLine: /^BusyBox v/, optional: true, purpose: '--busybox (run, exec, test): real Linux programs on oskit' },
];

/** Which tools each command needs. */
export const NEEDS = {
  build: ['clang', 'clang++', 'ld.lld', 'ninja', 'musl-gcc', 'gcc'],
  iso: ['clang', 'clang++', 'ld.lld', 'ninja', 'musl-gcc', 'gcc', 'grub-mkrescue', 'grub-i386-pc', 'xorriso', 'mformat'],
  boot: ['clang', 'clang++', 'ld.lld', 'ninja', 'musl-gcc', 'gcc', 'grub-mkrescue', 'grub-i386-pc', 'xorriso', 'mformat', 'qemu-system-x86_64'],
  qemu: ['qemu-system-x86_64'],
} as const satisfies Record<string, readonly ToolName[]>;

export function toolInfo(name: ToolName): Tool {
  const tool = TOOLS.find((t) => t.name === name);
  if (!tool) throw new Error(`unknown tool ${name}`);
  return tool;
}

/** Search PATH for an executable, like `command -v`. */
export function findExecutable(name: string, searchPath: string = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Where the tool is (a path), or undefined when it is missing. */
export function locateTool(tool: Tool): string | undefined {
  if (tool.dir) return existsSync(path.join(tool.dir, 'multiboot2.mod')) ? tool.dir : undefined;
  if (tool.staticFile) {
    try {
      return elfInterpreter(readFileSync(tool.staticFile)) === '' ? tool.staticFile : undefined;
    } catch {
      return undefined;
    }
  }
  return findExecutable(tool.name);
}

export function missingToolError(tool: Tool): OskitError {
  const what = tool.dir ? `GRUB i386-pc modules (${tool.dir})` : tool.name;
  return new OskitError(`${what} not found (install the Debian package ${tool.pkg}, or run: oskit doctor --fix)`);
}

/** Stop with one line naming the first missing tool among `names`. */
export function requireTools(names: readonly ToolName[]): void {
  for (const name of names) {
    const tool = toolInfo(name);
    if (!locateTool(tool)) throw missingToolError(tool);
  }
}
