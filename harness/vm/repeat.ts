// `oskit test --repeat N`: the selected tests N times, a fresh boot each and
// each run's serial log kept, then how often every test passed.
import { OskitError } from '../errors.js';
import { rel, type Project } from '../project.js';
import { tallyRuns, type RepeatRun, type RepeatSummary } from '../report/repeat.js';
import { runTestsOnce, type TestRun, type TestRunOptions } from './ktest.js';
import { prepareSession, timestamp, type Session } from './session.js';

export const MAX_REPEAT = 100_000;

export interface RepeatOptions extends TestRunOptions {
  repeat: number;
  /** Called after each run (1-based). */
  onRun?: (index: number, run: TestRun) => void;
}

export interface RepeatResult {
  session: Session;
  runs: TestRun[];
  summary: RepeatSummary;
  durationMs: number;
}

/** The run as the tally sees it (log paths relative to the project). */
export function repeatRun(project: Project, index: number, run: TestRun): RepeatRun {
  return { run: index, passed: run.passed, result: run.result, problems: run.problems, log: rel(project, run.logFile), durationMs: run.durationMs };
}

/** Boot N times with the same session (one build, one accelerator decision). */
export async function repeatKernelTests(project: Project, options: RepeatOptions): Promise<RepeatResult> {
  const { repeat } = options;
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) throw new OskitError(`--repeat must be an integer from 1 to ${MAX_REPEAT} (got ${repeat})`);
  const session = await prepareSession(project, options);
  const started = Date.now();
  // One name stem for the whole series: build/logs/test-<time>-<pid>-run<K>.log.
  const stem = `test-${timestamp()}-${process.pid}`;
  const runs: TestRun[] = [];
  for (let i = 1; i <= repeat; i++) {
    const run = await runTestsOnce(session, { ...options, logName: `${stem}-run${i}.log` });
    runs.push(run);
    options.onRun?.(i, run);
  }
  return { session, runs, summary: tallyRuns(runs.map((r, i) => repeatRun(project, i + 1, r))), durationMs: Date.now() - started };
}
