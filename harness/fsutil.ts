// Small file helpers shared by the generators.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Write `content` to `file` only when it differs from what is there, so that
 * ninja (which compares mtimes) rebuilds nothing after an unchanged run.
 * Returns true when the file was written.
 */
export function writeIfChanged(file: string, content: string | Uint8Array): boolean {
  try {
    const old = readFileSync(file);
    if (typeof content === 'string' ? old.toString('utf8') === content : old.equals(content)) return false;
  } catch {
    // missing or unreadable: write it
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return true;
}

/** The file's modification time in ms, or undefined when it does not exist. */
export function mtimeOf(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
