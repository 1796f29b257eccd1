// Temporary directories for unit tests, removed when the test file ends.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';

const tempDirs: string[] = [];
t.teardown(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** A temporary directory removed when the file's tests end. */
export function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(d);
  return d;
}
