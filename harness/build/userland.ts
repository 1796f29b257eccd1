// The userland build: C programs under kernel-src/user/ compiled with
// musl-gcc into static executables, installed (stripped) into the root
// filesystem tree build/user/rootfs/. Part of the same build.ninja as the
// kernel, so one ninja run builds both and rebuilds only what changed.
//
//   kernel-src/user/bin/NAME.c        -> build/user/rootfs/bin/NAME
//   kernel-src/user/bin/NAME/*.c      -> build/user/rootfs/bin/NAME (one program, several files)
//   kernel-src/user/sbin/...          -> build/user/rootfs/sbin/...
//   kernel-src/user/lib/*.c           -> build/user/obj/lib/libulib.a, linked into every program
//
// Objects go to build/user/obj/<path under kernel-src/user>.o; the unstripped
// executables (for gdb and symbolising) to build/user/unstripped/<install path>.
import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { Project } from '../project.js';

/** Where user sources live, relative to the project root. */
export const USER_SRC = 'kernel-src/user';

/** The directories whose programs are installed, and where. */
export const INSTALL_DIRS = ['bin', 'sbin'] as const;

export const USER_CC = 'musl-gcc';

/**
 * C11 with the GNU/Linux declarations musl offers under _GNU_SOURCE (pipe2,
 * dup3, sched_getcpu, ...). Static ET_EXEC: no dynamic loader on the target,
 * and -fno-pie gives the plain absolute code the kernel's loader expects.
 */
export const USER_CFLAGS = [
  '-std=c11', '-D_GNU_SOURCE', '-O2', '-g', '-Wall', '-Wextra', '-fno-pie', `-I${USER_SRC}/lib`,
];

export const USER_LDFLAGS = ['-static', '-no-pie'];

export const USER_LIB_ARCHIVE = 'build/user/obj/lib/libulib.a';

export interface UserProgram {
  /** Install path inside the root filesystem, e.g. 'bin/sh'. */
  install: string;
  /** C sources relative to the project root, sorted. */
  sources: string[];
}

export interface Userland {
  programs: UserProgram[];
  /** Shared sources (kernel-src/user/lib/*.c), sorted. */
  lib: string[];
}

function listDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

const isC = (e: Dirent) => e.isFile() && e.name.endsWith('.c');

/** Every user program and the shared library sources; empty when kernel-src/user/ is absent. */
export function discoverUserland(project: Project): Userland {
  const root = path.join(project.root, USER_SRC);
  const programs: UserProgram[] = [];
  for (const dir of INSTALL_DIRS) {
    for (const entry of listDir(path.join(root, dir))) {
      if (isC(entry)) {
        programs.push({ install: `${dir}/${entry.name.slice(0, -2)}`, sources: [`${USER_SRC}/${dir}/${entry.name}`] });
      } else if (entry.isDirectory()) {
        const sources = listDir(path.join(root, dir, entry.name))
          .filter(isC)
          .map((e) => `${USER_SRC}/${dir}/${entry.name}/${e.name}`)
          .sort();
        if (sources.length > 0) programs.push({ install: `${dir}/${entry.name}`, sources });
      }
    }
  }
  programs.sort((a, b) => (a.install < b.install ? -1 : a.install > b.install ? 1 : 0));
  const lib = listDir(path.join(root, 'lib')).filter(isC).map((e) => `${USER_SRC}/lib/${e.name}`).sort();
  return { programs, lib };
}

/** Object file for a user source: build/user/obj/<path under kernel-src/user>.o */
export function userObjectFor(source: string): string {
  return `build/user/obj/${source.slice(USER_SRC.length + 1)}.o`;
}

/** The installed (stripped) executable for an install path. */
export function installedPath(install: string): string {
  return `build/user/rootfs/${install}`;
}

/** The unstripped executable kept next to the tree. */
export function unstrippedPath(install: string): string {
  return `build/user/unstripped/${install}`;
}

/**
 * The build.ninja lines for the userland (variables, rules, edges) and the
 * targets to add to `default`. `escape` is the ninja path escaper.
 */
export function userlandNinja(userland: Userland, escape: (p: string) => string): { lines: string[]; defaults: string[] } {
  if (userland.programs.length === 0) return { lines: [], defaults: [] };
  const lines = [
    `ucflags = ${USER_CFLAGS.join(' ')}`,
    `uldflags = ${USER_LDFLAGS.join(' ')}`,
    '',
    'rule ucc',
    `  command = ${USER_CC} $ucflags -MD -MF $out.d -c $in -o $out`,
    '  depfile = $out.d',
    '  deps = gcc',
    '  description = $in',
    '',
    'rule uar',
    '  command = rm -f $out && ar crs $out $in',
    '  description = $out',
    '',
    'rule ulink',
    `  command = ${USER_CC} $uldflags -o $out $in`,
    '  description = $out',
    '',
    'rule ustrip',
    '  command = strip -o $out $in',
    '  description = $out',
    '',
  ];
  const compile = (src: string) => {
    const obj = userObjectFor(src);
    lines.push(`build ${escape(obj)}: ucc ${escape(src)}`);
    return obj;
  };
  const libObjects = userland.lib.map(compile);
  const archive = libObjects.length > 0 ? [USER_LIB_ARCHIVE] : [];
  if (libObjects.length > 0) lines.push(`build ${USER_LIB_ARCHIVE}: uar ${libObjects.map(escape).join(' ')}`);
  const defaults: string[] = [];
  for (const program of userland.programs) {
    const objects = program.sources.map(compile);
    const unstripped = unstrippedPath(program.install);
    const installed = installedPath(program.install);
    // The archive goes last so its members resolve the programs' references.
    lines.push(`build ${escape(unstripped)}: ulink ${[...objects, ...archive].map(escape).join(' ')}`);
    lines.push(`build ${escape(installed)}: ustrip ${escape(unstripped)}`);
    defaults.push(installed);
  }
  lines.push('');
  return { lines, defaults };
}

