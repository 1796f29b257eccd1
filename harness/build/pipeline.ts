// The steps every command shares: configuration, generated files, the
// kernel build and (for booting) the ISO. Each step is skipped when fresh.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { applyOverrides, type Config, type Overrides } from '../config/schema.js';
import { NEEDS, requireTools } from '../doctor/tools.js';
import { OskitError } from '../errors.js';
import { buildInitrd, checkRootfsSources, type InitrdResult } from '../image/initrd.js';
import { makeIso } from '../image/iso.js';
import type { Project } from '../project.js';
import { generateAll } from './generate.js';
import { LINKER_SCRIPT, runNinja, writeNinjaFile } from './ninja.js';
import { discoverUserland, installedPath } from './userland.js';

export interface PrepareOptions extends Overrides {
  /** --config FILE */
  configFile?: string;
  /** Collect tool output instead of showing it (tests). */
  quiet?: boolean;
  /** Make the ISO as well as kernel.elf. */
  iso?: boolean;
}

export interface Prepared {
  config: Config;
  kernelElf: string;
  /** The installed user programs (build/user/rootfs/...), relative to the root. */
  userPrograms: string[];
  /** build/initrd.cpio, made after ninja (it packs the built user programs). */
  initrd: InitrdResult;
  iso?: string;
  /** Ninja's output when quiet. */
  buildOutput: string;
}

/** Load the configuration with command-line overrides applied. */
export async function resolveConfig(project: Project, options: PrepareOptions): Promise<Config> {
  return applyOverrides(await loadConfig(project, options.configFile), options);
}

/** Generate, build kernel.elf and the user programs, pack build/initrd.cpio, and (with options.iso) make the ISO. */
export async function prepare(project: Project, options: PrepareOptions = {}): Promise<Prepared> {
  const config = await resolveConfig(project, options);
  requireTools(options.iso ? NEEDS.iso : NEEDS.build);
  if (!existsSync(project.kernelSrc)) {
    throw new OskitError(`kernel sources not found: ${project.kernelSrc}`, 'run oskit inside a project with kernel-src/');
  }
  if (!existsSync(path.join(project.root, LINKER_SCRIPT))) {
    throw new OskitError(`linker script not found: ${LINKER_SCRIPT}`);
  }
  checkRootfsSources(project, config);
  generateAll(project, config);
  writeNinjaFile(project);
  const built = await runNinja(project, { stdio: options.quiet ? 'pipe' : 'inherit' });
  const userPrograms = discoverUserland(project).programs.map((p) => installedPath(p.install));
  const initrd = buildInitrd(project, config);
  const out: Prepared = { config, kernelElf: project.kernelElf, userPrograms, initrd, buildOutput: built.output };
  if (options.iso) out.iso = (await makeIso(project)).iso;
  return out;
}

/**
 * Build only the user programs (musl-gcc; no kernel toolchain or
 * configuration needed). Returns their installed paths relative to the root.
 */
export async function buildUserland(project: Project, options: { quiet?: boolean } = {}): Promise<string[]> {
  requireTools(['musl-gcc', 'gcc', 'ninja']);
  writeNinjaFile(project);
  const installed = discoverUserland(project).programs.map((p) => installedPath(p.install));
  if (installed.length > 0) await runNinja(project, { stdio: options.quiet ? 'pipe' : 'inherit', targets: installed });
  return installed;
}
