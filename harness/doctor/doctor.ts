// `oskit doctor`: every host tool with its version and Debian package, the
// accelerator verdict, and with --fix the apt-get command that installs
// what is missing.
import { execa } from 'execa';
import { colorOut } from '../color.js';
import { OskitError } from '../errors.js';
import { notice } from '../log.js';
import type { Project } from '../project.js';
import { cachedProbe, decideAccel, kvmDeviceState } from '../vm/accel.js';
import { findExecutable, locateTool, TOOLS, type Tool } from './tools.js';

export interface ToolStatus {
  tool: Tool;
  path?: string;
  version?: string;
}

async function versionOf(tool: Tool, file: string): Promise<string | undefined> {
  if (!tool.versionArgs) return undefined;
  const r = await execa(file, tool.versionArgs, { reject: false, timeout: 5000, all: true, stdin: 'ignore' });
  const lines = String(r.all ?? '').split('\n');
  const line = lines.find((l) => l.trim() !== '' && (!tool.versionLine || tool.versionLine.test(l)));
  return line?.trim();
}

export async function checkTools(): Promise<ToolStatus[]> {
  return Promise.all(
    TOOLS.map(async (tool) => {
      const found = locateTool(tool);
      if (!found) return { tool };
      const version = tool.dir ? 'present' : await versionOf(tool, found);
      return version ? { tool, path: found, version } : { tool, path: found };
    }),
  );
}

/** Debian packages for the missing tools (optional ones included when `withOptional`). */
export function missingPackages(statuses: readonly ToolStatus[], withOptional = true): string[] {
  const pkgs = statuses.filter((s) => !s.path && (withOptional || !s.tool.optional)).map((s) => s.tool.pkg);
  return [...new Set(pkgs)];
}

/** The accelerator verdict as a sentence (probing KVM when needed, cached 10 minutes). */
export async function accelVerdict(project: Project): Promise<string> {
  const device = kvmDeviceState();
  let d = decideAccel('auto', device);
  if (d.kind === 'probe') {
    d = decideAccel('auto', device, await cachedProbe(project));
  }
  if (d.kind !== 'use') return 'unknown';
  return d.accel === 'kvm' ? `kvm (the probe guest ran under KVM${d.cpu ? ` with -cpu ${d.cpu}; ${d.notice?.replace(/^KVM with -cpu \S+ \((.*)\)$/, '$1')}` : ''})` : `tcg${d.notice ? `: ${d.notice.replace(/; using TCG$/, '')}` : ''}`;
}

export function formatTable(statuses: readonly ToolStatus[]): string {
  const rows = statuses.map((s) => [
    s.path ? colorOut.green('ok') : s.tool.optional ? colorOut.yellow('missing (optional)') : colorOut.red('MISSING'),
    s.tool.name,
    s.tool.pkg,
    s.version ?? '',
  ]);
  const header = ['status', 'tool', 'debian package', 'version'];
  // eslint-disable-next-line no-control-regex
  const visible = (t: string) => t.replace(/\x1b\[[0-9;]*m/g, '').length;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visible(c)))).join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export interface DoctorOptions {
  fix?: boolean;
}

/** Print the report; with fix, install what is missing. Returns the exit code. */
export async function runDoctor(project: Project, options: DoctorOptions = {}): Promise<number> {
  let statuses = await checkTools();
  process.stdout.write(formatTable(statuses));
  let missing = missingPackages(statuses);
  if (options.fix && missing.length > 0) {
    const isRoot = process.getuid?.() === 0;
    if (!isRoot) {
      process.stdout.write(`run as root to install: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n`);
      return 1;
    }
    if (!findExecutable('apt-get')) {
      throw new OskitError(`apt-get not found: install these Debian packages with your package manager: ${missing.join(' ')}`);
    }
    notice(`installing ${missing.join(' ')}`);
    const update = await execa('apt-get', ['update'], { stdio: 'inherit', reject: false });
    if (update.exitCode !== 0) throw new OskitError('apt-get update failed');
    const install = await execa('apt-get', ['install', '-y', ...missing], { stdio: 'inherit', reject: false, env: { DEBIAN_FRONTEND: 'noninteractive' } });
    if (install.exitCode !== 0) throw new OskitError(`apt-get install failed for ${missing.join(' ')}`);
    statuses = await checkTools();
    process.stdout.write(formatTable(statuses));
    missing = missingPackages(statuses);
  }
  process.stdout.write(`accelerator: ${await accelVerdict(project)}\n`);
  const required = missingPackages(statuses, false);
  if (required.length > 0) {
    process.stdout.write(`missing: install with: apt-get install -y ${required.join(' ')}   (or: oskit doctor --fix)\n`);
    return 1;
  }
  if (missing.length > 0) process.stdout.write(`optional: apt-get install -y ${missing.join(' ')}\n`);
  return 0;
}
