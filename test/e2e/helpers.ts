// Shared pieces of the end-to-end tests: the project, the accelerator they
// run under (TCG unless OSKIT_ACCEL says otherwise), and the check that no
// QEMU started by a test outlives it.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import tap, { type Test } from 'tap';
import { projectAt } from '../../harness/project.js';
import { isAlive, startedPids } from '../../harness/vm/registry.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const project = projectAt(repoRoot);
export const accel = (process.env.OSKIT_ACCEL as 'tcg' | 'kvm' | 'auto' | undefined) ?? 'tcg';
export const smp = process.env.OSKIT_SMP;
export const bootOptions = { accel, silent: true, quiet: true, ...(smp ? { smp } : {}) };

/** Pids of running qemu-system processes whose environment carries `tag`. */
export function qemuWithTag(tag: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmd.startsWith('qemu-system')) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`OSKIT_TEST_TAG=${tag}`)) found.push(Number(entry));
    } catch {
      // gone or not ours
    }
  }
  return found;
}

/** Assert that every QEMU this process started is gone. */
export function assertNoQemuLeft(t: Test): void {
  const alive = startedPids().filter(isAlive);
  t.same(alive, [], 'no QEMU started by this test is still running');
}

/** Run bin/oskit with a tag in its environment; afterwards assert no tagged QEMU remains. */
export async function runCli(t: Test, args: string[], env: Record<string, string> = {}) {
  const tag = randomUUID();
  const result = await execa(path.join(repoRoot, 'bin', 'oskit'), args, {
    cwd: repoRoot,
    reject: false,
    stdin: 'ignore',
    env: { ...env, OSKIT_TEST_TAG: tag, NO_COLOR: '1' },
    timeout: 600_000,
    // Exact output: a program's last newline is part of what it printed.
    stripFinalNewline: false,
  });
  t.same(qemuWithTag(tag), [], `no QEMU left behind by oskit ${args.join(' ')}`);
  return result;
}

/** A tap test that ends by asserting no QEMU it started is still running. */
export function qemuTest(name: string, body: (t: Test) => Promise<void>): void {
  tap.test(name, async (t) => {
    try {
      await body(t);
    } finally {
      assertNoQemuLeft(t);
    }
  });
}
