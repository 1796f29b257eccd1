// `--busybox`: the host's unmodified, statically linked Debian busybox
// (package busybox-static) in the guest's root for one run: /bin/busybox,
// a symlink /bin/APPLET -> busybox for every applet it has (busybox's become
// the default commands, /bin/sh among them), and oskit's own programs kept
// reachable under /oskit/bin. The entries go into the per-run archive
// (fw_cfg opt/oskit/initrd), so the ISO is not remade.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { OskitError } from '../errors.js';
import type { Project } from '../project.js';
import type { CpioEntry } from './cpio.js';
import { MODE_DIR, MODE_EXEC, MODE_SYMLINK, userRootfsDir } from './initrd.js';

/** Where Debian's busybox-static puts it. */
export const HOST_BUSYBOX = '/bin/busybox';
export const BUSYBOX_PACKAGE = 'busybox-static';
/** Where oskit's own /bin programs stay reachable with --busybox. */
export const OSKIT_BIN = 'oskit/bin';

const PT_INTERP = 3;

/**
 * The program interpreter (PT_INTERP) of an ELF64 little-endian file,
 * '' for a static one, undefined when it is not ELF64.
 */
export function elfInterpreter(bytes: Uint8Array): string | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) return undefined;
  const phoff = Number(b.readBigUInt64LE(32));
  const phentsize = b.readUInt16LE(54);
  const phnum = b.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + 56 > b.length) return undefined;
    if (b.readUInt32LE(ph) !== PT_INTERP) continue;
    const offset = Number(b.readBigUInt64LE(ph + 8));
    const size = Number(b.readBigUInt64LE(ph + 32));
    return b.subarray(offset, offset + size).toString('latin1').replace(/\0+$/, '');
  }
  return '';
}

/** Applet names from `busybox --list` (one a line). */
export function parseAppletList(output: string): string[] {
  return output.split('\n').map((l) => l.trim()).filter((l) => /^[A-Za-z0-9_.[-]+$/.test(l) && l !== 'busybox');
}

export interface HostBusybox {
  path: string;
  data: Buffer;
  applets: string[];
}

/** The host's busybox, checked: present, static, and its applet list. */
export function hostBusybox(file: string = HOST_BUSYBOX): HostBusybox {
  const hint = `install the Debian package ${BUSYBOX_PACKAGE} (oskit doctor --fix does)`;
  if (!existsSync(file)) throw new OskitError(`--busybox: ${file} not found`, hint);
  const data = readFileSync(file);
  const interp = elfInterpreter(data);
  if (interp === undefined) throw new OskitError(`--busybox: ${file} is not an x86-64 ELF program`, hint);
  if (interp !== '') throw new OskitError(`--busybox: ${file} is dynamically linked (interpreter ${interp}); oskit runs static programs`, hint);
  let list: string;
  try {
    list = execFileSync(file, ['--list'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    throw new OskitError(`--busybox: ${file} --list failed: ${(e as Error).message.split('\n')[0]}`, hint);
  }
  const applets = parseAppletList(list);
  if (applets.length === 0) throw new OskitError(`--busybox: ${file} --list named no applets`);
  return { path: file, data, applets };
}

/**
 * The archive entries (pure): busybox at /bin/busybox, /bin/APPLET symlinks
 * to it, and `ours` (name -> bytes, oskit's /bin programs) under /oskit/bin.
 */
export function busyboxEntries(busybox: Uint8Array, applets: readonly string[], ours: ReadonlyMap<string, Uint8Array>): CpioEntry[] {
  const entries: CpioEntry[] = [
    { path: 'oskit', mode: MODE_DIR },
    { path: OSKIT_BIN, mode: MODE_DIR },
  ];
  for (const [name, data] of [...ours].sort(([a], [b]) => (a < b ? -1 : 1))) entries.push({ path: `${OSKIT_BIN}/${name}`, mode: MODE_EXEC, data });
  entries.push({ path: 'bin/busybox', mode: MODE_EXEC, data: busybox });
  for (const applet of [...new Set(applets)].sort()) entries.push({ path: `bin/${applet}`, mode: MODE_SYMLINK, target: 'busybox' });
  return entries;
}

/** oskit's built /bin programs (build/user/rootfs/bin). */
export function ourPrograms(project: Project): Map<string, Uint8Array> {
  const dir = path.join(userRootfsDir(project), 'bin');
  const found = new Map<string, Uint8Array>();
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir).sort()) found.set(name, readFileSync(path.join(dir, name)));
  return found;
}
