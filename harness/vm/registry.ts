// Every QEMU the harness starts is registered here and killed when the
// command ends: on normal exit, on SIGINT/SIGTERM/SIGHUP and on an uncaught
// exception. Terminal restorers run on the same paths.
import { spawnSync } from 'node:child_process';
import os from 'node:os';

export interface LiveProcess {
  pid: number;
  /** Kill synchronously (SIGKILL to the process or its group). */
  kill(): void;
}

const live = new Map<number, LiveProcess>();
const started: number[] = [];
const restorers = new Set<() => void>();
let installed = false;

function killAll(): void {
  for (const p of [...live.values()]) {
    try {
      p.kill();
    } catch {
      // already gone
    }
    live.delete(p.pid);
  }
  for (const restore of [...restorers]) {
    try {
      restore();
    } catch {
      // best effort
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // Die by the same signal so the parent shell sees the usual status. When
  // another listener (a library's exit hook) still holds the signal, Node
  // keeps catching it and re-raising would change nothing: exit with the
  // status a shell reports for that signal instead.
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeListener(s, onSignal);
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  process.exit(128 + (os.constants.signals[signal] ?? 0));
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  process.on('uncaughtExceptionMonitor', killAll);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
}

/** Kill a pid's process group (it leads one), falling back to the pid alone. */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

export function register(p: LiveProcess): void {
  install();
  live.set(p.pid, p);
  started.push(p.pid);
}

export function unregister(pid: number): void {
  live.delete(pid);
}

/** Run `restore` on every exit path until the returned function is called. */
export function onExitRestore(restore: () => void): () => void {
  install();
  restorers.add(restore);
  return () => {
    restorers.delete(restore);
  };
}

/** Pids of every process registered in this Node process (for tests). */
export function startedPids(): readonly number[] {
  return started;
}

/** Registered processes not yet unregistered. */
export function livePids(): number[] {
  return [...live.keys()];
}

/** True when a pid is still a running (non-zombie) process. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const r = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  const stat = r.stdout.trim();
  return stat !== '' && !stat.startsWith('Z');
}

/** Save the terminal mode of stdin (when a TTY) and restore it on every exit path. */
export function guardTerminal(): () => void {
  if (!process.stdin.isTTY) return () => {};
  const saved = spawnSync('stty', ['-g'], { stdio: ['inherit', 'pipe', 'ignore'], encoding: 'utf8' }).stdout.trim();
  const restore = () => {
    spawnSync('stty', saved ? [saved] : ['sane'], { stdio: ['inherit', 'ignore', 'ignore'] });
  };
  const remove = onExitRestore(restore);
  return () => {
    remove();
    restore();
  };
}
