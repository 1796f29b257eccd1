// The per-run archive of --add files: written under build/ just before QEMU
// starts, handed to QEMU as the fw_cfg file opt/oskit/initrd, and removed
// when the run ends, however it ends (also on Ctrl-C): it is made again from
// the same host files by the same command, so there is nothing in it to keep.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { additionsArchive, type Addition } from '../image/initrd.js';
import { rel, type Project } from '../project.js';
import { onExitRestore } from './registry.js';

export interface RunArchive {
  /** The archive, relative to the project root (QEMU runs there), or undefined without --add. */
  file: string | undefined;
  /** Remove the archive now (idempotent). */
  remove(): void;
}

let counter = 0;

/** Write the archive for `additions` (none: no file). */
export function writeRunArchive(project: Project, additions: readonly Addition[]): RunArchive {
  if (additions.length === 0) return { file: undefined, remove: () => {} };
  const file = path.join(project.buildDir, `add-${process.pid}-${++counter}.cpio`);
  const removeFile = () => rmSync(file, { force: true });
  const forget = onExitRestore(removeFile);
  writeFileSync(file, additionsArchive(project, additions));
  return {
    file: rel(project, file),
    remove: () => {
      forget();
      removeFile();
    },
  };
}
