// Where things live. Every module takes a Project instead of reading the
// current directory, so tests can point the harness at any tree.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Project {
  /** The tree holding oskit.config.ts, kernel-src/, iso/ and build/. */
  root: string;
  buildDir: string;
  genDir: string;
  logsDir: string;
  kernelSrc: string;
  kernelElf: string;
  iso: string;
  /** The oskit package itself (for templates and the config self-reference). */
  packageRoot: string;
}

function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'oskit') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('oskit package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** The installed oskit package directory (works from harness/ and dist/harness/). */
export const packageRoot = findPackageRoot();

/** The package version, compiled into config.hpp. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

export function projectAt(root: string): Project {
  const abs = path.resolve(root);
  const buildDir = path.join(abs, 'build');
  return {
    root: abs,
    buildDir,
    genDir: path.join(buildDir, 'gen'),
    logsDir: path.join(buildDir, 'logs'),
    kernelSrc: path.join(abs, 'kernel-src'),
    kernelElf: path.join(buildDir, 'kernel.elf'),
    iso: path.join(buildDir, 'oskit.iso'),
    packageRoot,
  };
}

/**
 * The project for a command run in `cwd`: the nearest directory upwards that
 * holds oskit.config.ts or kernel-src/, else the oskit package itself.
 */
export function findProject(cwd: string = process.cwd()): Project {
  if (process.env.OSKIT_ROOT) return projectAt(process.env.OSKIT_ROOT);
  let dir = path.resolve(cwd);
  for (;;) {
    if (existsSync(path.join(dir, 'oskit.config.ts')) || existsSync(path.join(dir, 'kernel-src'))) return projectAt(dir);
    const parent = path.dirname(dir);
    if (parent === dir) return projectAt(packageRoot);
    dir = parent;
  }
}

/** A path relative to the project root, for messages and build files. */
export function rel(project: Project, p: string): string {
  const r = path.relative(project.root, p);
  return r === '' ? '.' : r;
}
