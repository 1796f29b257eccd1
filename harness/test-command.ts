// `oskit test`: one run reported as tap, pretty, json or junit, or N runs
// (--repeat) reported as per-test pass counts. Reports go to stdout; notices,
// progress and the log locations to stderr.
import { colorErr, colorOut } from './color.js';
import { formatSize } from './config/schema.js';
import { OskitError } from './errors.js';
import { rel, type Project } from './project.js';
import { toJson } from './report/json.js';
import { toJunit } from './report/junit.js';
import { toPretty } from './report/pretty.js';
import { formatRepeat, repeatJson, repeatTap } from './report/repeat.js';
import { symbolizerFor, symbolizeText } from './report/symbolize.js';
import { toTap } from './report/tap.js';
import { runKernelTests, type TestRun, type TestRunOptions } from './vm/ktest.js';
import { repeatKernelTests } from './vm/repeat.js';
import { sessionHeader } from './vm/session.js';

export const REPORTERS = ['tap', 'pretty', 'json', 'junit'] as const;
export type Reporter = (typeof REPORTERS)[number];

export interface TestCommandOptions extends TestRunOptions {
  reporter?: Reporter;
  raw?: boolean;
  /** Boot this many times (default 1). */
  repeat?: number;
}

/** Parse a positive count option such as --repeat 200 (digits only, 1..max). */
export function parseCount(option: string, value: string, max: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new OskitError(`${option} must be an integer from 1 to ${max} (got ${JSON.stringify(value)})`);
  return n;
}

function runFacts(project: Project, run: TestRun) {
  return {
    accel: run.session.accel,
    cpus: run.session.config.cpus,
    memory: sessionHeader(run.session),
    qemuExitStatus: run.exit.status,
    qemuCommand: run.command,
    log: rel(project, run.logFile),
    durationMs: run.durationMs,
    problems: run.problems,
  };
}

function junitProperties(project: Project, run: TestRun) {
  return { accel: run.session.accel, cpus: run.session.config.cpus, memory: formatSize(run.session.config.memoryBytes), log: rel(project, run.logFile), qemuCommand: run.command };
}

function reportOne(project: Project, run: TestRun, reporter: Reporter, raw: boolean): void {
  if (raw) process.stdout.write(symbolizeText(run.output, symbolizerFor(project)));
  else if (reporter === 'json') process.stdout.write(toJson(run.result, runFacts(project, run)));
  else if (reporter === 'junit') {
    process.stdout.write(toJunit([{ result: run.result, problems: run.problems, durationMs: run.durationMs, properties: junitProperties(project, run) }]));
  } else if (reporter === 'tap') process.stdout.write(toTap(run.result));
  else process.stdout.write(toPretty(run.result, colorOut.level > 0));
  if (!run.passed) {
    if (run.crashReport) process.stderr.write(`${run.crashReport.join('\n')}\n`);
    for (const p of run.problems) process.stderr.write(colorErr.red(`oskit: ${p}`) + '\n');
    process.stderr.write(`oskit: QEMU command: ${run.command}\n`);
  }
  process.stderr.write(`oskit: serial log: ${rel(project, run.logFile)} (also build/logs/last-test.log), ${(run.durationMs / 1000).toFixed(1)} s\n`);
}

/** Run `oskit test`; returns the exit code (0 only when every run passed). */
export async function testCommand(project: Project, options: TestCommandOptions): Promise<number> {
  const reporter = options.reporter ?? (process.stdout.isTTY ? 'pretty' : 'tap');
  const repeat = options.repeat ?? 1;
  if (repeat === 1) {
    const run = await runKernelTests(project, options);
    reportOne(project, run, reporter, options.raw ?? false);
    return run.passed ? 0 : 1;
  }
  if (options.raw) throw new OskitError('--raw prints the serial log of one run; it cannot be combined with --repeat', 'each run keeps its log in build/logs/');
  const result = await repeatKernelTests(project, {
    ...options,
    repeat,
    onRun: (i, run) => {
      const secs = `${(run.durationMs / 1000).toFixed(1)} s`;
      const what = run.passed ? colorErr.green('passed') : colorErr.red(`FAILED${run.problems.length ? `: ${run.problems.join('; ')}` : ''}`);
      process.stderr.write(`oskit: run ${i}/${repeat}: ${what}, ${secs}, log ${rel(project, run.logFile)}\n`);
    },
  });
  const { summary, runs, session } = result;
  if (reporter === 'json') {
    process.stdout.write(repeatJson(summary, { accel: session.accel, cpus: session.config.cpus, memory: sessionHeader(session), durationMs: result.durationMs }));
  } else if (reporter === 'junit') {
    process.stdout.write(toJunit(runs.map((run, i) => ({ result: run.result, problems: run.problems, run: i + 1, durationMs: run.durationMs, properties: junitProperties(project, run) }))));
  } else if (reporter === 'tap') process.stdout.write(repeatTap(summary));
  else process.stdout.write(formatRepeat(summary, colorOut.level > 0, sessionHeader(session)));
  process.stderr.write(`oskit: ${summary.passedRuns} of ${summary.runs} runs passed in ${(result.durationMs / 1000).toFixed(1)} s; serial logs: build/logs/${rel(project, runs[0]!.logFile).replace(/^.*\/|-run1\.log$/g, '')}-run*.log\n`);
  return summary.passedRuns === summary.runs ? 0 : 1;
}
