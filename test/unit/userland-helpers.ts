// Shared pieces of the userland tests: the user programs built once (only
// musl-gcc needed; without it every userland test is skipped with the
// reason), running them on the host with a fixed locale and time zone, and
// the host facilities some tests need (an unprivileged user for usertests
// and halt, user namespaces for running init as PID 1 in a chroot).
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { buildUserland } from '../../harness/build/pipeline.js';
import { findExecutable } from '../../harness/doctor/tools.js';
import { projectAt } from '../../harness/project.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const project = projectAt(repoRoot);
export const rootfs = path.join(repoRoot, 'build', 'user', 'rootfs');
export const binDir = path.join(rootfs, 'bin');
export const sbinDir = path.join(rootfs, 'sbin');

/** Why the userland tests cannot run here, or false when they can. */
export const noMusl: string | false =
  findExecutable('musl-gcc') && findExecutable('gcc') && findExecutable('ninja')
    ? false
    : 'musl-gcc, gcc or ninja is not installed (Debian packages musl-tools gcc ninja-build)';

let built: Promise<unknown> | undefined;

/** Build the user programs (incremental: a no-op when they are fresh). */
export function ensureBuilt(): Promise<unknown> {
  built ??= buildUserland(project, { quiet: true });
  return built;
}

/** The C locale and UTC, so that our programs and the host's format alike. */
export const fixedEnv = { LC_ALL: 'C', LANG: 'C', TZ: 'UTC' };

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | undefined;
  signal: string | undefined;
}

export interface RunOptions {
  cwd?: string;
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Run `name` found in `pathDirs` (so argv[0] is the bare name, as coreutils
 * prints it in messages) with nothing else from our environment.
 */
export async function runIn(pathDirs: string, name: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const r = await execa(name, [...args], {
    cwd: options.cwd,
    env: { ...fixedEnv, PATH: pathDirs, HOME: '/', ...(options.env ?? {}) },
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    timeout: options.timeoutMs ?? 30_000,
  });
  return {
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    code: r.exitCode,
    signal: r.signal ?? undefined,
  };
}

/** The PATH for our programs: ours first, then the host's (for what we do not have). */
export const ourPath = `${binDir}:${sbinDir}:/usr/bin:/bin`;
export const hostPath = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';

export const ours = (name: string, args: readonly string[], options?: RunOptions) => runIn(ourPath, name, args, options);
export const host = (name: string, args: readonly string[], options?: RunOptions) => runIn(hostPath, name, args, options);

/** Whether `cmd args` runs and exits 0 (a probe for a host facility). */
async function works(cmd: string, args: string[]): Promise<boolean> {
  if (!findExecutable(cmd)) return false;
  const r = await execa(cmd, args, { reject: false, stdin: 'ignore', timeout: 10_000 });
  return r.exitCode === 0;
}

/**
 * How to run a command as an unprivileged user: [] when we are not root,
 * the setpriv prefix when we are; a string says why neither works.
 */
export async function unprivilegedPrefix(): Promise<string[] | string> {
  if (process.getuid?.() !== 0) return [];
  const prefix = ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'];
  if (!findExecutable('setpriv')) return 'running as root and setpriv (util-linux) is missing';
  const r = await execa(prefix[0]!, [...prefix.slice(1), 'id', '-u'], { reject: false, stdin: 'ignore' });
  if (r.exitCode !== 0 || String(r.stdout).trim() === '0') return `cannot become nobody with setpriv: ${String(r.stderr).trim()}`;
  return prefix;
}

/** Why user, PID, mount and UTS namespaces cannot be made here, or false. */
export async function noNamespaces(): Promise<string | false> {
  if (!findExecutable('chroot')) return 'chroot is not installed';
  return (await works('unshare', ['-r', '-u', '-m', '-p', '-f', 'true']))
    ? false
    : 'unshare -r -u -m -p -f fails here (no unprivileged user namespaces?)';
}

/**
 * A root file system for init in a temporary directory: a copy of
 * build/user/rootfs plus /etc/motd and empty /dev, /proc and /tmp, as the
 * initrd will have them.
 */
export function makeRoot(dir: string, motd: string): string {
  const root = path.join(dir, 'root');
  cpSync(rootfs, root, { recursive: true });
  for (const d of ['dev', 'etc', 'proc', 'tmp']) mkdirSync(path.join(root, d), { recursive: true });
  writeFileSync(path.join(root, 'etc', 'motd'), motd);
  return root;
}

/**
 * The command that runs /sbin/init as PID 1 of new user, PID, mount and UTS
 * namespaces, chrooted into `root`, with hostname "oskit" and /proc mounted.
 * Its reboot(RB_POWER_OFF) then ends only that PID namespace: Linux kills
 * the namespace's init with SIGINT (reboot(2), "PID namespaces"), so the
 * run ends by that signal.
 */
export function initInNamespaces(root: string, initArgs: readonly string[] = []): { file: string; args: string[] } {
  const script = 'echo oskit > /proc/sys/kernel/hostname && mount -t proc proc "$1/proc" && root=$1 && shift && exec chroot "$root" /sbin/init "$@"';
  return { file: 'unshare', args: ['-r', '-u', '-m', '-p', '-f', 'sh', '-c', script, 'sh', root, ...initArgs] };
}
