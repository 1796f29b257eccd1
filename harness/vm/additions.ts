// The per-run archive of --add files: written under build/ just before QEMU
// starts, handed to QEMU as the fw_cfg file opt/oskit/initrd, and removed
// when the run ends, however it ends (also on Ctrl-C): it is made again from
// the same host files by the same command, so there is nothing in it to keep.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { busyboxEntries, hostBusybox, ourPrograms, type HostBusybox } from '../image/busybox.js';
import type { CpioEntry } from '../image/cpio.js';
import { additionsArchive, resolveAdditions, type Addition } from '../image/initrd.js';
import { rel, type Project } from '../project.js';
import { onExitRestore } from './registry.js';

export interface RunArchive {
  /** The archive, relative to the project root (QEMU runs there), or undefined without --add. */
  file: string | undefined;
  /** Remove the archive now (idempotent). */
  remove(): void;
}

let counter = 0;

/** What a run adds to the root: --add paths and --busybox (run, exec, test, shell share these). */
export interface RunRootfsOptions {
  /** --add HOST_PATH[:GUEST_PATH] */
  add?: readonly string[];
  /** --busybox: the host's static busybox with a /bin link per applet, oskit's programs under /oskit/bin. */
  busybox?: boolean;
}

export interface RunRootfs {
  additions: Addition[];
  busybox?: HostBusybox;
}

/** Check the run's additions before anything builds: a missing path or busybox is one OskitError. */
export function resolveRunRootfs(options: RunRootfsOptions, cwd?: string): RunRootfs {
  const additions = resolveAdditions(options.add ?? [], cwd);
  return options.busybox ? { additions, busybox: hostBusybox() } : { additions };
}

/** Write the per-run archive of a resolved RunRootfs (after the build: it copies oskit's programs). */
export function writeRunRootfs(project: Project, rootfs: RunRootfs): RunArchive {
  const extra = rootfs.busybox ? busyboxEntries(rootfs.busybox.data, rootfs.busybox.applets, ourPrograms(project)) : [];
  return writeRunArchive(project, rootfs.additions, extra);
}

/** Write the archive for `additions` and `extra` entries (none: no file). */
export function writeRunArchive(project: Project, additions: readonly Addition[], extra: readonly CpioEntry[] = []): RunArchive {
  if (additions.length === 0 && extra.length === 0) return { file: undefined, remove: () => {} };
  const file = path.join(project.buildDir, `add-${process.pid}-${++counter}.cpio`);
  const removeFile = () => rmSync(file, { force: true });
  const forget = onExitRestore(removeFile);
  writeFileSync(file, additionsArchive(project, additions, extra));
  return {
    file: rel(project, file),
    remove: () => {
      forget();
      removeFile();
    },
  };
}
