// `oskit soak`: a person's hours at the keyboard, compressed. Boots the
// system and types a seeded random mix of commands (soak-plan.ts) over the
// serial console for the given minutes, checking each command's output, and
// fails on a kernel panic or exception, the shell being restarted by init,
// a command that never gives the prompt back (a hang or a lost prompt),
// wrong output, or free memory that keeps falling (MemFree sampled every
// few commands).
import { OskitError } from '../errors.js';
import { notice } from '../log.js';
import { rel, type Project } from '../project.js';
import { stripAnsi } from './console.js';
import { bootGuestShell } from './guest-shell.js';
import { leakVerdict, MEMFREE_COMMAND, parseMemFree, SoakPlan, type SoakCommand } from './soak-plan.js';
import type { BootOptions } from './session.js';

export interface SoakOptions extends BootOptions {
  minutes: number;
  seed?: number;
  /** Commands between MemFree samples. */
  sampleEvery?: number;
  /** Progress lines (default: unless silent). */
  progress?: (line: string) => void;
}

export interface SoakResult {
  seed: number;
  commands: number;
  memFreeKb: number[];
  logFile: string;
  elapsedMs: number;
}

const BOOT_MS = 120_000;
/** One command's bound: a hang catcher (the slowest command takes well under a second under TCG). */
const COMMAND_MS = 30_000;
/** What the kernel or init print when something broke. */
const BROKEN = /KERNEL PANIC|^EXCEPTION:|init: .* killed by signal|Triple fault/;

function matches(output: string, expect: string | RegExp): boolean {
  return typeof expect === 'string' ? output === expect : expect.test(output);
}

export async function runSoak(project: Project, options: SoakOptions): Promise<SoakResult> {
  if (!(options.minutes > 0)) throw new OskitError(`--minutes must be a positive number (got ${options.minutes})`);
  const seed = options.seed ?? (Date.now() % 1_000_000);
  const progress = options.progress ?? (options.silent ? () => {} : notice);
  const plan = new SoakPlan(seed);
  const g = await bootGuestShell(project, { ...options, logPrefix: 'soak' });
  const vm = g.console;
  const started = Date.now();
  const memFreeKb: number[] = [];
  let commands = 0;
  let broken: string | undefined;
  const stop = vm.onLine((line) => {
    if (!broken && BROKEN.test(line)) broken = line;
  });
  const fail = (what: string, details = ''): never => {
    throw new OskitError(`soak (seed ${seed}): ${what}`, `reproduce with: oskit soak --seed ${seed} --minutes ${options.minutes}; serial log ${rel(project, vm.logFile)}`, {
      details: `${details}--- last console lines ---\n${vm.tail(20).join('\n')}\n`,
    });
  };
  const type = async (c: SoakCommand) => {
    let output: string;
    try {
      output = stripAnsi(await vm.run(c.line, COMMAND_MS));
    } catch (e) {
      return fail(`\`${c.line}\` did not give the prompt back: ${(e as Error).message}`);
    }
    commands++;
    if (broken) fail(`the system broke during \`${c.line}\`: ${broken}`);
    if (!matches(output, c.expect)) {
      fail(`wrong output from \`${c.line}\``, `--- expected ---\n${String(c.expect)}\n--- got ---\n${output}\n`);
    }
    return output;
  };
  try {
    await vm.expect(vm.prompt, BOOT_MS).catch((e: Error) => fail(`no prompt after boot: ${e.message}`));
    vm.promptConsumed(true);
    await type(plan.setup());
    const sampleEvery = options.sampleEvery ?? 20;
    const deadline = started + options.minutes * 60_000;
    let lastProgress = Date.now();
    while (Date.now() < deadline) {
      if (commands % sampleEvery === 0) {
        const out = await type({ line: MEMFREE_COMMAND, expect: /^MemFree: +\d+ kB\n$/ });
        memFreeKb.push(parseMemFree(out)!);
        const leak = leakVerdict(memFreeKb);
        if (leak) fail(leak);
      }
      await type(plan.next());
      if (Date.now() - lastProgress > 15_000) {
        lastProgress = Date.now();
        progress(`soak: ${commands} commands, ${Math.round((Date.now() - started) / 1000)} s, MemFree ${memFreeKb.at(-1)} kB`);
      }
    }
    const out = await type({ line: MEMFREE_COMMAND, expect: /^MemFree: +\d+ kB\n$/ });
    memFreeKb.push(parseMemFree(out)!);
    const leak = leakVerdict(memFreeKb);
    if (leak) fail(leak);
    await vm.sendLine('exit');
    await vm.expect(/^Halting system\.\.\.$/m, COMMAND_MS).catch((e: Error) => fail(`exit did not halt the system: ${e.message}`));
    const exit = await vm.waitExit();
    if (exit.status !== 33) fail(`QEMU did not end cleanly after exit (status ${exit.status ?? `signal ${exit.signal}`})`);
  } finally {
    stop();
    await g.close();
  }
  return { seed, commands, memFreeKb, logFile: vm.logFile, elapsedMs: Date.now() - started };
}
