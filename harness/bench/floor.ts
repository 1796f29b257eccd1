// The floor kernel of `oskit bench boot`: fixtures/floor/floor.S, a
// Multiboot2 kernel that prints one line and leaves QEMU at once, in its own
// GRUB ISO made with the real grub.cfg (same timeout and menu; only the
// initrd module is left out, which the floor has no use for). Booting it
// measures what no kernel can make faster: QEMU, the firmware and GRUB.
// Built under build/floor/ and remade only when its inputs change.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { OskitError } from '../errors.js';
import { mtimeOf, writeIfChanged } from '../fsutil.js';
import type { Project } from '../project.js';
import { TARGET } from '../build/ninja.js';

/** The line the floor kernel prints on COM1 before it exits. */
export const FLOOR_LINE = /oskit floor: booted/;
/** It writes 0x31 to isa-debug-exit: QEMU exits with (0x31 << 1) | 1. */
export const FLOOR_EXIT_STATUS = 0x31 * 2 + 1;

export interface FloorPaths {
  source: string;
  linkerScript: string;
  dir: string;
  object: string;
  elf: string;
  grubCfg: string;
  iso: string;
}

export function floorPaths(project: Project): FloorPaths {
  const src = path.join(project.packageRoot, 'fixtures', 'floor');
  const dir = path.join(project.buildDir, 'floor');
  return {
    source: path.join(src, 'floor.S'),
    linkerScript: path.join(src, 'floor.ld'),
    dir,
    object: path.join(dir, 'floor.o'),
    elf: path.join(dir, 'floor.elf'),
    grubCfg: path.join(dir, 'grub.cfg'),
    iso: path.join(dir, 'floor.iso'),
  };
}

/** The real grub.cfg without its module lines (the floor loads no initrd). */
export function floorGrubCfg(real: string): string {
  return real
    .split('\n')
    .filter((line) => !/^\s*module2?\s/.test(line))
    .join('\n');
}

async function run(project: Project, command: string, args: string[], what: string): Promise<void> {
  const r = await execa(command, args, { cwd: project.root, reject: false, all: true, stdin: 'ignore' });
  if (r.exitCode !== 0) throw new OskitError(`bench boot: ${what} failed`, 'run: oskit doctor', { details: String(r.all ?? '') });
}

/**
 * build/floor/floor.iso, made when missing or older than floor.S, floor.ld
 * or the grub.cfg derived from `realGrubCfg` (the text of build/gen/grub.cfg).
 */
export async function buildFloor(project: Project, realGrubCfg: string): Promise<string> {
  const p = floorPaths(project);
  if (!existsSync(p.source)) throw new OskitError(`the floor kernel's source is missing: ${p.source}`);
  mkdirSync(p.dir, { recursive: true });
  writeIfChanged(p.grubCfg, floorGrubCfg(realGrubCfg));
  const isoTime = mtimeOf(p.iso);
  const stale = isoTime === undefined || [p.source, p.linkerScript, p.grubCfg].some((f) => (mtimeOf(f) ?? Infinity) > isoTime);
  if (!stale) return p.iso;
  await run(project, 'clang', [TARGET, '-c', p.source, '-o', p.object], 'assembling fixtures/floor/floor.S');
  await run(project, 'ld.lld', ['-nostdlib', '-static', '--no-pie', '-z', 'max-page-size=0x1000', '-T', p.linkerScript, '-o', p.elf, p.object], 'linking the floor kernel');
  const staging = path.join(p.dir, 'iso-root');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(path.join(staging, 'boot', 'grub'), { recursive: true });
  // The same file names as the real ISO: GRUB runs the same script.
  writeIfChanged(path.join(staging, 'boot', 'grub', 'grub.cfg'), readFileSync(p.grubCfg));
  writeIfChanged(path.join(staging, 'boot', 'kernel.elf'), readFileSync(p.elf));
  const tmp = `${p.iso}.tmp`;
  await run(project, 'grub-mkrescue', ['-o', tmp, staging], 'grub-mkrescue (floor ISO)');
  renameSync(tmp, p.iso);
  return p.iso;
}
