// A Linux guest for `oskit bench sys --against linux`: where its kernel comes
// from (--linux PATH, the host's /boot/vmlinuz-$(uname -r), or Debian's
// linux-image-amd64 fetched with `apt-get download` into build/linux/ and
// unpacked here, nothing installed), its initramfs (the benchmark as /init),
// and its QEMU command line. The parts that can be pure are.
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { OskitError } from '../errors.js';
import { writeCpio, S_IFDIR, S_IFREG, type CpioEntry } from '../image/cpio.js';
import type { Project } from '../project.js';
import { DEFAULT_MACHINE, memoryArg, serialArgs, type QemuOptions } from '../vm/qemu.js';

// ---- ar archives (a .deb is one: debian-binary, control.tar.*, data.tar.*) ----

export interface ArMember {
  name: string;
  data: Uint8Array;
}

/**
 * The members of a System V / GNU ar archive (the format of .deb files):
 * the magic `!<arch>\n`, then for each member a 60-byte header (name 16,
 * mtime 12, uid 6, gid 6, mode 8, size 10, the two bytes "`\n") and the
 * data padded to an even length. GNU names end with '/'.
 */
export function parseAr(bytes: Uint8Array): ArMember[] {
  const text = (from: number, len: number) => Buffer.from(bytes.subarray(from, from + len)).toString('latin1');
  if (bytes.length < 8 || text(0, 8) !== '!<arch>\n') throw new Error('not an ar archive (no !<arch> magic)');
  const members: ArMember[] = [];
  let at = 8;
  while (at < bytes.length) {
    if (bytes[at] === 0x0a) {
      at++; // padding before a header
      continue;
    }
    if (at + 60 > bytes.length) throw new Error(`ar: truncated header at offset ${at}`);
    if (text(at + 58, 2) !== '`\n') throw new Error(`ar: bad header terminator at offset ${at}`);
    const name = text(at, 16).trimEnd().replace(/\/$/, '');
    const sizeField = text(at + 48, 10).trim();
    if (!/^\d+$/.test(sizeField)) throw new Error(`ar: bad size ${JSON.stringify(sizeField)} at offset ${at}`);
    const size = Number(sizeField);
    const start = at + 60;
    if (start + size > bytes.length) throw new Error(`ar: member ${name} runs past the end of the archive`);
    members.push({ name, data: bytes.subarray(start, start + size) });
    at = start + size + (size % 2);
  }
  return members;
}

/** The tar option that decompresses a data.tar member, by its name. */
export function tarDecompressFlag(member: string): string {
  if (member.endsWith('.xz')) return '-J';
  if (member.endsWith('.gz')) return '-z';
  if (member.endsWith('.zst')) return '--zstd';
  if (member.endsWith('.bz2')) return '-j';
  if (member === 'data.tar') return '';
  throw new Error(`ar: unknown compression of ${member}`);
}

/**
 * Unpack ./boot/vmlinuz-* from a linux-image .deb into `dir` (ar parsed
 * here, the data.tar member given to tar on stdin). Returns the kernel's path.
 */
export async function unpackKernelFromDeb(deb: string, dir: string): Promise<string> {
  const members = parseAr(readFileSync(deb));
  const data = members.find((m) => m.name.startsWith('data.tar'));
  if (!data) throw new OskitError(`${deb} has no data.tar member: not a Debian package`);
  const staging = path.join(dir, `.unpack-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const flag = tarDecompressFlag(data.name);
    const r = await execa('tar', ['-x', ...(flag ? [flag] : []), '-C', staging, '--wildcards', './boot/vmlinuz-*'], { input: Buffer.from(data.data), reject: false, stdout: 'ignore' });
    if (r.exitCode !== 0) throw new OskitError(`tar could not unpack ${path.basename(deb)}: ${String(r.stderr).trim().split('\n')[0]}`);
    const boot = path.join(staging, 'boot');
    const found = existsSync(boot) ? readdirSync(boot).filter((f) => f.startsWith('vmlinuz-')) : [];
    if (found.length === 0) throw new OskitError(`${path.basename(deb)} holds no /boot/vmlinuz-*`);
    const dest = path.join(dir, found[0]!);
    rmSync(dest, { force: true });
    // rename keeps the cache consistent: a kernel file is there whole or not at all
    renameSync(path.join(boot, found[0]!), dest);
    return dest;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

// ---- the kernel's version (x86 boot protocol, Documentation/arch/x86/boot.rst) ----

/**
 * The version string of a bzImage: the setup header has "HdrS" at 0x202
 * and, at 0x20E, the offset (from 0x200) of a NUL-terminated version string
 * such as "6.1.0-56-amd64 (debian-kernel@...) #1 SMP ...". Undefined when the
 * file is not a bzImage.
 */
export function bzImageVersion(bytes: Uint8Array): string | undefined {
  if (bytes.length < 0x210) return undefined;
  if (Buffer.from(bytes.subarray(0x202, 0x206)).toString('latin1') !== 'HdrS') return undefined;
  const offset = (bytes[0x20e]! | (bytes[0x20f]! << 8)) + 0x200;
  if (offset >= bytes.length) return undefined;
  let end = offset;
  while (end < bytes.length && bytes[end] !== 0 && end - offset < 256) end++;
  const full = Buffer.from(bytes.subarray(offset, end)).toString('latin1');
  return full.split(' ')[0] || undefined;
}

// ---- where the kernel comes from ----

export interface LinuxKernel {
  path: string;
  version: string;
  /** How it was found, for the report: '--linux', 'host', 'debian package (cached)'... */
  source: string;
}

/** The dependency `apt-cache depends linux-image-amd64` names: the versioned image package. */
export function imagePackageFromDepends(output: string): string | undefined {
  const m = /Depends:\s*(linux-image-[0-9][^\s]*)/.exec(output);
  return m?.[1];
}

function readable(p: string): boolean {
  try {
    accessSync(p, constants.R_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function described(p: string, source: string): LinuxKernel {
  const version = bzImageVersion(readFileSync(p));
  if (!version) throw new OskitError(`${p} is not a Linux bzImage (no "HdrS" setup header)`, 'give --linux a bzImage such as /boot/vmlinuz-VERSION');
  return { path: p, version, source };
}

export interface FindLinuxOptions {
  /** --linux PATH */
  linux?: string;
  /** The host kernel's file (default /boot/vmlinuz-$(uname -r)). */
  hostKernel?: string;
  /** Do not download: only say whether a kernel is at hand (tests). */
  offline?: boolean;
  onProgress?: (message: string) => void;
}

/** The cache directory for Debian's kernel. */
export function linuxCacheDir(project: Project): string {
  return path.join(project.buildDir, 'linux');
}

/** A Linux kernel for the comparison, downloading Debian's into build/linux/ when needed. */
export async function findLinux(project: Project, options: FindLinuxOptions = {}): Promise<LinuxKernel> {
  if (options.linux) {
    const p = path.resolve(options.linux);
    if (!readable(p)) throw new OskitError(`--linux ${options.linux}: no readable file there`);
    return described(p, '--linux');
  }
  const host = options.hostKernel ?? `/boot/vmlinuz-${os.release()}`;
  if (readable(host)) {
    try {
      return described(host, 'the host kernel');
    } catch {
      // not a bzImage (some hosts boot other formats): fall back to Debian's
    }
  }
  const cache = linuxCacheDir(project);
  const cached = existsSync(cache) ? readdirSync(cache).filter((f) => f.startsWith('vmlinuz-')).sort() : [];
  if (cached.length > 0) return described(path.join(cache, cached[cached.length - 1]!), "Debian's linux-image-amd64 (cached in build/linux)");
  if (options.offline) throw new OskitError(`no Linux kernel at hand: ${host} is not readable and build/linux/ has none`);
  mkdirSync(cache, { recursive: true });
  const depends = await execa('apt-cache', ['depends', 'linux-image-amd64'], { reject: false, stdin: 'ignore' });
  const pkg = imagePackageFromDepends(String(depends.stdout));
  if (!pkg) {
    throw new OskitError('cannot find a Linux kernel: apt-cache knows no linux-image-amd64', 'run apt-get update (as root), or give --linux PATH to a bzImage');
  }
  options.onProgress?.(`downloading ${pkg} with apt-get download into build/linux (nothing is installed)`);
  const dl = await execa('apt-get', ['download', pkg], { cwd: cache, reject: false, stdin: 'ignore', all: true });
  const deb = readdirSync(cache).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  if (dl.exitCode !== 0 || !deb) {
    const why = String(dl.all ?? '').split('\n').filter((l) => /^(E|W):/.test(l))[0] ?? `apt-get exited ${dl.exitCode}`;
    throw new OskitError(`apt-get download ${pkg} failed: ${why}`, 'give --linux PATH to a bzImage');
  }
  const kernel = await unpackKernelFromDeb(path.join(cache, deb), cache);
  rmSync(path.join(cache, deb), { force: true });
  return described(kernel, "Debian's linux-image-amd64 (apt-get download)");
}

// ---- the guest ----

/** The Linux guest's command line: a quiet boot straight into /init on the serial port. */
export const LINUX_CMDLINE = 'console=ttyS0 quiet panic=-1 rdinit=/init';

/**
 * The initramfs: the benchmark as /init and, for fork_exec_wait, /bin/true,
 * byte for byte the files oskit's root has. bench-sys mounts devtmpfs and a
 * tmpfs itself as PID 1.
 */
export function linuxInitramfs(init: Uint8Array, binTrue: Uint8Array): Uint8Array {
  const entries: CpioEntry[] = [
    { path: 'bin', mode: S_IFDIR | 0o755 },
    { path: 'bin/true', mode: S_IFREG | 0o755, data: binTrue },
    { path: 'dev', mode: S_IFDIR | 0o755 },
    { path: 'init', mode: S_IFREG | 0o755, data: init },
    { path: 'tmp', mode: S_IFDIR | 0o1777 },
  ];
  return writeCpio(entries);
}

export interface LinuxQemuOptions extends Pick<QemuOptions, 'accel' | 'cpu' | 'smp' | 'memoryBytes' | 'serialLog'> {
  kernel: string;
  initramfs: string;
  append?: string;
  /** Arguments for /init: after ` -- ` on the kernel's command line, Linux hands them to init. */
  initArgs?: readonly string[];
}

/** QEMU for the Linux guest: the same machine, accelerator, CPU model, -smp and -m as oskit's runs. */
export function linuxQemuArgs(o: LinuxQemuOptions): string[] {
  return [
    '-M', DEFAULT_MACHINE,
    '-cpu', o.cpu ?? (o.accel === 'kvm' ? 'host' : 'max'),
    '-accel', o.accel,
    '-smp', String(o.smp),
    '-m', memoryArg(o.memoryBytes),
    '-kernel', o.kernel,
    '-initrd', o.initramfs,
    '-append', [o.append ?? LINUX_CMDLINE, ...(o.initArgs?.length ? ['--', ...o.initArgs] : [])].join(' '),
    '-no-reboot',
    ...serialArgs('stdio', o.serialLog),
    '-monitor', 'none',
    '-display', 'none',
  ];
}
