// `oskit test --repeat N`: how often each test passed over N fresh boots
// (the way flaky tests are found). A pure function of the runs' result trees,
// and its table, TAP and JSON forms.
import type { ChalkInstance } from 'chalk';
import { chalkWith } from '../color.js';
import { isFailure, type KtapResult, type TestNode } from './ktap.js';

/** What the tally needs from one run. */
export interface RepeatRun {
  /** 1-based run number. */
  run: number;
  passed: boolean;
  result: KtapResult;
  /** Why the run failed beyond its test results (timeout, panic, exit status). */
  problems: string[];
  /** The run's serial log (as shown to the user). */
  log: string;
  durationMs: number;
}

export interface TestTally {
  /** Suite and case joined by dots: 'pmm.exhaust_then_recover'. */
  name: string;
  /** Runs in which it passed (or failed as expected). */
  passed: number;
  skipped: number;
  /** Runs in which it failed, errored, timed out or crashed. */
  failed: number;
  /** Runs that never reached it (the run stopped earlier). */
  missing: number;
  /** Run numbers in which it failed or was missing. */
  badRuns: number[];
}

export interface RepeatSummary {
  runs: number;
  passedRuns: number;
  /** The runs that did not pass, with their problems and logs. */
  failedRuns: { run: number; problems: string[]; log: string }[];
  tests: TestTally[];
}

export interface Leaf {
  /** Dotted name: suite.case. */
  name: string;
  /** The parent's dotted name and this result's number: how a synthetic entry finds its real name. */
  slot: string;
  node: TestNode;
}

/** Leaves of a result tree with their dotted names, in order. */
export function leaves(nodes: readonly TestNode[], prefix = ''): Leaf[] {
  const out: Leaf[] = [];
  for (const n of nodes) {
    const name = prefix ? `${prefix}.${n.name}` : n.name;
    if (n.children.length === 0) out.push({ name, slot: `${prefix}#${n.number}`, node: n });
    else out.push(...leaves(n.children, name));
  }
  return out;
}

// The parser's stand-ins for results a stopped log never printed (ktap.ts).
const RUNNING = /^test \d+ \(running when the log stopped\)$/;
const NOT_RUN = /^test \d+ \(not run\)$/;

/**
 * Per-test counts over the runs: every test that appeared in any run, in
 * first-seen order. A run that stopped mid-suite counts the test that was
 * running as failed (under its real name, taken from the runs that got
 * further) and the tests after it as not reached.
 */
export function tallyRuns(runs: readonly RepeatRun[]): RepeatSummary {
  const perRun = runs.map((r) => ({ run: r, leaves: leaves(r.result.tests) }));
  const realName = new Map<string, string>();
  for (const { leaves: ls } of perRun) {
    for (const l of ls) if (!RUNNING.test(l.node.name) && !NOT_RUN.test(l.node.name) && !realName.has(l.slot)) realName.set(l.slot, l.name);
  }
  const tallies = new Map<string, TestTally>();
  const seenIn = new Map<string, Set<number>>();
  const tally = (name: string) => {
    let t = tallies.get(name);
    if (!t) {
      t = { name, passed: 0, skipped: 0, failed: 0, missing: 0, badRuns: [] };
      tallies.set(name, t);
      seenIn.set(name, new Set());
    }
    return t;
  };
  for (const { run: r, leaves: ls } of perRun) {
    for (const l of ls) {
      const notRun = NOT_RUN.test(l.node.name);
      const synthetic = notRun || RUNNING.test(l.node.name);
      const known = synthetic ? realName.get(l.slot) : l.name;
      // A stand-in for a whole suite that never started has no one name:
      // its tests are counted as not reached under their own names.
      if (known === undefined && notRun) continue;
      const name = known ?? l.name;
      const t = tally(name);
      if (notRun) continue; // counted as not reached below
      const seen = seenIn.get(name)!;
      if (seen.has(r.run)) continue; // a name repeated inside one run counts once
      seen.add(r.run);
      if (isFailure(l.node.status)) {
        t.failed++;
        t.badRuns.push(r.run);
      } else if (l.node.status === 'skip' || l.node.status === 'todo') t.skipped++;
      else t.passed++;
    }
  }
  for (const t of tallies.values()) {
    const seen = seenIn.get(t.name)!;
    for (const r of runs) {
      if (seen.has(r.run)) continue;
      t.missing++;
      t.badRuns.push(r.run);
    }
    t.badRuns.sort((a, b) => a - b);
  }
  return {
    runs: runs.length,
    passedRuns: runs.filter((r) => r.passed).length,
    failedRuns: runs.filter((r) => !r.passed).map((r) => ({ run: r.run, problems: r.problems, log: r.log })),
    tests: [...tallies.values()],
  };
}

const MAX_LISTED = 12;

function runList(runs: readonly number[]): string {
  const shown = runs.slice(0, MAX_LISTED).join(', ');
  return runs.length > MAX_LISTED ? `${shown} and ${runs.length - MAX_LISTED} more` : shown;
}

function remark(t: TestTally): string {
  const parts: string[] = [];
  if (t.skipped) parts.push(`skipped ${t.skipped}`);
  if (t.failed) parts.push(`failed ${t.failed}`);
  if (t.missing) parts.push(`not reached ${t.missing}`);
  if (t.badRuns.length) parts.push(`in run${t.badRuns.length === 1 ? '' : 's'} ${runList(t.badRuns)}`);
  return parts.join(', ');
}

/** The per-test table for a person: `passed/runs name  remarks`, then the failed runs and their logs. */
export function formatRepeat(s: RepeatSummary, color = false, header = ''): string {
  const c: ChalkInstance = chalkWith(color);
  const width = Math.max('passed'.length, String(s.runs).length * 2 + 1);
  const nameWidth = Math.max(4, ...s.tests.map((t) => t.name.length));
  const out: string[] = [];
  out.push(`${s.passedRuns === s.runs ? c.green('repeat:') : c.red('repeat:')} ${s.passedRuns} of ${s.runs} run${s.runs === 1 ? '' : 's'} passed${header ? ` (${header})` : ''}`);
  out.push(`  ${'passed'.padStart(width)}  test`);
  for (const t of s.tests) {
    const count = `${t.passed}/${s.runs}`.padStart(width);
    const bad = t.failed + t.missing > 0;
    const r = remark(t);
    out.push(`  ${bad ? c.red(count) : t.skipped ? c.yellow(count) : c.green(count)}  ${r ? t.name.padEnd(nameWidth) : t.name}${r ? `  ${c.dim(r)}` : ''}`);
  }
  if (s.failedRuns.length) {
    out.push(`failed runs (${s.failedRuns.length}):`);
    for (const f of s.failedRuns.slice(0, MAX_LISTED * 2)) {
      out.push(`  run ${f.run}: ${f.problems.length ? f.problems.join('; ') : 'failing tests'} (log ${f.log})`);
    }
    if (s.failedRuns.length > MAX_LISTED * 2) out.push(`  ... and ${s.failedRuns.length - MAX_LISTED * 2} more`);
  }
  return out.join('\n') + '\n';
}

/** TAP: one result per test, ok when it never failed; the count is the comment. */
export function repeatTap(s: RepeatSummary): string {
  const out = ['TAP version 13', `1..${s.tests.length}`];
  s.tests.forEach((t, i) => {
    const bad = t.failed + t.missing > 0;
    const r = remark(t);
    out.push(`${bad ? 'not ok' : 'ok'} ${i + 1} ${t.name} # ${t.passed}/${s.runs} passed${r ? `; ${r}` : ''}`);
  });
  for (const f of s.failedRuns) out.push(`# run ${f.run} failed: ${f.problems.length ? f.problems.join('; ') : 'failing tests'} (log ${f.log})`);
  return out.join('\n') + '\n';
}

/** JSON: the counts, the failed runs and any run facts. */
export function repeatJson(s: RepeatSummary, facts: Record<string, unknown> = {}): string {
  return JSON.stringify({ passed: s.passedRuns === s.runs, ...s, ...facts }, null, 2) + '\n';
}
