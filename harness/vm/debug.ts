// `oskit debug`: QEMU halted at the first instruction with a gdb stub on
// :1234 (-s -S), then gdb in the foreground; QEMU is killed when gdb exits.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { findExecutable } from '../doctor/tools.js';
import { notice } from '../log.js';
import { rel, type Project } from '../project.js';
import { Qmp } from './qmp.js';
import { QEMU_BINARY, qemuArgs, shellQuote } from './qemu.js';
import { killGroup, onExitRestore, register, unregister } from './registry.js';
import { prepareSession, sessionQemuOptions, socketDir, timestamp, type BootOptions } from './session.js';
import { OskitError } from '../errors.js';

export interface DebugOptions extends BootOptions {
  display?: boolean;
  cmdlineExtra?: string;
  extraArgs?: readonly string[];
}

/** The gdb command line oskit runs (printed when gdb is missing). */
export function gdbCommand(project: Project): string[] {
  return ['gdb', rel(project, project.kernelElf), '-ex', 'target remote :1234'];
}

export async function runDebug(project: Project, options: DebugOptions = {}): Promise<number> {
  const session = await prepareSession(project, options);
  const dir = socketDir();
  const qmpSocket = path.join(dir, 'qmp.sock');
  const forgetDir = onExitRestore(() => rmSync(dir, { recursive: true, force: true }));
  const serialLog = path.join(project.logsDir, `debug-${timestamp()}.log`);
  (await import('node:fs')).mkdirSync(project.logsDir, { recursive: true });
  const args = qemuArgs(sessionQemuOptions(session, {
    serial: `file:${rel(project, serialLog)}`,
    qmpSocket,
    gdb: true,
    ...(options.display ? { display: true } : {}),
    ...(options.cmdlineExtra ? { cmdlineExtra: options.cmdlineExtra } : {}),
    ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
  }));
  // Its own process group: Ctrl-C in gdb interrupts the guest, not QEMU.
  const qemu = spawn(QEMU_BINARY, args, { cwd: project.root, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  const pid = qemu.pid!;
  register({ pid, kill: () => killGroup(pid) });
  let alive = true;
  const qemuExit = new Promise<number | null>((resolve) => qemu.once('exit', (code) => {
    alive = false;
    resolve(code);
  }));
  try {
    // QMP answers only once QEMU's main loop runs, after the gdb stub listens.
    const qmp = await Qmp.connect(qmpSocket, 15_000, () => alive);
    qmp.close();
    notice(`QEMU halted with a gdb stub on :1234; serial output goes to ${rel(project, serialLog)}`);
    const gdbArgs = gdbCommand(project);
    if (!findExecutable('gdb')) {
      notice(`gdb not found (install the Debian package gdb); connect with: ${shellQuote(gdbArgs)}`);
      notice('QEMU keeps running until it exits or you press Ctrl-C');
      const code = await qemuExit;
      return code ?? 1;
    }
    // gdb owns the terminal; oskit must survive the Ctrl-C that gdb uses to stop the guest.
    const ignore = () => {};
    process.on('SIGINT', ignore);
    try {
      const gdb = spawn(gdbArgs[0]!, gdbArgs.slice(1), { cwd: project.root, stdio: 'inherit' });
      const code = await new Promise<number>((resolve, reject) => {
        gdb.once('error', reject);
        gdb.once('exit', (c) => resolve(c ?? 1));
      });
      return code;
    } finally {
      process.removeListener('SIGINT', ignore);
    }
  } catch (e) {
    if (e instanceof OskitError) throw e;
    throw new OskitError(`oskit debug failed: ${(e as Error).message}`);
  } finally {
    killGroup(pid);
    await qemuExit;
    unregister(pid);
    forgetDir();
    rmSync(dir, { recursive: true, force: true });
  }
}
