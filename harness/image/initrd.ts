// The root file system image, build/initrd.cpio (a newc archive GRUB loads
// as the Multiboot2 module named `initrd`), and the per-run archives of
// files added with --add. Layers, later ones replacing earlier entries at the
// same path:
//   1. fixtures/rootfs/**           (the project's own, else oskit's)
//   2. etc/hostname                 (the configuration's hostname)
//   3. build/user/rootfs/**         (the userland programs, when built)
//   4. the configuration's rootfs   (host paths relative to the project)
//   5. dev/, proc/ (0755), tmp/ (01777): mount points
// Deterministic: entries sorted by path, mtime 0, uid/gid 0, modes 0755 for
// directories and executables and 0644 for other files, so an unchanged
// tree gives a byte-identical archive, written only when it changes.
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { OskitError } from '../errors.js';
import { writeIfChanged } from '../fsutil.js';
import { rel, type Project } from '../project.js';
import { isDirectory, readCpio, S_IFDIR, S_IFLNK, S_IFREG, writeCpio, type CpioEntry } from './cpio.js';
import { archivePath, parsePathSpec, type PathSpec } from './path-spec.js';

/** Every entry's mtime: the epoch, so the archive does not change with checkouts or commits. */
export const INITRD_MTIME = 0;

export const MODE_DIR = S_IFDIR | 0o755;
export const MODE_EXEC = S_IFREG | 0o755;
export const MODE_FILE = S_IFREG | 0o644;
export const MODE_SYMLINK = S_IFLNK | 0o777;
/** /tmp: world-writable with the sticky bit, as on every Unix. */
export const MODE_TMP = S_IFDIR | 0o1777;

/** Empty directories the kernel mounts devfs, procfs and tmpfs on. */
export const MOUNT_POINTS: ReadonlyArray<{ path: string; mode: number }> = [
  { path: 'dev', mode: MODE_DIR },
  { path: 'proc', mode: MODE_DIR },
  { path: 'tmp', mode: MODE_TMP },
];

/** Files that only keep empty directories in git. */
const PLACEHOLDER = '.gitkeep';

export function initrdPath(project: Project): string {
  return path.join(project.buildDir, 'initrd.cpio');
}

/** Where the userland build installs its programs (build/user/rootfs/bin/hello, ...). */
export function userRootfsDir(project: Project): string {
  return path.join(project.buildDir, 'user', 'rootfs');
}

/** fixtures/rootfs of the project, or oskit's own when the project has none. */
export function baseRootfsDir(project: Project): string {
  const own = path.join(project.root, 'fixtures', 'rootfs');
  return existsSync(own) ? own : path.join(project.packageRoot, 'fixtures', 'rootfs');
}

/**
 * A file tree keyed by archive path. Putting a non-directory where a
 * directory was removes everything under it; putting anything under a path
 * that is not a directory makes it one. Missing parents are created (0755)
 * and remembered as implicit.
 */
export class RootTree {
  private readonly entries = new Map<string, CpioEntry>();
  private readonly implicit = new Set<string>();

  put(entry: CpioEntry): void {
    const parts = entry.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const existing = this.entries.get(parent);
      if (existing && isDirectory(existing.mode)) continue;
      this.entries.set(parent, { path: parent, mode: MODE_DIR, mtime: INITRD_MTIME });
      this.implicit.add(parent);
    }
    const existing = this.entries.get(entry.path);
    if (existing && !(isDirectory(existing.mode) && isDirectory(entry.mode))) this.removeUnder(entry.path);
    this.entries.set(entry.path, { mtime: INITRD_MTIME, ...entry });
    this.implicit.delete(entry.path);
  }

  private removeUnder(p: string): void {
    const prefix = `${p}/`;
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix)) {
        this.entries.delete(key);
        this.implicit.delete(key);
      }
    }
  }

  has(p: string): boolean {
    return this.entries.has(p);
  }

  /** Directories created only because something was put under them. */
  implicitDirectories(): ReadonlySet<string> {
    return this.implicit;
  }

  /** Entries sorted by path: a parent always comes before what is in it. */
  sorted(): CpioEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/**
 * Put a host file, symlink or directory (recursively) at `dest` (an archive
 * path; '' is the root: a directory's contents are merged into it). A symlink
 * given as `host` itself is followed; symlinks inside a directory are kept.
 * `label` starts error messages.
 */
export function putHostPath(tree: RootTree, host: string, dest: string, label: string, skip: (name: string) => boolean = () => false): void {
  let top: Stats;
  try {
    top = statSync(host);
  } catch {
    throw new OskitError(`${label}: ${host} does not exist`);
  }
  const visit = (file: string, at: string, st: Stats) => {
    if (st.isDirectory()) {
      if (at !== '') tree.put({ path: at, mode: MODE_DIR });
      for (const name of readdirSync(file).sort()) {
        if (skip(name)) continue;
        const child = path.join(file, name);
        visit(child, join(at, name), lstatSync(child));
      }
    } else if (at === '') {
      throw new OskitError(`${label}: ${host} is a file; only a directory can be merged into /`);
    } else if (st.isSymbolicLink()) {
      tree.put({ path: at, mode: MODE_SYMLINK, target: readlinkSync(file) });
    } else if (st.isFile()) {
      tree.put({ path: at, mode: st.mode & 0o111 ? MODE_EXEC : MODE_FILE, data: readFileSync(file) });
    } else {
      throw new OskitError(`${label}: ${file} is not a regular file, directory or symlink`);
    }
  };
  visit(host, dest, top);
}

function rootfsLabel(project: Project, spec: PathSpec): string {
  return `config: rootfs entry ${JSON.stringify(spec.text)} (host paths are relative to the project, ${project.root})`;
}

/** Check that every configured rootfs host path exists, so a typo stops the command before a long build. */
export function checkRootfsSources(project: Project, config: Config): void {
  for (const spec of config.rootfs) {
    const host = path.resolve(project.root, spec.host);
    if (!existsSync(host)) throw new OskitError(`${rootfsLabel(project, spec)}: ${host} does not exist`);
  }
}

/** The entries of the root file system for a configuration (see the layers above). */
export function rootfsEntries(project: Project, config: Config): CpioEntry[] {
  const tree = new RootTree();
  const base = baseRootfsDir(project);
  if (existsSync(base)) putHostPath(tree, base, '', rel(project, base), (name) => name === PLACEHOLDER);
  tree.put({ path: 'etc/hostname', mode: MODE_FILE, data: Buffer.from(`${config.hostname}\n`) });
  const user = userRootfsDir(project);
  if (existsSync(user)) putHostPath(tree, user, '', rel(project, user));
  for (const spec of config.rootfs) {
    putHostPath(tree, path.resolve(project.root, spec.host), archivePath(spec.guest), rootfsLabel(project, spec));
  }
  for (const m of MOUNT_POINTS) tree.put({ path: m.path, mode: m.mode });
  return tree.sorted();
}

export interface InitrdResult {
  file: string;
  /** False when the archive on disk already had these bytes. */
  written: boolean;
  entries: number;
  bytes: number;
}

/** Write build/initrd.cpio when its content changes. */
export function buildInitrd(project: Project, config: Config): InitrdResult {
  const entries = rootfsEntries(project, config);
  const archive = writeCpio(entries);
  const file = initrdPath(project);
  const written = writeIfChanged(file, archive);
  return { file, written, entries: entries.length, bytes: archive.length };
}

/** A parsed --add whose host path exists, resolved to an absolute path. */
export interface Addition extends PathSpec {
  hostPath: string;
}

/**
 * Parse and check --add arguments before anything builds or boots: a bad
 * spec or a missing host path is one OskitError. Host paths are relative to
 * `cwd`, where the command was typed.
 */
export function resolveAdditions(texts: readonly string[], cwd: string = process.cwd()): Addition[] {
  return texts.map((text) => {
    const spec = parsePathSpec(text, '--add');
    const hostPath = path.resolve(cwd, spec.host);
    if (!existsSync(hostPath)) throw new OskitError(`--add ${JSON.stringify(text)}: ${spec.host} does not exist`, `host paths are relative to the current directory, ${cwd}`);
    return { ...spec, hostPath };
  });
}

/**
 * The per-run archive: the added files in the order given (a later one
 * replaces an earlier one at the same path), plus the parent directories
 * they need that `baseDirectories` (the root image's) does not have, so that
 * unpacking it never changes the mode of an existing directory such as /tmp.
 */
export function additionEntries(additions: readonly Addition[], baseDirectories: ReadonlySet<string>, extra: readonly CpioEntry[] = []): CpioEntry[] {
  const tree = new RootTree();
  // Generated entries (--busybox) first: a user's --add replaces them.
  for (const e of extra) tree.put(e);
  for (const a of additions) putHostPath(tree, a.hostPath, archivePath(a.guest), `--add ${JSON.stringify(a.text)}`);
  const implicit = tree.implicitDirectories();
  return tree.sorted().filter((e) => !(implicit.has(e.path) && baseDirectories.has(e.path)));
}

/** Directories in an archive on disk (none when it is missing or unreadable). */
export function directoriesIn(archiveFile: string): Set<string> {
  try {
    return new Set(readCpio(readFileSync(archiveFile)).filter((r) => isDirectory(r.mode)).map((r) => r.path));
  } catch {
    return new Set();
  }
}

/** The per-run archive for `additions` over the project's root image. */
export function additionsArchive(project: Project, additions: readonly Addition[], extra: readonly CpioEntry[] = []): Buffer {
  return writeCpio(additionEntries(additions, directoriesIn(initrdPath(project)), extra));
}
