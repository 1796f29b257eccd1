// The boot image: build/oskit.iso from kernel.elf and grub.cfg, made by
// grub-mkrescue (GRUB 2, BIOS via grub-pc-bin; xorriso and mtools underneath).
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { OskitError } from '../errors.js';
import { mtimeOf } from '../fsutil.js';
import type { Project } from '../project.js';

export interface IsoResult {
  iso: string;
  rebuilt: boolean;
}

/** True when the ISO is missing or older than kernel.elf or grub.cfg. */
export function isoIsStale(project: Project): boolean {
  const iso = mtimeOf(project.iso);
  if (iso === undefined) return true;
  for (const input of [project.kernelElf, path.join(project.genDir, 'grub.cfg')]) {
    const t = mtimeOf(input);
    if (t === undefined || t > iso) return true;
  }
  return false;
}

/** Make build/oskit.iso when it is stale; grub-mkrescue's chatter is shown only on failure. */
export async function makeIso(project: Project): Promise<IsoResult> {
  if (!isoIsStale(project)) return { iso: project.iso, rebuilt: false };
  if (mtimeOf(project.kernelElf) === undefined) throw new OskitError('build/kernel.elf does not exist', 'run: oskit build');
  const staging = path.join(project.buildDir, 'iso-root');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(path.join(staging, 'boot', 'grub'), { recursive: true });
  copyFileSync(project.kernelElf, path.join(staging, 'boot', 'kernel.elf'));
  copyFileSync(path.join(project.genDir, 'grub.cfg'), path.join(staging, 'boot', 'grub', 'grub.cfg'));
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
