// The boot image: build/oskit.iso from kernel.elf, grub.cfg and the root
// file system (boot/initrd.cpio, loaded by GRUB's `module2 ... initrd`), made
// by grub-mkrescue (GRUB 2, BIOS via grub-pc-bin; xorriso and mtools underneath).
//
// The ISO gets kernel.elf stripped: GRUB's Multiboot2 loader reads every
// section that is not loaded (sh_addr 0: the DWARF, the symbol table) into
// memory for the ELF-sections tag (grub-core/loader/multiboot_elfxx.c), and
// under TCG reading the 3 MiB of debug information from the CD took
// 120-150 ms of every boot. Backtraces and gdb use build/kernel.elf, which
// keeps it; the loaded segments are the same bytes.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { OskitError } from '../errors.js';
import { mtimeOf } from '../fsutil.js';
import type { Project } from '../project.js';
import { initrdPath } from './initrd.js';

export interface IsoResult {
  iso: string;
  rebuilt: boolean;
}

/** What goes into the ISO: kernel.elf, grub.cfg, initrd.cpio. */
export function isoInputs(project: Project): string[] {
  return [project.kernelElf, path.join(project.genDir, 'grub.cfg'), initrdPath(project)];
}

/** True when the ISO is missing or older than one of its inputs. */
export function isoIsStale(project: Project): boolean {
  const iso = mtimeOf(project.iso);
  if (iso === undefined) return true;
  for (const input of isoInputs(project)) {
    const t = mtimeOf(input);
    if (t === undefined || t > iso) return true;
  }
  return false;
}

/** Copy `from` to `to` without its unloaded sections (binutils strip; see the top of this file). */
export async function stripKernel(project: Project, from: string, to: string): Promise<void> {
  const result = await execa('strip', ['--strip-all', '-o', to, from], { cwd: project.root, reject: false, all: true, stdin: 'ignore' });
  if (result.exitCode !== 0) throw new OskitError(`strip failed on ${from}`, 'is binutils installed? run: oskit doctor', { details: String(result.all ?? '') });
}

/** Make build/oskit.iso when it is stale; grub-mkrescue's chatter is shown only on failure. */
export async function makeIso(project: Project): Promise<IsoResult> {
  if (!isoIsStale(project)) return { iso: project.iso, rebuilt: false };
  if (mtimeOf(project.kernelElf) === undefined) throw new OskitError('build/kernel.elf does not exist', 'run: oskit build');
  if (mtimeOf(initrdPath(project)) === undefined) throw new OskitError('build/initrd.cpio does not exist', 'run: oskit build');
  const staging = path.join(project.buildDir, 'iso-root');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(path.join(staging, 'boot', 'grub'), { recursive: true });
  await stripKernel(project, project.kernelElf, path.join(staging, 'boot', 'kernel.elf'));
  copyFileSync(path.join(project.genDir, 'grub.cfg'), path.join(staging, 'boot', 'grub', 'grub.cfg'));
  copyFileSync(initrdPath(project), path.join(staging, 'boot', 'initrd.cpio'));
  const tmp = `${project.iso}.tmp`;
  const result = await execa('grub-mkrescue', ['-o', tmp, staging], {
    cwd: project.root,
    reject: false,
    all: true,
    stdin: 'ignore',
  });
  if (result.exitCode !== 0) {
    rmSync(tmp, { force: true });
    throw new OskitError('grub-mkrescue failed', 'is grub-pc-bin installed? run: oskit doctor', { details: String(result.all ?? '') });
  }
  // rename is atomic: a reader never sees a half-written ISO.
  (await import('node:fs')).renameSync(tmp, project.iso);
  return { iso: project.iso, rebuilt: true };
}
