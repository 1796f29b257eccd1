// `oskit run`: boot the ISO with the serial console on the user's terminal.
// QEMU runs on a pty held by the harness (-serial mon:stdio there: Ctrl-A X
// quits, Ctrl-A C toggles its monitor), so the output passes the console
// rewriter (symbolised backtraces) and the serial log is kept in
// build/logs/run-*.log (last-run.log) as for `oskit test`. With
// --trace-syscalls the same pass decodes the kernel's trace lines in place.
// Exits with the guest's decoded status; the terminal is restored on every
// path. `oskit shell` is the same boot with the words of a login: its own
// log name (shell-*.log) and the keys to know.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { notice } from '../log.js';
import { rel, type Project } from '../project.js';
import { ConsoleRewriter } from '../report/console-rewrite.js';
import { symbolizerFor } from '../report/symbolize.js';
import { formatSize } from '../config/schema.js';
import { decodeTraceLine, mayBeTraceLine } from '../syscall/decode.js';
import { resolveRunRootfs, writeRunRootfs, type RunRootfsOptions } from './additions.js';
import { decodeExit, explainQemuFailure, type DecodedExit } from './exit.js';
import { Qmp } from './qmp.js';
import { onExitRestore } from './registry.js';
import { linkLastLog, prepareSession, socketDir, startConsole, timestamp, type BootOptions } from './session.js';
import { attachTerminal, terminalSize, type TerminalIo } from './terminal.js';

export interface RunOptions extends BootOptions, RunRootfsOptions {
  display?: boolean;
  /** Per-run kernel arguments through fw_cfg (e.g. crash=pf). */
  cmdlineExtra?: string;
  extraArgs?: readonly string[];
  /** --add HOST_PATH[:GUEST_PATH] */
  add?: readonly string[];
  /** trace_syscalls on the kernel command line; trace lines decoded in place. */
  traceSyscalls?: boolean;
  /** The terminal (tests pass their own streams). */
  io?: TerminalIo;
  /** 'run' (default) or 'shell': the log's name and the notice. */
  kind?: 'run' | 'shell';
}

const NOTICES = {
  run: 'serial console on this terminal; Ctrl-A X quits QEMU, Ctrl-A C toggles its monitor',
  shell: 'the guest\'s console on this terminal; exit halts it, Ctrl-A X quits QEMU, Ctrl-A H lists the keys',
};

export interface RunResult extends DecodedExit {
  logFile: string;
}

export async function runInteractive(project: Project, options: RunOptions = {}): Promise<RunResult> {
  const rootfs = resolveRunRootfs(options);
  const session = await prepareSession(project, options);
  const archive = writeRunRootfs(project, rootfs);
  const cmdlineExtra = [options.cmdlineExtra ?? '', options.traceSyscalls ? 'trace_syscalls' : ''].join(' ').trim();
  const io = options.io ?? { input: process.stdin, output: process.stdout };
  const dir = socketDir();
  const qmpSocket = path.join(dir, 'qmp.sock');
  const forgetDir = onExitRestore(() => rmSync(dir, { recursive: true, force: true }));
  const kind = options.kind ?? 'run';
  const logName = `${kind}-${timestamp()}-${process.pid}.log`;
  const size = terminalSize(io.output);
  const { console: vm } = startConsole(session, {
    qemu: { serial: 'mon:stdio', qmpSocket, ...(options.display ? { display: true } : {}) },
    ...(cmdlineExtra ? { cmdlineExtra } : {}),
    ...(archive.file ? { initrdOverlay: archive.file } : {}),
    ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
    logName,
    ...(size ? { size } : {}),
  });
  linkLastLog(project, logName, `last-${kind}.log`);
  if (io.input.isTTY && !options.silent) notice(NOTICES[kind]);
  const detach = attachTerminal(vm, new ConsoleRewriter(symbolizerFor(project), options.traceSyscalls ? { rewrite: decodeTraceLine, mayRewrite: mayBeTraceLine } : undefined), io);
  let qmp: Qmp | undefined;
  let exit;
  try {
    try {
      qmp = await Qmp.connect(qmpSocket, 10_000, () => vm.exited === undefined);
    } catch {
      // Without QMP the exit status alone is decoded (a triple fault then reads as a quit).
    }
    exit = await vm.waitExit();
  } finally {
    detach();
    await vm.kill();
    qmp?.close();
    forgetDir();
    rmSync(dir, { recursive: true, force: true });
    archive.remove();
  }
  const decoded = decodeExit(exit, qmp?.shutdownReason(), true);
  if (!options.silent) {
    notice(explainQemuFailure(decoded, vm.output, formatSize(session.config.memoryBytes)));
    notice(`serial log: ${rel(project, vm.logFile)} (also build/logs/last-${kind}.log)`);
  }
  return { ...decoded, logFile: vm.logFile };
}
