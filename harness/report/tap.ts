// Re-emit a result tree as TAP (version 13 with indented subtests, which
// KTAP readers and TAP consumers such as tap-parser both accept), so
// `oskit test --reporter tap | other-tool` works.
import { type KtapResult, type TestNode } from './ktap.js';

function directiveFor(n: TestNode): string {
  switch (n.status) {
    case 'skip':
      return ` # SKIP${n.reason ? ` ${n.reason}` : ''}`;
    case 'todo':
      return ` # TODO${n.reason ? ` ${n.reason}` : ''}`;
    case 'xfail':
      return ` # XFAIL${n.reason ? ` ${n.reason}` : ''}`;
    case 'timeout':
      return ` # TIMEOUT${n.reason ? ` ${n.reason}` : ''}`;
    case 'error':
      return ` # ERROR${n.reason ? ` ${n.reason}` : ''}`;
    case 'crashed':
      return ' # ERROR crashed';
    default:
      return n.reason ? ` # ${n.reason}` : '';
  }
}

function okWord(n: TestNode): string {
  if (n.status === 'pass' || n.status === 'skip' || n.status === 'xfail') return 'ok';
  if (n.status === 'todo') return n.ok ? 'ok' : 'not ok';
  return 'not ok';
}

function emit(nodes: readonly TestNode[], indent: string, out: string[]): void {
  for (const n of nodes) {
    if (n.children.length > 0) {
      const inner = indent + '    ';
      out.push(`${indent}# Subtest: ${n.name}`);
      out.push(`${inner}1..${n.plan ?? n.children.length}`);
      emit(n.children, inner, out);
    }
    for (const d of n.diagnostics) out.push(`${indent}# ${d}`);
    if (n.consoleTail) {
      out.push(`${indent}# last ${n.consoleTail.length} console lines:`);
      for (const l of n.consoleTail) out.push(`${indent}# | ${l}`);
    }
    out.push(`${indent}${okWord(n)} ${n.number} ${n.name}${directiveFor(n)}`);
  }
}

/** TAP text for a result tree (ends with a newline). */
export function toTap(result: KtapResult): string {
  const out = ['TAP version 13'];
  const planned = Math.max(result.plan ?? 0, result.tests.length);
  out.push(`1..${planned}`);
  emit(result.tests, '', out);
  for (const d of result.diagnostics) out.push(`# ${d}`);
  return out.join('\n') + '\n';
}
