// QEMU's command line, as a pure function of what the run needs.
import type { Accel } from './accel.js';

export interface QemuOptions {
  accel: Accel;
  smp: number;
  /** Guest RAM in bytes. */
  memoryBytes: number;
  iso: string;
  /** Per-run kernel arguments (ktest, crash=pf, ...) passed through fw_cfg. */
  cmdlineExtra?: string;
  /** Show a window instead of -display none. */
  display?: boolean;
  /** Serial backend: 'stdio' (a pty held by the harness) or 'mon:stdio' (interactive, Ctrl-A X quits). */
  serial?: string;
  /** Path of the QMP unix socket. */
  qmpSocket?: string;
  /** Start halted with a gdb stub on :1234 (-s -S). */
  gdb?: boolean;
  extraArgs?: readonly string[];
}

/** The fw_cfg file the kernel reads its per-run arguments from (DESIGN.md). */
export const FW_CFG_CMDLINE = 'opt/oskit/cmdline';

/** QEMU option values use ',' as a separator; a literal comma is written ',,'. */
export function escapeOptionValue(value: string): string {
  return value.replaceAll(',', ',,');
}

/** -m takes MiB with an M suffix. */
export function memoryArg(bytes: number): string {
  return `${Math.floor(bytes / (1024 * 1024))}M`;
}

export function qemuArgs(o: QemuOptions): string[] {
  const args = [
    '-M', 'q35',
    '-cpu', o.accel === 'kvm' ? 'host' : 'max',
    '-accel', o.accel,
    '-smp', String(o.smp),
    '-m', memoryArg(o.memoryBytes),
    '-cdrom', o.iso,
    '-boot', 'd',
    '-no-reboot',
    // isa-debug-exit: a guest write of v to port 0xf4 ends QEMU with status (v << 1) | 1.
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
    '-serial', o.serial ?? 'stdio',
    '-monitor', 'none',
  ];
  if (o.qmpSocket) args.push('-qmp', `unix:${escapeOptionValue(o.qmpSocket)},server=on,wait=off`);
  if (!o.display) args.push('-display', 'none');
  const extra = o.cmdlineExtra?.trim();
  if (extra) args.push('-fw_cfg', `name=${FW_CFG_CMDLINE},string=${escapeOptionValue(extra)}`);
  if (o.gdb) args.push('-s', '-S');
  if (o.extraArgs) args.push(...o.extraArgs);
  return args;
}

/** A command line a person can paste into a shell. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_./:=,@%+-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
}

export const QEMU_BINARY = 'qemu-system-x86_64';
