// Validation of the configuration: one function from unknown input to a
// typed Config. Every error names the field, the bad value and what is allowed.
import { OskitError } from '../errors.js';
import { parsePathSpec, type PathSpec } from '../image/path-spec.js';
import type { ConsoleKind, LogLevel } from './define.js';

export interface Config {
  cpus: number;
  maxCpus: number;
  /** Guest RAM in bytes (a whole number of MiB). */
  memoryBytes: number;
  timerHz: number;
  schedulerQuantumMs: number;
  /** Kernel heap in bytes. */
  kernelHeapSize: number;
  logLevel: LogLevel;
  cmdline: string;
  console: ConsoleKind[];
  bootTimeoutMs: number;
  testTimeoutMs: number;
  hostname: string;
  /** Extra root file system entries, in the order given. */
  rootfs: PathSpec[];
}

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];
export const CONSOLES: readonly ConsoleKind[] = ['serial', 'vga'];

export const DEFAULTS: Readonly<Config> = {
  cpus: 4,
  maxCpus: 64,
  memoryBytes: 512 * MiB,
  timerHz: 100,
  schedulerQuantumMs: 10,
  kernelHeapSize: 64 * MiB,
  logLevel: 'info',
  cmdline: '',
  console: ['serial', 'vga'],
  bootTimeoutMs: 60_000,
  testTimeoutMs: 300_000,
  hostname: 'oskit',
  rootfs: [],
};

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function fail(field: string, allowed: string, value: unknown): never {
  throw new OskitError(`config: ${field} must be ${allowed} (got ${show(value)})`);
}

/** Format a byte count the way users write it: '512M', '16G', '1536K'. */
export function formatSize(bytes: number): string {
  if (bytes % GiB === 0) return `${bytes / GiB}G`;
  if (bytes % MiB === 0) return `${bytes / MiB}M`;
  if (bytes % KiB === 0) return `${bytes / KiB}K`;
  return String(bytes);
}

/**
 * Parse a size: a byte count, or a string of digits with an optional K, M or
 * G suffix (binary units, optional trailing 'B' or 'iB'). Returns undefined
 * when the text is not a size.
 */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+)\s*([kmg])?(?:i?b)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toUpperCase();
  const bytes = n * (unit === 'G' ? GiB : unit === 'M' ? MiB : unit === 'K' ? KiB : 1);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

function integerIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(field, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function sizeIn(field: string, value: unknown, min: number, max: number, wholeMiB: boolean): number {
  const allowed = `a size from ${formatSize(min)} to ${formatSize(max)} such as '${formatSize(min * 2)}' (K, M or G suffix)`;
  const bytes = parseSize(value);
  if (bytes === undefined || bytes < min || bytes > max) fail(field, allowed, value);
  if (wholeMiB && bytes % MiB !== 0) fail(field, 'a whole number of MiB', value);
  return bytes;
}

// RFC 1123 host names: dot-separated labels of letters, digits and '-', not
// starting or ending with '-'; at most 64 characters, Linux's nodename limit
// (__NEW_UTS_LEN in include/uapi/linux/utsname.h).
const HOSTNAME_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isHostname(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 64 && value.split('.').every((l) => HOSTNAME_LABEL.test(l));
}

function copyConfig(c: Readonly<Config>): Config {
  return { ...c, console: [...c.console], rootfs: [...c.rootfs] };
}

// GRUB's script parser gives meaning to quotes, $, ;, braces and the like;
// the command line is also a QEMU/fw_cfg string. Printable ASCII without a
// single quote survives both (grub.cfg quotes it when needed).
const CMDLINE_OK = /^[\x20-\x26\x28-\x7e]*$/;

/** Validate raw configuration input into a Config, or throw one OskitError. */
export function validateConfig(input: unknown): Config {
  if (input === undefined || input === null) return copyConfig(DEFAULTS);
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new OskitError(`config: the default export must be an object (got ${show(input)})`, "write: export default defineConfig({ cpus: 4 })");
  }
  const raw = input as Record<string, unknown>;
  const known = new Set([
    'cpus', 'maxCpus', 'memory', 'timerHz', 'schedulerQuantumMs', 'kernelHeapSize',
    'logLevel', 'cmdline', 'console', 'bootTimeoutMs', 'testTimeoutMs', 'hostname', 'rootfs',
  ]);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) {
      throw new OskitError(`config: unknown field ${key}`, `known fields: ${[...known].join(', ')}`);
    }
  }
  const has = (k: string) => raw[k] !== undefined;
  const config: Config = copyConfig(DEFAULTS);
  if (has('cpus')) config.cpus = integerIn('cpus', raw.cpus, 1, 256);
  if (has('maxCpus')) config.maxCpus = integerIn('maxCpus', raw.maxCpus, 1, 256);
  if (has('memory')) config.memoryBytes = sizeIn('memory', raw.memory, 32 * MiB, 64 * GiB, true);
  if (has('timerHz')) config.timerHz = integerIn('timerHz', raw.timerHz, 10, 10_000);
  if (has('schedulerQuantumMs')) config.schedulerQuantumMs = integerIn('schedulerQuantumMs', raw.schedulerQuantumMs, 1, 1000);
  if (has('kernelHeapSize')) config.kernelHeapSize = sizeIn('kernelHeapSize', raw.kernelHeapSize, MiB, GiB, false);
  if (has('logLevel')) {
    if (typeof raw.logLevel !== 'string' || !LOG_LEVELS.includes(raw.logLevel as LogLevel)) {
      fail('logLevel', `one of ${LOG_LEVELS.map((l) => `'${l}'`).join(', ')}`, raw.logLevel);
    }
    config.logLevel = raw.logLevel as LogLevel;
  }
  if (has('cmdline')) {
    if (typeof raw.cmdline !== 'string' || !CMDLINE_OK.test(raw.cmdline) || raw.cmdline.length > 1024) {
      fail('cmdline', "a string of printable ASCII without single quotes, at most 1024 characters", raw.cmdline);
    }
    config.cmdline = raw.cmdline.trim();
  }
  if (has('console')) {
    const value = raw.console;
    const allowed = "a non-empty array of 'serial' and/or 'vga'";
    if (!Array.isArray(value) || value.length === 0) fail('console', allowed, value);
    for (const c of value) if (!CONSOLES.includes(c as ConsoleKind)) fail('console', allowed, value);
    if (new Set(value).size !== value.length) fail('console', `${allowed} without repeats`, value);
    config.console = [...(value as ConsoleKind[])];
  }
  if (has('bootTimeoutMs')) config.bootTimeoutMs = integerIn('bootTimeoutMs', raw.bootTimeoutMs, 1000, 3_600_000);
  if (has('testTimeoutMs')) config.testTimeoutMs = integerIn('testTimeoutMs', raw.testTimeoutMs, 1000, 86_400_000);
  if (has('hostname')) {
    if (!isHostname(raw.hostname)) {
      fail('hostname', "a host name of at most 64 characters: dot-separated labels of letters, digits and '-', not starting or ending with '-'", raw.hostname);
    }
    config.hostname = raw.hostname;
  }
  if (has('rootfs')) {
    const value = raw.rootfs;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      fail('rootfs', "a list of 'HOST_PATH' or 'HOST_PATH:GUEST_PATH' strings", value);
    }
    config.rootfs = (value as string[]).map((v) => parsePathSpec(v, 'config: rootfs entry'));
  }
  return config;
}

/** Command-line overrides, validated with the flag's own name in the message. */
export interface Overrides {
  smp?: string | number;
  mem?: string;
}

export function applyOverrides(config: Config, overrides: Overrides): Config {
  const out: Config = copyConfig(config);
  if (overrides.smp !== undefined) {
    const n = typeof overrides.smp === 'number' ? overrides.smp : /^\d+$/.test(overrides.smp) ? Number(overrides.smp) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 256) {
      throw new OskitError(`--smp must be an integer from 1 to 256 (got ${show(overrides.smp)})`);
    }
    out.cpus = n;
  }
  if (overrides.mem !== undefined) {
    const bytes = parseSize(overrides.mem);
    if (bytes === undefined || bytes < 32 * MiB || bytes > 64 * GiB || bytes % MiB !== 0) {
      throw new OskitError(`--mem must be a whole number of MiB from 32M to 64G such as 512M or 2G (got ${show(overrides.mem)})`);
    }
    out.memoryBytes = bytes;
  }
  return out;
}
