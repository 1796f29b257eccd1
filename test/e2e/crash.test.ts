// Every deliberate fault (crash=KIND) gives a readable report: the exception
// named, its error code decoded, the faulting function at frame #0 of a
// symbolised backtrace, and QEMU left with status 37. A double fault is
// caught on its own IST stack.
import { symbolizerFor, symbolizeLines } from '../../harness/report/symbolize.js';
import { extractCrashReport, runKernelTests } from '../../harness/vm/ktest.js';
import { prepareSession, startConsole } from '../../harness/vm/session.js';
import { bootOptions, project, qemuTest } from './helpers.js';

interface Case {
  kind: string;
  heading: RegExp;
  /** Lines the report must also contain. */
  lines: RegExp[];
  /** Function frame #0 resolves to. */
  frame0: RegExp;
}

const CASES: Case[] = [
  {
    kind: 'pf',
    heading: /^EXCEPTION: #PF page fault \(vector 14\) on CPU 0 in kernel mode$/,
    lines: [/^ {2}error code 0x2: not-present write supervisor$/, /^ {2}CR2 00000000dead0000 \(the faulting address\)$/],
    frame0: /page_fault\(\)\+0x/,
  },
  { kind: 'ud', heading: /^EXCEPTION: #UD invalid opcode \(vector 6\)/, lines: [], frame0: /invalid_opcode\(\)\+0x/ },
  {
    kind: 'gp',
    heading: /^EXCEPTION: #GP general protection \(vector 13\)/,
    lines: [/^ {2}error code 0x0: no selector$/],
    frame0: /general_protection\(\)\+0x/,
  },
  { kind: 'de', heading: /^EXCEPTION: #DE divide error \(vector 0\)/, lines: [], frame0: /divide_error\(\)\+0x/ },
  {
    kind: 'df',
    heading: /^EXCEPTION: #DF double fault \(vector 8\)/,
    lines: [/^ {2}RSP 00000000dead0000/, /^ {2}handler running on IST2 stack/],
    frame0: /double_fault\(\)\+0x/,
  },
  {
    kind: 'stack',
    heading: /^EXCEPTION: #DF double fault \(vector 8\)/,
    lines: [/^ {2}kernel stack overflow: [0-9a-f]{16} is in the guard page below a kernel stack$/, /^ {2}handler running on IST2 stack/],
    frame0: /stack_overflow\(unsigned long\)\+0x/,
  },
];

for (const c of CASES) {
  qemuTest(`crash=${c.kind}: a readable report, frame #0 in the faulting function, QEMU exit 37`, async (t) => {
    const session = await prepareSession(project, bootOptions);
    const { console: vm } = startConsole(session, { cmdlineExtra: `crash=${c.kind}`, logName: `e2e-crash-${c.kind}.log` });
    let exit;
    try {
      await vm.expect(/end of report/, session.config.bootTimeoutMs);
      exit = await Promise.race([
        vm.waitExit(),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 15_000).unref()),
      ]);
    } finally {
      await vm.kill();
    }
    t.same(exit, { status: 37, signal: null }, 'the kernel left QEMU through isa-debug-exit 0x12');
    const report = extractCrashReport(vm.output);
    if (!report) {
      t.fail('a crash report was printed');
      return;
    }
    t.match(report[0], c.heading, 'the exception is named');
    for (const line of c.lines) t.ok(report.some((l) => line.test(l)), `the report has a line matching ${line}`);
    const shown = symbolizeLines(report, symbolizerFor(project));
    const frames = shown.filter((l) => /^\s*#\d+ 0x/.test(l));
    t.match(frames[0] ?? '', c.frame0, 'frame #0 is the faulting function');
    t.ok(frames.length >= 2 && frames.every((f) => /\+0x[0-9a-f]+ \(kernel-src\/[\w/.-]+:\d+\)$/.test(f)), `every frame resolves to function+0xoff (file:line) (${frames.length} frames)`);
    const rip = shown.find((l) => /^ {2}RIP /.test(l)) ?? '';
    t.match(rip, new RegExp(`${c.frame0.source}[0-9a-f]+ \\(kernel-src/kernel/crash\\.cpp:\\d+\\)$`), 'the faulting RIP names the function and its line');
    t.equal(vm.output.match(/^EXCEPTION:/gm)?.length, 1, 'exactly one report');
  });
}

qemuTest('oskit test shows a crash symbolised: the report and the console tail, with source lines', async (t) => {
  // crash= fires before the suites run: the run stops with the report.
  const run = await runKernelTests(project, { ...bootOptions, filter: 'lib', kernelArgs: 'crash=ud' });
  t.notOk(run.passed);
  t.same(run.problems, ['kernel panic or unhandled exception (isa-debug-exit 0x12)']);
  const frames = (run.crashReport ?? []).filter((l) => /^\s*#\d+ 0x/.test(l));
  t.match(frames[0] ?? '', /invalid_opcode\(\)\+0x[0-9a-f]+ \(kernel-src\/kernel\/crash\.cpp:\d+\)$/, 'frame #0 with its line');
  t.ok(frames.length >= 2 && frames.every((f) => /\+0x[0-9a-f]+ \(kernel-src\/[\w/.-]+:\d+\)$/.test(f)), 'every frame with its line');
  const crashed = run.result.tests.find((n) => n.status === 'crashed');
  t.ok(crashed?.consoleTail?.some((l) => /^ {2}RIP .*invalid_opcode\(\)\+0x[0-9a-f]+ \(kernel-src\/kernel\/crash\.cpp:\d+\)$/.test(l)), 'the console tail of the CRASHED result is symbolised too');
});
