// Results as JUnit XML, the format CI systems and GitHub test reporters read
// (the de facto schema of Ant's junitreport / Jenkins / Maven Surefire):
// <testsuites> of <testsuite> (one per KTAP suite) of <testcase> (one per
// case), with <failure> for a failed case, <error> for one that crashed,
// timed out or errored, and <skipped> for SKIP and TODO.
import { isFailure, type KtapResult, type Status, type TestNode } from './ktap.js';

export interface JunitRun {
  result: KtapResult;
  /** Why the run failed beyond its test results; reported as an errored case `oskit.run`. */
  problems?: readonly string[];
  /** Run number when there are several (--repeat); suite names then say `(run N)`. */
  run?: number;
  durationMs?: number;
  /** Written as <property> elements of each of the run's suites (accel, cpus, log...). */
  properties?: Readonly<Record<string, string | number | undefined>>;
}

// XML 1.0 (section 2.2) allows tab, LF, CR and everything from 0x20 up except
// the surrogate block and U+FFFE/U+FFFF; anything else (a console's escape
// codes) is written as visible \xNN text instead.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function clean(text: string): string {
  return text.replace(NOT_XML_CHAR, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Escape character data. */
export function xmlText(text: string): string {
  return clean(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Escape an attribute value (double-quoted); line breaks and tabs survive as character references. */
export function xmlAttr(text: string): string {
  return xmlText(text).replaceAll('"', '&quot;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;');
}

interface Case {
  classname: string;
  name: string;
  node: TestNode;
}

function cases(nodes: readonly TestNode[], classname: string): Case[] {
  const out: Case[] = [];
  for (const n of nodes) {
    if (n.children.length === 0) out.push({ classname, name: n.name, node: n });
    else out.push(...cases(n.children, `${classname}.${n.name}`));
  }
  return out;
}

function detail(n: TestNode): string {
  const lines = [...n.diagnostics];
  if (n.consoleTail) lines.push(`last ${n.consoleTail.length} console lines:`, ...n.consoleTail);
  return lines.join('\n');
}

function caseXml(c: Case, indent: string): string {
  const open = `${indent}<testcase name="${xmlAttr(c.name)}" classname="${xmlAttr(c.classname)}"`;
  const n = c.node;
  const message = n.reason ?? n.diagnostics[0] ?? n.status;
  const body = detail(n);
  const inner = (tag: string, type: Status) =>
    `${open}>\n${indent}  <${tag} message="${xmlAttr(message)}" type="${type}"${body ? `>${xmlText(body)}</${tag}>` : '/>'}\n${indent}</testcase>`;
  switch (n.status) {
    case 'fail':
      return inner('failure', n.status);
    case 'error':
    case 'timeout':
    case 'crashed':
      return inner('error', n.status);
    case 'skip':
    case 'todo':
      return `${open}>\n${indent}  <skipped message="${xmlAttr(n.reason ?? n.status)}"/>\n${indent}</testcase>`;
    default:
      return `${open}/>`;
  }
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function count(list: readonly Case[]): Counts {
  const c: Counts = { tests: list.length, failures: 0, errors: 0, skipped: 0 };
  for (const { node } of list) {
    if (node.status === 'fail') c.failures++;
    else if (isFailure(node.status)) c.errors++;
    else if (node.status === 'skip' || node.status === 'todo') c.skipped++;
  }
  return c;
}

/** The suite's time from the kernel's `<suite>: N ms` diagnostic, in seconds. */
function suiteSeconds(n: TestNode): string | undefined {
  for (const d of n.diagnostics) {
    const m = /^(\S+): (\d+) ms$/.exec(d);
    if (m && m[1] === n.name) return (Number(m[2]) / 1000).toFixed(3);
  }
  return undefined;
}

function suiteXml(name: string, list: readonly Case[], run: JunitRun, seconds?: string): string {
  const c = count(list);
  const label = run.run !== undefined ? `${name} (run ${run.run})` : name;
  const attrs = `name="${xmlAttr(label)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"${seconds !== undefined ? ` time="${seconds}"` : ''}`;
  const props = Object.entries({ ...(run.run !== undefined ? { run: run.run } : {}), ...(run.properties ?? {}) }).filter(([, v]) => v !== undefined);
  const out = [`  <testsuite ${attrs}>`];
  if (props.length) {
    out.push('    <properties>');
    for (const [k, v] of props) out.push(`      <property name="${xmlAttr(k)}" value="${xmlAttr(String(v))}"/>`);
    out.push('    </properties>');
  }
  for (const k of list) out.push(caseXml(k, '    '));
  out.push('  </testsuite>');
  return out.join('\n');
}

/** JUnit XML for one run or several (--repeat). */
export function toJunit(runs: readonly JunitRun[]): string {
  const suites: string[] = [];
  const totals: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  let seconds = 0;
  for (const run of runs) {
    seconds += (run.durationMs ?? 0) / 1000;
    const add = (name: string, list: Case[], time?: string) => {
      const c = count(list);
      totals.tests += c.tests;
      totals.failures += c.failures;
      totals.errors += c.errors;
      totals.skipped += c.skipped;
      suites.push(suiteXml(name, list, run, time));
    };
    // Top-level results without cases (no KTAP output at all, a broken plan)
    // and the run's own problems go into a suite named oskit.
    const loose: Case[] = [];
    for (const n of run.result.tests) {
      if (n.children.length === 0) loose.push({ classname: 'oskit', name: n.name, node: n });
      else {
        const list = cases(n.children, n.name);
        // A suite that failed on its own (its cases all passed) keeps its failure as a case.
        if (isFailure(n.status) && !list.some((c) => isFailure(c.node.status))) list.push({ classname: n.name, name: n.name, node: { ...n, children: [] } });
        add(n.name, list, suiteSeconds(n));
      }
    }
    for (const p of run.problems ?? []) {
      loose.push({ classname: 'oskit', name: 'run', node: { number: 0, name: 'run', status: 'error', ok: false, diagnostics: [p], children: [] } });
    }
    if (loose.length) add('oskit', loose);
  }
  const head = `<testsuites name="oskit" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${seconds.toFixed(3)}">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', head, ...suites, '</testsuites>'].join('\n') + '\n';
}
