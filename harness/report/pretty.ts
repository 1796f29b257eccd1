// A coloured tree of results with a summary line, for people at a terminal.
import type { ChalkInstance } from 'chalk';
import { chalkWith } from '../color.js';
import { summarize, type KtapResult, type Status, type Summary, type TestNode } from './ktap.js';

function mark(status: Status, c: ChalkInstance): string {
  switch (status) {
    case 'pass': return c.green('✓');
    case 'skip': return c.yellow('-');
    case 'todo': return c.cyan('…');
    case 'xfail': return c.green('✓');
    case 'fail': return c.red('✗');
    case 'timeout': return c.red('⏱');
    case 'error': return c.red('!');
    case 'crashed': return c.red.bold('‼');
  }
}

function label(n: TestNode, c: ChalkInstance): string {
  const extra = n.status === 'pass' ? '' : c.dim(` ${n.status.toUpperCase()}${n.reason ? `: ${n.reason}` : ''}`);
  return `${n.name}${extra}`;
}

function render(nodes: readonly TestNode[], depth: number, c: ChalkInstance, out: string[]): void {
  const pad = '  '.repeat(depth);
  for (const n of nodes) {
    out.push(`${pad}${mark(n.status, c)} ${label(n, c)}`);
    const failing = n.status === 'fail' || n.status === 'error' || n.status === 'timeout' || n.status === 'crashed';
    if (failing || n.children.length === 0) for (const d of n.diagnostics) out.push(`${pad}    ${c.dim(d)}`);
    if (n.consoleTail) {
      out.push(`${pad}    ${c.red(`last ${n.consoleTail.length} console lines:`)}`);
      for (const l of n.consoleTail) out.push(`${pad}    ${c.dim('|')} ${l}`);
    }
    render(n.children, depth + 1, c, out);
  }
}

export function summaryLine(s: Summary, c: ChalkInstance = chalkWith(false)): string {
  const parts = [c.green(`${s.passed} passed`), (s.failed ? c.red : c.dim)(`${s.failed} failed`)];
  if (s.skipped) parts.push(c.yellow(`${s.skipped} skipped`));
  if (s.todo) parts.push(c.cyan(`${s.todo} todo`));
  if (s.xfail) parts.push(`${s.xfail} expected failures`);
  if (s.timeout) parts.push(c.red(`${s.timeout} timed out`));
  if (s.error) parts.push(c.red(`${s.error} errors`));
  if (s.crashed) parts.push(c.red.bold(`${s.crashed} crashed`));
  return parts.join(', ');
}

/** The tree and a summary line (ends with a newline). */
export function toPretty(result: KtapResult, color: boolean): string {
  const c = chalkWith(color);
  const out: string[] = [];
  render(result.tests, 0, c, out);
  out.push('', summaryLine(summarize(result.tests), c));
  return out.join('\n') + '\n';
}
