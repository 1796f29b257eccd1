// Results as JSON for other tools: the tree, the counts and the run facts.
import { allPassed, summarize, type KtapResult } from './ktap.js';

export interface RunFacts {
  accel?: string;
  cpus?: number;
  memory?: string;
  qemuExitStatus?: number | null;
  qemuCommand?: string;
  log?: string;
  durationMs?: number;
  /** Why the run failed beyond the test results (QEMU exit status, timeout). */
  problems?: string[];
}

export function toJson(result: KtapResult, facts: RunFacts = {}): string {
  const passed = allPassed(result) && (facts.problems?.length ?? 0) === 0;
  return JSON.stringify({ passed, summary: summarize(result.tests), ...facts, version: result.version, plan: result.plan, crashed: result.crashed, tests: result.tests }, null, 2) + '\n';
}
