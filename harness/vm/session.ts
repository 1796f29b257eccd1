// What every boot shares: the built ISO, the configuration with overrides,
// the accelerator decision, and the header naming what runs.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepare, type PrepareOptions } from '../build/pipeline.js';
import type { Config } from '../config/schema.js';
import { formatSize } from '../config/schema.js';
import { NEEDS, requireTools } from '../doctor/tools.js';
import { header, notice } from '../log.js';
import type { Project } from '../project.js';
import { parseAccelRequest, resolveAccel, type Accel, type AccelRequest } from './accel.js';
import { Console } from './console.js';
import { qemuArgs, type QemuOptions } from './qemu.js';

export interface BootOptions extends PrepareOptions {
  accel?: AccelRequest | string;
  /** Do not print the header and notices (API and test use). */
  silent?: boolean;
}

export interface Session {
  project: Project;
  config: Config;
  accel: Accel;
  /** The -cpu value when the accelerator's default does not run (see accel.ts). */
  cpu?: string;
  iso: string;
  /** The KVM fallback notice, when there was one. */
  notice?: string;
}

/** One line naming the accelerator and the machine, printed before every boot. */
export function sessionHeader(s: Pick<Session, 'accel' | 'config'>): string {
  return `accel ${s.accel}, ${s.config.cpus} CPU${s.config.cpus === 1 ? '' : 's'}, ${formatSize(s.config.memoryBytes)} RAM`;
}

/** Choose the accelerator, build what is stale, print the header. */
export async function prepareSession(project: Project, options: BootOptions = {}): Promise<Session> {
  const request = parseAccelRequest(options.accel);
  requireTools(NEEDS.boot);
  const smp = options.smp ?? process.env.OSKIT_SMP;
  // The accelerator first: an unusable --accel kvm fails before any build.
  const choice = await resolveAccel(project, request);
  const prepared = await prepare(project, { ...options, ...(smp !== undefined ? { smp } : {}), iso: true, quiet: options.quiet ?? options.silent });
  const session: Session = { project, config: prepared.config, accel: choice.accel, iso: prepared.iso! };
  if (choice.cpu) session.cpu = choice.cpu;
  if (choice.notice) session.notice = choice.notice;
  if (!options.silent) {
    if (choice.notice) notice(choice.notice);
    header(sessionHeader(session));
  }
  return session;
}

/** QEMU options for a session (the caller adds what is specific to its run). */
export function sessionQemuOptions(s: Session, extra: Partial<QemuOptions> = {}): QemuOptions {
  return {
    accel: s.accel,
    ...(s.cpu ? { cpu: s.cpu } : {}),
    smp: s.config.cpus,
    memoryBytes: s.config.memoryBytes,
    iso: path.relative(s.project.root, s.iso) || s.iso,
    ...extra,
  };
}

/** A private directory for QMP sockets (unix socket paths must stay short). */
export function socketDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'oskit-'));
}

export interface StartOptions {
  cmdlineExtra?: string;
  /** The per-run archive of --add files (fw_cfg opt/oskit/initrd). */
  initrdOverlay?: string;
  /** The -M value instead of q35 (e.g. 'pc,acpi=off'). */
  machine?: string;
  extraArgs?: readonly string[];
  /** Log file name under build/logs/. */
  logName: string;
  /** Serial backend, QMP socket, display (an interactive console sets these). */
  qemu?: Pick<QemuOptions, 'serial' | 'qmpSocket' | 'display'>;
  /** The pty's size (an interactive console passes the terminal's). */
  size?: { cols: number; rows: number };
}

/** Boot the session's ISO with the serial console on a pty held by the harness. */
export function startConsole(s: Session, options: StartOptions): { console: Console; args: string[] } {
  // QEMU's own log of the serial, for what the pty loses at exit (console.ts).
  const serialLog = path.join(s.project.logsDir, `.${options.logName}.qemu`);
  const args = qemuArgs(sessionQemuOptions(s, {
    serialLog,
    ...(options.qemu ?? {}),
    ...(options.cmdlineExtra ? { cmdlineExtra: options.cmdlineExtra } : {}),
    ...(options.initrdOverlay ? { initrdOverlay: options.initrdOverlay } : {}),
    ...(options.machine ? { machine: options.machine } : {}),
    ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
  }));
  mkdirSync(s.project.logsDir, { recursive: true });
  const console = Console.start({ args, logFile: path.join(s.project.logsDir, options.logName), serialLog, cwd: s.project.root, ...(options.size ?? {}) });
  return { console, args };
}

/** A file-name-safe timestamp such as 20250101-120000. */
export function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Point build/logs/<link> (last-test.log, last-run.log) at the newest log of its kind. */
export function linkLastLog(project: Project, logName: string, link: string): void {
  mkdirSync(project.logsDir, { recursive: true });
  const last = path.join(project.logsDir, link);
  rmSync(last, { force: true });
  try {
    symlinkSync(logName, last);
  } catch {
    // a filesystem without symlinks: the timestamped log is still there
  }
}
