// A KTAP v1 parser (Linux Documentation/dev-tools/ktap.rst), also reading
// TAP 13/14: a pure function from console text to a result tree. Lines that
// are not KTAP (the kernel's timestamped log) are ignored; a run that stops
// early or misses results turns into CRASHED entries carrying the console tail.

export type Status = 'pass' | 'fail' | 'skip' | 'todo' | 'xfail' | 'timeout' | 'error' | 'crashed';

export interface TestNode {
  /** Test number from the result line (or the expected number for synthetic entries). */
  number: number;
  name: string;
  status: Status;
  /** The raw ok / not ok of the result line (false for synthetic failures). */
  ok: boolean;
  /** Directive reason (`# SKIP needs 2 CPUs` gives 'needs 2 CPUs'); trailing text of a plain `# comment`. */
  reason?: string;
  /** `#` lines that belong to this test. */
  diagnostics: string[];
  /** Results of a nested suite, in order. */
  children: TestNode[];
  /** The suite's plan, when it printed one. */
  plan?: number;
  /** For CRASHED entries: the last console lines. */
  consoleTail?: string[];
}

export interface KtapResult {
  /** 'KTAP version 1', 'TAP version 13'... or undefined when no header was seen. */
  version?: string;
  plan?: number;
  tests: TestNode[];
  /** Top-level diagnostics not attached to any test. */
  diagnostics: string[];
  /** True when the log ended before the run was complete (or never started). */
  crashed: boolean;
}

export const TAIL_LINES = 40;

const VERSION_RE = /^(K?TAP) version (\d+)\s*$/;
const PLAN_RE = /^1\.\.(\d+)(?:\s*#\s*(.*))?$/;
const RESULT_RE = /^(ok|not ok)\s+(\d+)(?:\s+-)?(?:\s+([^#]*?))?\s*(?:#\s*(.*))?$/;
const SUBTEST_RE = /^#\s*Subtest:\s*(.*?)\s*$/;
const DIRECTIVE_RE = /^(SKIP|TODO|XFAIL|TIMEOUT|ERROR)\b[:\s]*(.*)$/i;
const BAIL_RE = /^Bail out!\s*(.*)$/;

interface Frame {
  indent: number;
  version?: string;
  plan?: number;
  name?: string;
  tests: TestNode[];
  /** Diagnostics seen since the last result at this level. */
  pending: string[];
  /** A `# Subtest:` name printed at this level for the next deeper frame (older KTAP). */
  nextSubtestName?: string;
}

/** Status of a result line: directives win over ok / not ok. */
export function statusOf(ok: boolean, directive: string | undefined): Status {
  switch (directive?.toUpperCase()) {
    case 'SKIP':
      return 'skip';
    case 'TODO':
      return 'todo';
    case 'XFAIL':
      return 'xfail';
    case 'TIMEOUT':
      return 'timeout';
    case 'ERROR':
      return 'error';
    default:
      return ok ? 'pass' : 'fail';
  }
}

export function isFailure(status: Status): boolean {
  return status === 'fail' || status === 'timeout' || status === 'error' || status === 'crashed';
}

function lastLines(lines: readonly string[], n: number): string[] {
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  return nonEmpty.slice(-n);
}

/** Parse console text into a KTAP result tree. */
export function parseKtap(text: string, options: { tailLines?: number } = {}): KtapResult {
  const lines = text.replaceAll('\r', '').split('\n');
  const tail = lastLines(lines, options.tailLines ?? TAIL_LINES);
  const stack: Frame[] = [];
  const result: KtapResult = { tests: [], diagnostics: [], crashed: false };
  let bailedOut: string | undefined;

  const top = (): Frame | undefined => stack[stack.length - 1];
  const push = (indent: number): Frame => {
    const parent = top();
    const frame: Frame = { indent, tests: [], pending: [] };
    if (parent?.nextSubtestName !== undefined) {
      frame.name = parent.nextSubtestName;
      parent.nextSubtestName = undefined;
    }
    stack.push(frame);
    return frame;
  };

  // Close frames deeper than `indent`. The frame just above `indent` becomes
  // the children of the result line that closes it; frames deeper than that
  // never printed their own result line, so they become synthetic crashes.
  const closeDeeper = (indent: number): Frame | undefined => {
    let closed: Frame | undefined;
    while ((top()?.indent ?? -1) > indent) {
      const frame = stack.pop()!;
      if (closed) {
        closed.tests.push(...missingEntries(closed, undefined, `suite ${closed.name ?? '?'} ended without a result line`));
        frame.tests.push(suiteNode(closed, frame.tests.length + 1, 'error', undefined, 'suite ended without a result line'));
      }
      closed = frame;
    }
    return closed;
  };

  for (const rawLine of lines) {
    if (bailedOut !== undefined) break;
    const line = rawLine.replace(/\s+$/, '');
    if (line === '') continue;
    const indent = line.length - line.trimStart().length;
    const body = line.trimStart();

    const version = VERSION_RE.exec(body);
    if (version) {
      const label = `${version[1]} version ${version[2]}`;
      const t = top();
      if (!t) {
        push(indent).version = label;
        result.version = label;
      } else if (indent > t.indent) {
        push(indent).version = label;
      } else if (indent === t.indent && t.tests.length === 0 && t.plan === undefined) {
        t.version = label;
      } else if (stack.length > 0 && stack[0]!.indent === indent && indent <= t.indent) {
        // A second run at the root level: start again (e.g. the guest rebooted).
        stack.length = 0;
        result.tests = [];
        result.plan = undefined;
        push(indent).version = label;
        result.version = label;
      }
      continue;
    }
    if (stack.length === 0) continue; // text before the header is log output

    const subtest = SUBTEST_RE.exec(body);
    if (subtest) {
      const t = top()!;
      if (indent > t.indent) {
        push(indent).name = subtest[1];
      } else if (indent === t.indent && stack.length > 1 && t.tests.length === 0 && t.name === undefined) {
        t.name = subtest[1];
      } else if (indent === t.indent) {
        t.nextSubtestName = subtest[1];
      }
      continue;
    }

    const plan = PLAN_RE.exec(body);
    if (plan) {
      closeDeeperWithoutResult(indent);
      let t = top()!;
      if (indent > t.indent) t = push(indent);
      if (indent === t.indent) {
        t.plan = Number(plan[1]);
        if (stack.length === 1) result.plan = t.plan;
      }
      continue;
    }

    const res = RESULT_RE.exec(body);
    if (res) {
      const t0 = top()!;
      if (indent > t0.indent) push(indent);
      if (indent < stack[0]!.indent) continue;
      const closed = closeDeeper(indent);
      const frame = top()!;
      const ok = res[1] === 'ok';
      const comment = res[4]?.trim();
      const directive = comment ? DIRECTIVE_RE.exec(comment) : null;
      const node: TestNode = {
        number: Number(res[2]),
        name: (res[3] ?? '').trim() || closed?.name || `test ${res[2]}`,
        status: statusOf(ok, directive?.[1]),
        ok,
        diagnostics: [...frame.pending],
        children: [],
      };
      if (directive) {
        if (directive[2]) node.reason = directive[2].trim();
      } else if (comment) {
        node.reason = comment;
      }
      frame.pending = [];
      if (closed) {
        node.children = closed.tests;
        node.diagnostics.push(...closed.pending);
        if (closed.plan !== undefined) node.plan = closed.plan;
        node.children.push(...missingEntries(closed, undefined, `suite ${node.name} reported its result before all planned tests`));
        if (node.children.some((c) => isFailure(c.status)) && node.status === 'pass') {
          // A suite reported ok over failed or missing children: trust the children.
          node.status = 'fail';
          node.diagnostics.push('suite reported ok but some of its tests failed or are missing');
        }
      }
      frame.tests.push(node);
      continue;
    }

    const bail = BAIL_RE.exec(body);
    if (bail) {
      bailedOut = bail[1] ?? '';
      continue;
    }

    // Diagnostics are '# text' (a bare '#0 0x...' backtrace line is log output).
    if (/^#(\s|$)/.test(body)) {
      const t = top()!;
      if (indent < stack[0]!.indent) continue;
      const text = body.replace(/^#\s?/, '');
      // Attach to the deepest open frame at or above this indentation.
      let target = t;
      for (let i = stack.length - 1; i >= 0; i--) {
        if (stack[i]!.indent <= indent) {
          target = stack[i]!;
          break;
        }
      }
      target.pending.push(text);
      continue;
    }
    // Anything else (kernel log lines, GRUB noise) is ignored.
  }

  function closeDeeperWithoutResult(indent: number): void {
    // A plan line at a shallower level than open frames: those frames ended without results.
    while ((top()?.indent ?? -1) > indent) {
      const frame = stack.pop()!;
      const parent = top();
      if (!parent) break;
      parent.tests.push(suiteNode(frame, parent.tests.length + 1, 'error', undefined, 'suite ended without a result line'));
    }
  }

  if (stack.length === 0) {
    result.crashed = true;
    result.tests.push({
      number: 1,
      name: 'ktap',
      status: 'crashed',
      ok: false,
      diagnostics: [bailedOut !== undefined ? `bail out: ${bailedOut}` : 'no KTAP output: the kernel never started its tests'],
      children: [],
      consoleTail: tail,
    });
    return result;
  }

  // End of log: close every open frame from the innermost out. The crash is
  // reported (with the console tail) once, where the run stopped.
  let crashedInside = false;
  while (stack.length > 1) {
    const frame = stack.pop()!;
    const parent = top()!;
    const why = bailedOut !== undefined ? `bail out: ${bailedOut}` : `log ended inside suite ${frame.name ?? '?'}`;
    const missing = missingEntries(frame, crashedInside ? undefined : tail, why);
    const node = suiteNode(frame, parent.tests.length + 1, 'crashed', crashedInside || missing.length > 0 ? undefined : tail, why);
    node.children.push(...missing);
    crashedInside = true;
    parent.tests.push(node);
  }
  const root = stack[0]!;
  result.tests = root.tests;
  result.diagnostics.push(...root.pending);
  if (root.plan !== undefined) result.plan = root.plan;
  const why = bailedOut !== undefined ? `bail out: ${bailedOut}` : crashedInside ? 'log ended mid-run' : 'log ended before all planned tests ran';
  const missing = missingEntries(root, crashedInside ? undefined : tail, why);
  result.tests.push(...missing);
  if (root.plan === undefined && !crashedInside && bailedOut === undefined) {
    // No plan: a KTAP run announces its plan first, so the log stopped early or the header is broken.
    result.tests.push({ number: root.tests.length + 1, name: 'plan', status: 'error', ok: false, diagnostics: ['no test plan (1..N) in the KTAP output'], children: [], consoleTail: tail });
  }
  if (root.plan !== undefined && root.tests.filter((t) => t.name !== 'plan').length > root.plan) {
    result.tests.push({
      number: root.tests.length + 1, name: 'plan', status: 'error', ok: false,
      diagnostics: [`planned ${root.plan} tests but ${root.tests.length} reported results`], children: [],
    });
  }
  result.crashed = crashedInside || missing.length > 0 || bailedOut !== undefined;
  if (bailedOut !== undefined && missing.length === 0 && !crashedInside) {
    result.tests.push({ number: root.tests.length + 1, name: 'bail out', status: 'crashed', ok: false, diagnostics: [bailedOut], children: [], consoleTail: tail });
  }
  return result;
}

/** A node for a suite that never printed its own result line. */
function suiteNode(frame: Frame, number: number, status: Status, tail: string[] | undefined, why?: string): TestNode {
  const node: TestNode = {
    number,
    name: frame.name ?? `suite ${number}`,
    status,
    ok: false,
    diagnostics: [...frame.pending, ...(why ? [why] : [])],
    children: frame.tests,
  };
  if (tail) node.consoleTail = tail;
  if (frame.plan !== undefined) node.plan = frame.plan;
  return node;
}

/**
 * CRASHED entries for results the plan promised but the log never showed.
 * The first carries the console tail (it is where the run stopped).
 */
function missingEntries(frame: Frame, tail: string[] | undefined, why: string): TestNode[] {
  if (frame.plan === undefined) return [];
  const out: TestNode[] = [];
  const seen = frame.tests.length;
  for (let n = seen + 1; n <= frame.plan; n++) {
    const first = n === seen + 1;
    const node: TestNode = {
      number: n,
      name: first && tail ? `test ${n} (running when the log stopped)` : `test ${n} (not run)`,
      status: 'crashed',
      ok: false,
      diagnostics: first ? [why] : [],
      children: [],
    };
    if (first && tail) node.consoleTail = tail;
    out.push(node);
  }
  return out;
}

export interface Summary {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
  xfail: number;
  timeout: number;
  error: number;
  crashed: number;
}

/**
 * Count leaf results (a suite counts through its children; a failed suite
 * whose children all passed counts once as its own failure).
 */
export function summarize(tests: readonly TestNode[]): Summary {
  const s: Summary = { total: 0, passed: 0, failed: 0, skipped: 0, todo: 0, xfail: 0, timeout: 0, error: 0, crashed: 0 };
  const count = (status: Status) => {
    s.total++;
    switch (status) {
      case 'pass': s.passed++; break;
      case 'fail': s.failed++; break;
      case 'skip': s.skipped++; break;
      case 'todo': s.todo++; break;
      case 'xfail': s.xfail++; break;
      case 'timeout': s.timeout++; break;
      case 'error': s.error++; break;
      case 'crashed': s.crashed++; break;
    }
  };
  const walk = (nodes: readonly TestNode[]) => {
    for (const n of nodes) {
      if (n.children.length === 0) {
        count(n.status);
        continue;
      }
      walk(n.children);
      if (isFailure(n.status) && !n.children.some((c) => isFailure(c.status) || hasFailure(c))) count(n.status);
    }
  };
  walk(tests);
  return s;
}

function hasFailure(n: TestNode): boolean {
  return isFailure(n.status) || n.children.some(hasFailure);
}

/** True when every result passed (skips, TODOs and expected failures allowed) and the run completed. */
export function allPassed(result: KtapResult): boolean {
  return !result.crashed && !result.tests.some(hasFailure);
}
