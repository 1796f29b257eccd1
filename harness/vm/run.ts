// `oskit run`: boot the ISO with the serial console on the user's terminal
// (-serial mon:stdio: Ctrl-A X quits, Ctrl-A C toggles the QEMU monitor) and
// exit with the guest's decoded status. The terminal is restored on every path.
// With --trace-syscalls QEMU's output goes through a LineRewriter that
// decodes trace lines in place.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { resolveAdditions } from '../image/initrd.js';
import { notice } from '../log.js';
import type { Project } from '../project.js';
import { decodeTraceLine, mayBeTraceLine } from '../syscall/decode.js';
import { writeRunArchive } from './additions.js';
import { decodeExit, type DecodedExit } from './exit.js';
import { Qmp } from './qmp.js';
import { QEMU_BINARY, qemuArgs } from './qemu.js';
import { LineRewriter } from './line-rewriter.js';
import { guardTerminal, onExitRestore, register, unregister } from './registry.js';
import { prepareSession, sessionQemuOptions, socketDir, type BootOptions } from './session.js';

export interface RunOptions extends BootOptions {
  display?: boolean;
  /** Per-run kernel arguments through fw_cfg (e.g. crash=pf). */
  cmdlineExtra?: string;
  extraArgs?: readonly string[];
  /** --add HOST_PATH[:GUEST_PATH] */
  add?: readonly string[];
  /** trace_syscalls on the kernel command line; trace lines decoded in place. */
  traceSyscalls?: boolean;
}

export async function runInteractive(project: Project, options: RunOptions = {}): Promise<DecodedExit> {
  const additions = resolveAdditions(options.add ?? []);
  const session = await prepareSession(project, options);
  const archive = writeRunArchive(project, additions);
  const cmdlineExtra = [options.cmdlineExtra ?? '', options.traceSyscalls ? 'trace_syscalls' : ''].join(' ').trim();
  const dir = socketDir();
  const qmpSocket = path.join(dir, 'qmp.sock');
  const forgetDir = onExitRestore(() => rmSync(dir, { recursive: true, force: true }));
  const args = qemuArgs(sessionQemuOptions(session, {
    serial: 'mon:stdio',
    qmpSocket,
    ...(options.display ? { display: true } : {}),
    ...(cmdlineExtra ? { cmdlineExtra } : {}),
    ...(archive.file ? { initrdOverlay: archive.file } : {}),
    ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
  }));
  if (process.stdin.isTTY) notice('serial console on this terminal; Ctrl-A X quits QEMU, Ctrl-A C toggles its monitor');
  const restoreTerminal = guardTerminal();
  // Same process group as oskit: QEMU must be in the terminal's foreground group to read it.
  const child = spawn(QEMU_BINARY, args, { stdio: ['inherit', options.traceSyscalls ? 'pipe' : 'inherit', 'inherit'], cwd: project.root });
  if (options.traceSyscalls && child.stdout) {
    const rewriter = new LineRewriter((text) => process.stdout.write(text), { rewrite: decodeTraceLine, mayRewrite: mayBeTraceLine });
    child.stdout.on('data', (chunk: Buffer) => rewriter.push(chunk));
    child.stdout.on('end', () => rewriter.end());
  }
  const pid = child.pid;
  if (pid !== undefined) register({ pid, kill: () => process.kill(pid, 'SIGKILL') });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let qmp: Qmp | undefined;
  let alive = true;
  void exited.then(() => {
    alive = false;
  }, () => {
    alive = false;
  });
  try {
    qmp = await Qmp.connect(qmpSocket, 10_000, () => alive);
  } catch {
    // Without QMP the exit status alone is decoded (a triple fault then reads as a quit).
  }
  let result: { code: number | null; signal: NodeJS.Signals | null };
  try {
    result = await exited;
  } finally {
    if (pid !== undefined) unregister(pid);
    restoreTerminal();
    qmp?.close();
    forgetDir();
    rmSync(dir, { recursive: true, force: true });
    archive.remove();
  }
  const signal = result.signal ? (await import('node:os')).constants.signals[result.signal] : null;
  const decoded = decodeExit({ status: result.code, signal: signal ?? null }, qmp?.shutdownReason(), true);
  notice(decoded.message);
  return decoded;
}
