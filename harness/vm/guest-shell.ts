// A booted system with its shell, for programs rather than people: the
// serial console on a pty the harness holds (type, sendLine, run), QMP for
// the PS/2 keyboard, screendumps and the VGA text, and one close() that
// ends QEMU and removes what the run made. The e2e tests and `oskit soak`
// drive the guest through this.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Project } from '../project.js';
import { resolveRunRootfs, writeRunRootfs, type RunRootfsOptions } from './additions.js';
import { promptPattern, type Console, type ExitInfo } from './console.js';
import { Qmp } from './qmp.js';
import { onExitRestore } from './registry.js';
import { linkLastLog, prepareSession, socketDir, startConsole, timestamp, type BootOptions, type Session } from './session.js';

export interface GuestShellOptions extends BootOptions, RunRootfsOptions {
  /** Extra kernel arguments for this boot. */
  cmdlineExtra?: string;
  /** The serial log's name prefix under build/logs/ (default 'shell'). */
  logPrefix?: string;
  /** The pty's size (the guest learns it through the window-size escape: see windowSizeEscape). */
  size?: { cols: number; rows: number };
}

export interface GuestShell {
  session: Session;
  console: Console;
  qmp: Qmp;
  /** End QEMU (if still running) and clean up; resolves with its exit. */
  close(): Promise<ExitInfo>;
}

/** Boot the system with its shell; the caller types (console.sendLine / run) from the first prompt on. */
export async function bootGuestShell(project: Project, options: GuestShellOptions = {}): Promise<GuestShell> {
  const rootfs = resolveRunRootfs(options);
  const session = await prepareSession(project, options);
  const archive = writeRunRootfs(project, rootfs);
  const dir = socketDir();
  const qmpSocket = path.join(dir, 'qmp.sock');
  const forgetDir = onExitRestore(() => rmSync(dir, { recursive: true, force: true }));
  const logName = `${options.logPrefix ?? 'shell'}-${timestamp()}-${process.pid}.log`;
  const { console: vm } = startConsole(session, {
    qemu: { qmpSocket },
    ...(options.cmdlineExtra ? { cmdlineExtra: options.cmdlineExtra } : {}),
    ...(archive.file ? { initrdOverlay: archive.file } : {}),
    logName,
    ...(options.size ? { size: options.size } : {}),
  });
  linkLastLog(project, logName, `last-${options.logPrefix ?? 'shell'}.log`);
  vm.prompt = promptPattern(session.config.hostname);
  const cleanup = () => {
    forgetDir();
    rmSync(dir, { recursive: true, force: true });
    archive.remove();
  };
  let qmp: Qmp;
  try {
    qmp = await Qmp.connect(qmpSocket, 15_000, () => vm.exited === undefined);
  } catch (e) {
    await vm.kill();
    cleanup();
    throw e;
  }
  return {
    session,
    console: vm,
    qmp,
    close: async () => {
      const exit = await vm.kill();
      qmp.close();
      cleanup();
      return exit;
    },
  };
}
