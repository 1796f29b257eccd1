// QEMU's command line, as a pure function of what the run needs.
import type { Accel } from './accel.js';

export interface QemuOptions {
  accel: Accel;
  /** The -cpu value (default: host under KVM, max under TCG). */
  cpu?: string;
  smp: number;
  /** Guest RAM in bytes. */
  memoryBytes: number;
  iso: string;
  /** Per-run kernel arguments (ktest, crash=pf, ...) passed through fw_cfg. */
  cmdlineExtra?: string;
  /** A per-run cpio archive (--add) passed through fw_cfg, unpacked by the kernel over the root. */
  initrdOverlay?: string;
  /** Show a window instead of -display none. */
  display?: boolean;
  /** Serial backend: 'stdio' (a pty held by the harness) or 'mon:stdio' (interactive, Ctrl-A X quits). */
  serial?: string;
  /**
   * QEMU's own log of a stdio serial (the chardev's logfile): everything QEMU
   * wrote to the pty, even what the harness had not read when QEMU exited.
   */
  serialLog?: string;
  /** Path of the QMP unix socket. */
  qmpSocket?: string;
  /** Start halted with a gdb stub on :1234 (-s -S). */
  gdb?: boolean;
  /** The -M value (default q35), e.g. 'pc,acpi=off'; a -M in extraArgs is folded into it. */
  machine?: string;
  extraArgs?: readonly string[];
}

export const DEFAULT_MACHINE = 'q35';

const MACHINE_FLAGS = new Set(['-M', '-machine', '--machine']);

/** True when a -M value names a machine type (`pc,acpi=off`, `type=pc`) rather than only setting properties (`hpet=off`). */
function namesType(value: string): boolean {
  const first = value.split(',')[0] ?? '';
  return !first.includes('=') || first.startsWith('type=');
}

/**
 * The one -M value for a run and the extra arguments without their -M:
 * an extra -M naming a machine type replaces the default, one that only
 * sets properties is appended to it (as QEMU itself would merge them).
 */
export function resolveMachine(machine: string | undefined, extraArgs: readonly string[] = []): { machine: string; extraArgs: string[] } {
  let resolved = machine ?? DEFAULT_MACHINE;
  const rest: string[] = [];
  for (let i = 0; i < extraArgs.length; i++) {
    const arg = extraArgs[i]!;
    const value = MACHINE_FLAGS.has(arg) ? extraArgs[i + 1] : undefined;
    if (value === undefined) {
      rest.push(arg);
      continue;
    }
    resolved = namesType(value) ? value : `${resolved},${value}`;
    i++;
  }
  return { machine: resolved, extraArgs: rest };
}

/** The fw_cfg file the kernel reads its per-run arguments from (DESIGN.md). */
export const FW_CFG_CMDLINE = 'opt/oskit/cmdline';

/** The fw_cfg file holding the per-run archive of --add files (DESIGN.md). */
export const FW_CFG_INITRD = 'opt/oskit/initrd';

/** QEMU option values use ',' as a separator; a literal comma is written ',,'. */
export function escapeOptionValue(value: string): string {
  return value.replaceAll(',', ',,');
}

/** -m takes MiB with an M suffix. */
export function memoryArg(bytes: number): string {
  return `${Math.floor(bytes / (1024 * 1024))}M`;
}

/**
 * The serial port's arguments. `stdio` and `mon:stdio` are spelled out as
 * the chardev QEMU would make of them, with `signal=off`: QEMU otherwise
 * leaves ISIG on its terminal (the pty), and a ^C typed for the guest
 * (a person's, or a test's) would kill QEMU instead of reaching the guest's
 * line discipline. With a log, the chardev also keeps QEMU's own copy.
 */
export function serialArgs(serial: string, log?: string): string[] {
  if (serial !== 'stdio' && serial !== 'mon:stdio') return ['-serial', serial];
  const mux = serial === 'mon:stdio';
  const logging = log ? `,logfile=${escapeOptionValue(log)},logappend=off` : '';
  const chardev = `stdio,id=serial0${mux ? ',mux=on' : ''},signal=off${logging}`;
  return ['-chardev', chardev, '-serial', 'chardev:serial0', ...(mux ? ['-mon', 'chardev=serial0,mode=readline'] : [])];
}

export function qemuArgs(o: QemuOptions): string[] {
  const { machine, extraArgs } = resolveMachine(o.machine, o.extraArgs);
  const args = [
    '-M', machine,
    '-cpu', o.cpu ?? (o.accel === 'kvm' ? 'host' : 'max'),
    '-accel', o.accel,
    '-smp', String(o.smp),
    '-m', memoryArg(o.memoryBytes),
    '-cdrom', o.iso,
    '-boot', 'd',
    '-no-reboot',
    // isa-debug-exit: a guest write of v to port 0xf4 ends QEMU with status (v << 1) | 1.
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
    ...serialArgs(o.serial ?? 'stdio', o.serialLog),
    '-monitor', 'none',
  ];
  if (o.qmpSocket) args.push('-qmp', `unix:${escapeOptionValue(o.qmpSocket)},server=on,wait=off`);
  if (!o.display) args.push('-display', 'none');
  const extra = o.cmdlineExtra?.trim();
  if (extra) args.push('-fw_cfg', `name=${FW_CFG_CMDLINE},string=${escapeOptionValue(extra)}`);
  if (o.initrdOverlay) args.push('-fw_cfg', `name=${FW_CFG_INITRD},file=${escapeOptionValue(o.initrdOverlay)}`);
  if (o.gdb) args.push('-s', '-S');
  args.push(...extraArgs);
  return args;
}

/** A command line a person can paste into a shell. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_./:=,@%+-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
}

export const QEMU_BINARY = 'qemu-system-x86_64';
