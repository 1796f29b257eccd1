// Choosing the accelerator. /dev/kvm can exist while KVM guests never run
// (no nested virtualisation), so `auto` proves KVM with a probe guest and
// falls back to TCG with one notice; `kvm` fails fast when the probe fails or
// runs far slower than TCG.
import { constants, accessSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { OskitError } from '../errors.js';
import type { Project } from '../project.js';
import { findExecutable } from '../doctor/tools.js';
import { qemuErrorLine } from './exit.js';
import { QEMU_BINARY } from './qemu.js';
import { register, unregister, killGroup } from './registry.js';

export type Accel = 'kvm' | 'tcg';
export type AccelRequest = 'auto' | Accel;
export type KvmDevice = 'ok' | 'missing' | 'no-access';

export interface ProbeResult {
  works: boolean;
  /**
   * Why KVM is unusable, in QEMU's own words where it said something, per
   * -cpu model tried: '-cpu host: failed to set MSR 0x10a to 0x69; -cpu
   * host,-arch-capabilities: probe guest did not run within 4 s'.
   */
  reason: string;
  /** The -cpu value KVM ran the probe with (host, or host,-arch-capabilities). */
  cpu?: string;
  /** Wall time of the KVM probe boot, spawn to exit. */
  kvmMs?: number;
  /** Wall time of the same probe under TCG, for comparison. */
  tcgMs?: number;
}

export type AccelDecision =
  | { kind: 'use'; accel: Accel; cpu?: string; notice?: string }
  | { kind: 'probe' }
  | { kind: 'error'; message: string; hint: string };

export const PROBE_TIMEOUT_MS = 4000;
/** The CPU model for KVM, and the one tried when QEMU cannot set up that one (see probeKvm). */
export const KVM_CPU = 'host';
export const KVM_FALLBACK_CPU = 'host,-arch-capabilities';
export const CACHE_TTL_MS = 10 * 60 * 1000;
/** The probe guest writes 0x21 to isa-debug-exit: QEMU exits (0x21 << 1) | 1. */
export const PROBE_EXIT_STATUS = 0x21 * 2 + 1;
/**
 * KVM that runs the probe more than this much slower than TCG is treated as
 * unusable by `auto`: on hosts without hardware nesting, KVM can run guests
 * but with every exit and page fault emulated, slower than TCG by far
 * (measured here: 2.5 s against 0.1 s for the probe, and a kernel test run
 * that TCG finishes in 3 s still unfinished after 90 s).
 */
export const SLOW_KVM_MARGIN_MS = 1000;

/**
 * The decision, as a pure function of the request, the state of /dev/kvm and
 * (once known) the probe result. Returns 'probe' when a probe is needed.
 */
export function decideAccel(request: AccelRequest, device: KvmDevice, probe?: ProbeResult): AccelDecision {
  if (request === 'tcg') return { kind: 'use', accel: 'tcg' };
  if (device !== 'ok') {
    const why = device === 'missing' ? '/dev/kvm does not exist' : '/dev/kvm is not readable and writable by this user';
    if (request === 'kvm') return { kind: 'error', message: `--accel kvm: ${why}`, hint: 'use --accel tcg (or auto)' };
    return { kind: 'use', accel: 'tcg', notice: `KVM unusable here (${why}); using TCG` };
  }
  if (!probe) return { kind: 'probe' };
  const slow = probe.works && probe.kvmMs !== undefined && probe.tcgMs !== undefined && probe.kvmMs > probe.tcgMs + SLOW_KVM_MARGIN_MS;
  if (slow) {
    const secs = (ms: number) => (ms / 1000).toFixed(1);
    const why = `it runs the probe guest slower than TCG: ${secs(probe.kvmMs!)} s against ${secs(probe.tcgMs!)} s`;
    if (request === 'auto') return { kind: 'use', accel: 'tcg', notice: `KVM unusable here (${why}); using TCG` };
    // Without hardware nesting the kernel's own tests do not finish under
    // such a KVM: refuse clearly rather than hang the user's run.
    return {
      kind: 'error',
      message: `--accel kvm: KVM is not usable here (${why}; no hardware virtualisation reaches this machine)`,
      hint: 'use --accel tcg (or auto)',
    };
  }
  if (probe.works) {
    if (!probe.cpu || probe.cpu === KVM_CPU) return { kind: 'use', accel: 'kvm' };
    // Only the fallback model ran: say why, once, and use it.
    return { kind: 'use', accel: 'kvm', cpu: probe.cpu, notice: `KVM with -cpu ${probe.cpu} (${probe.reason})` };
  }
  if (request === 'kvm') {
    return { kind: 'error', message: `--accel kvm: KVM does not run guests here (${probe.reason})`, hint: 'use --accel tcg (or auto)' };
  }
  return { kind: 'use', accel: 'tcg', notice: `KVM unusable here (${probe.reason}); using TCG` };
}

/** State of /dev/kvm (OSKIT_KVM_DEVICE names another node, for testing the fallback). */
export function kvmDeviceState(device = process.env.OSKIT_KVM_DEVICE ?? '/dev/kvm'): KvmDevice {
  if (!existsSync(device)) return 'missing';
  try {
    accessSync(device, constants.R_OK | constants.W_OK);
    return 'ok';
  } catch {
    return 'no-access';
  }
}

/**
 * A 512-byte boot sector: mov dx, 0xf4; mov al, 0x21; out dx, al; hlt; jmp $-1
 * (the jump loops on the hlt), zero padding and the 0x55 0xAA signature.
 */
export function probeBootSector(): Buffer {
  const sector = Buffer.alloc(512);
  Buffer.from([0xba, 0xf4, 0x00, 0xb0, 0x21, 0xee, 0xf4, 0xeb, 0xfd]).copy(sector, 0);
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}

interface CacheEntry extends ProbeResult {
  at: number;
  /** What the verdict was measured with (the QEMU binary, the KVM device): another setup probes again. */
  setup?: string;
}

/** The QEMU binary found on PATH and the KVM device node the verdict depends on. */
export function probeSetup(): string {
  return `${findExecutable(QEMU_BINARY) ?? QEMU_BINARY} ${process.env.OSKIT_KVM_DEVICE ?? '/dev/kvm'}`;
}

export function readProbeCache(project: Project, now = Date.now(), setup = probeSetup()): ProbeResult | undefined {
  try {
    const entry = JSON.parse(readFileSync(path.join(project.buildDir, 'accel.json'), 'utf8')) as CacheEntry;
    if (typeof entry.at !== 'number' || typeof entry.works !== 'boolean' || typeof entry.reason !== 'string') return undefined;
    if (now - entry.at < 0 || now - entry.at > CACHE_TTL_MS || entry.setup !== setup) return undefined;
    const out: ProbeResult = { works: entry.works, reason: entry.reason };
    if (typeof entry.cpu === 'string') out.cpu = entry.cpu;
    if (typeof entry.kvmMs === 'number') out.kvmMs = entry.kvmMs;
    if (typeof entry.tcgMs === 'number') out.tcgMs = entry.tcgMs;
    return out;
  } catch {
    return undefined;
  }
}

function writeProbeCache(project: Project, result: ProbeResult): void {
  mkdirSync(project.buildDir, { recursive: true });
  const entry: CacheEntry = { ...result, at: Date.now(), setup: probeSetup() };
  writeFileSync(path.join(project.buildDir, 'accel.json'), JSON.stringify(entry, null, 2) + '\n');
}

export interface ProbeRun {
  ms: number;
  timedOut: boolean;
  exitCode?: number;
  /** The signal that ended QEMU (SIGABRT after a failed assertion). */
  signal?: string;
  /** What QEMU printed (stdout and stderr). */
  output: string;
}

/** Boot the probe sector with one accelerator and CPU model, bounded by PROBE_TIMEOUT_MS. */
async function runProbe(project: Project, accel: Accel, cpu: string): Promise<ProbeRun> {
  mkdirSync(project.buildDir, { recursive: true });
  const image = path.join(project.buildDir, 'accel-probe.img');
  writeFileSync(image, probeBootSector());
  const started = Date.now();
  const proc = execa(QEMU_BINARY, [
    '-accel', accel, '-cpu', cpu, '-M', 'pc', '-m', '16M', '-display', 'none', '-nodefaults', '-no-reboot',
    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
    '-drive', `file=${image},format=raw,if=floppy`,
  ], { reject: false, timeout: PROBE_TIMEOUT_MS, killSignal: 'SIGKILL', stdin: 'ignore', all: true, detached: true });
  const pid = proc.pid;
  if (pid !== undefined) register({ pid, kill: () => killGroup(pid) });
  const result = await proc;
  const ms = Date.now() - started;
  if (pid !== undefined) {
    killGroup(pid);
    unregister(pid);
  }
  const run: ProbeRun = { ms, timedOut: result.timedOut, output: String(result.all ?? '') };
  if (result.exitCode !== undefined) run.exitCode = result.exitCode;
  if (result.signal) run.signal = result.signal;
  return run;
}

/** Why a probe run failed: QEMU's own message when it gave one, else how it ended. */
export function probeFailure(run: ProbeRun): string {
  if (run.timedOut) return `probe guest did not run within ${PROBE_TIMEOUT_MS / 1000} s`;
  const said = qemuErrorLine(run.output);
  if (said) return said;
  if (run.signal) return `QEMU was killed by ${run.signal}`;
  return `QEMU exited with status ${run.exitCode ?? 'unknown'}`;
}

/**
 * True when QEMU failed to set up the host CPU model itself (it could not
 * pass a CPU feature's MSR through, as with `failed to set MSR 0x10a`: the
 * arch-capabilities MSR on a host that cannot hand it to guests), so another
 * model may still run.
 */
export function cpuModelFailed(run: ProbeRun): boolean {
  return !run.timedOut && /\bMSR\b|arch-capabilities/i.test(qemuErrorLine(run.output) ?? '');
}

/**
 * Prove KVM runs guests: the probe sector must reach isa-debug-exit under KVM
 * within PROBE_TIMEOUT_MS, with -cpu host or, when QEMU cannot set that model
 * up, -cpu host,-arch-capabilities. The same probe under TCG gives the time to beat.
 */
export async function probeKvm(project: Project): Promise<ProbeResult> {
  const failures: string[] = [];
  let kvm: ProbeRun | undefined;
  let cpu: string | undefined;
  for (const model of [KVM_CPU, KVM_FALLBACK_CPU]) {
    const run = await runProbe(project, 'kvm', model);
    if (run.exitCode === PROBE_EXIT_STATUS) {
      kvm = run;
      cpu = model;
      break;
    }
    failures.push(`-cpu ${model}: ${probeFailure(run)}`);
    if (!cpuModelFailed(run)) break;
  }
  if (!kvm || !cpu) return { works: false, reason: failures.join('; ') };
  const tcg = await runProbe(project, 'tcg', 'max');
  const out: ProbeResult = { works: true, reason: failures.length ? failures.join('; ') : 'probe guest ran', kvmMs: kvm.ms, cpu };
  if (tcg.exitCode === PROBE_EXIT_STATUS) out.tcgMs = tcg.ms;
  return out;
}

export interface AccelChoice {
  accel: Accel;
  /** The -cpu value when it is not the default for the accelerator. */
  cpu?: string;
  notice?: string;
}

/** The probe result from build/accel.json when fresh, else a new probe (then cached). */
export async function cachedProbe(project: Project): Promise<ProbeResult> {
  const cached = readProbeCache(project);
  if (cached) return cached;
  const probe = await probeKvm(project);
  writeProbeCache(project, probe);
  return probe;
}

/** Resolve a request to an accelerator, probing (cached 10 minutes) when needed. */
export async function resolveAccel(project: Project, request: AccelRequest): Promise<AccelChoice> {
  const device = kvmDeviceState();
  let decision = decideAccel(request, device);
  if (decision.kind === 'probe') {
    decision = decideAccel(request, device, await cachedProbe(project));
  }
  if (decision.kind === 'error') throw new OskitError(decision.message, decision.hint);
  if (decision.kind === 'probe') throw new Error('unreachable: probe decided twice');
  return { accel: decision.accel, ...(decision.cpu ? { cpu: decision.cpu } : {}), ...(decision.notice ? { notice: decision.notice } : {}) };
}

export function parseAccelRequest(value: string | undefined): AccelRequest {
  const v = value ?? process.env.OSKIT_ACCEL ?? 'auto';
  if (v === 'auto' || v === 'kvm' || v === 'tcg') return v;
  throw new OskitError(`--accel must be auto, kvm or tcg (got ${JSON.stringify(v)})`);
}
