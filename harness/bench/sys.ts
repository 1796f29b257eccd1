// `oskit bench sys [--against linux]`: kernel-src/user/bin/bench-sys as PID 1
// of oskit (init=/bin/bench-sys) and, with --against linux, the very same
// file as /init of a Linux guest in the same QEMU (accelerator, CPU model,
// -smp, -m), boots alternating. Every boot is bounded (the run bound, console
// silence, a grace period after `bench sys: done`); QEMU is always killed.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatSize } from '../config/schema.js';
import { OskitError } from '../errors.js';
import { packageVersion, rel, type Project } from '../project.js';
import { Console, TAIL_LINES, type ExitInfo } from '../vm/console.js';
import { EXIT_SUCCESS } from '../vm/exit.js';
import { execCmdline } from '../vm/init-cmdline.js';
import { prepareSession, sessionQemuOptions, startConsole, timestamp, type BootOptions, type Session } from '../vm/session.js';
import { Watchdog } from '../vm/watchdog.js';
import { findLinux, linuxInitramfs, linuxQemuArgs, type LinuxKernel } from './linux.js';
import { checkSysRun, DONE_LINE, parseSysBench, START_LINE } from './sys-parse.js';
import type { SysReport, SysRun } from './sys-report.js';

export const BENCH_PROGRAM = '/bin/bench-sys';

export interface SysBenchOptions extends BootOptions {
  /** Boots of each kernel (default 3). */
  runs?: number;
  /** bench-sys -n: samples per metric per boot (default 100). */
  iters?: number;
  against?: 'linux';
  /** --linux PATH */
  linux?: string;
  /** Bound for each boot instead of the configured testTimeoutMs. */
  timeoutMs?: number;
  onProgress?: (message: string) => void;
}

interface Boot {
  run: SysRun;
  logFile: string;
}

function failure(project: Project, what: string, message: string, vm: Console): OskitError {
  const lines = vm.output.replace(/\n$/, '').split('\n').slice(-TAIL_LINES);
  return new OskitError(`bench sys (${what}): ${message}`, `the whole serial log is ${rel(project, vm.logFile)}`, {
    details: `--- last ${lines.length} console lines ---\n${lines.join('\n')}\n--- QEMU command ---\n${vm.command}\n`,
  });
}

/** Wait for one boot of bench-sys to end, and check what it printed. */
async function finishBoot(project: Project, session: Session, what: string, vm: Console, okStatus: number, iters: number, timeoutMs: number | undefined): Promise<Boot> {
  const { config } = session;
  let bootMs: number | undefined;
  const watchdog = new Watchdog(vm, {
    timeoutMs: timeoutMs ?? config.testTimeoutMs,
    timeoutName: timeoutMs !== undefined ? 'its bound' : 'testTimeoutMs',
    silenceMs: config.bootTimeoutMs,
    graceMs: 10_000,
    what: 'benchmark',
  });
  vm.onLine((line) => {
    if (bootMs === undefined && START_LINE.test(line)) bootMs = Date.now() - vm.startedAt;
    if (DONE_LINE.test(line)) watchdog.armGrace('bench-sys printed "bench sys: done"');
  });
  let exit: ExitInfo;
  try {
    exit = await vm.waitExit();
  } finally {
    watchdog.stop();
    await vm.kill();
  }
  if (watchdog.killedFor) throw failure(project, what, `stopped QEMU: ${watchdog.killedFor}`, vm);
  const parsed = parseSysBench(vm.output);
  const problems = checkSysRun(parsed, iters);
  if (problems.length) throw failure(project, what, problems.join('; '), vm);
  if (exit.status !== okStatus) throw failure(project, what, `bench-sys finished but QEMU exited with ${exit.status ?? `signal ${exit.signal}`} (want ${okStatus})`, vm);
  return { run: { bootMs: bootMs!, samples: parsed.samples }, logFile: vm.logFile };
}

export async function benchSys(project: Project, options: SysBenchOptions = {}): Promise<SysReport> {
  const runs = options.runs ?? 3;
  const iters = options.iters ?? 100;
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new OskitError(`--runs must be an integer from 1 to 100 (got ${runs})`);
  if (!Number.isInteger(iters) || iters < 1 || iters > 100000) throw new OskitError(`--iters must be an integer from 1 to 100000 (got ${iters})`);
  const progress = options.onProgress ?? (() => {});
  // A missing or wrong Linux kernel is refused before anything builds.
  const linux: LinuxKernel | undefined = options.against === 'linux'
    ? await findLinux(project, { ...(options.linux ? { linux: options.linux } : {}), onProgress: progress })
    : undefined;
  const session = await prepareSession(project, options);
  const { config } = session;
  let initramfs: string | undefined;
  if (linux) {
    // The same files oskit's root has, byte for byte.
    const rootfs = path.join(project.buildDir, 'user', 'rootfs');
    initramfs = path.join(project.buildDir, `bench-sys-linux-${process.pid}.cpio`);
    writeFileSync(initramfs, linuxInitramfs(readFileSync(path.join(rootfs, 'bin', 'bench-sys')), readFileSync(path.join(rootfs, 'bin', 'true'))));
  }
  const qemu = sessionQemuOptions(session);
  const cpu = qemu.cpu ?? (qemu.accel === 'kvm' ? 'host' : 'max');
  const stamp = `${timestamp()}-${process.pid}`;
  const oskitRuns: SysRun[] = [];
  const linuxRuns: SysRun[] = [];
  const logs: string[] = [];
  try {
    for (let i = 1; i <= runs; i++) {
      const { console: vm } = startConsole(session, {
        cmdlineExtra: execCmdline(BENCH_PROGRAM, ['-n', String(iters)]),
        logName: `bench-sys-${stamp}-oskit-${i}.log`,
      });
      const o = await finishBoot(project, session, `oskit, boot ${i}`, vm, EXIT_SUCCESS, iters, options.timeoutMs);
      oskitRuns.push(o.run);
      logs.push(rel(project, o.logFile));
      progress(`boot ${i}/${runs}: oskit to init ${(o.run.bootMs / 1000).toFixed(2)} s`);
      if (linux && initramfs) {
        const logName = `bench-sys-${stamp}-linux-${i}.log`;
        const serialLog = path.join(project.logsDir, `.${logName}.qemu`);
        const args = linuxQemuArgs({ accel: qemu.accel, cpu, smp: qemu.smp, memoryBytes: qemu.memoryBytes, kernel: linux.path, initramfs: rel(project, initramfs), initArgs: ['-n', String(iters)], serialLog });
        const lvm = Console.start({ args, logFile: path.join(project.logsDir, logName), serialLog, cwd: project.root });
        // Linux powers off through ACPI: QEMU exits 0.
        const l = await finishBoot(project, session, `Linux, boot ${i}`, lvm, 0, iters, options.timeoutMs);
        linuxRuns.push(l.run);
        logs.push(rel(project, l.logFile));
        progress(`boot ${i}/${runs}: Linux to init ${(l.run.bootMs / 1000).toFixed(2)} s`);
      }
    }
  } finally {
    if (initramfs) rmSync(initramfs, { force: true });
  }
  return {
    accel: session.accel,
    cpu,
    guestCpus: config.cpus,
    memory: formatSize(config.memoryBytes),
    hostCores: os.availableParallelism(),
    iters,
    oskit: { kernel: rel(project, project.kernelElf), version: packageVersion(), runs: oskitRuns },
    ...(linux ? { linux: { kernel: linux.path, version: linux.version, runs: linuxRuns }, linuxSource: linux.source } : {}),
    logs,
  };
}
