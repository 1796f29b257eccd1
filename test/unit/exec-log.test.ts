// Reading `oskit exec` serial logs (fixtures/exec/*.log, written to the
// contract in DESIGN.md): the program's output, the trace lines, the exit
// status, the problems. The same parser fed in arbitrary pieces gives the
// same output, so the live view and the saved log agree.
import { readFileSync } from 'node:fs';
import t from 'tap';
import type { ExitInfo } from '../../harness/vm/console.js';
import { classifyLineStart, execOutcome, ExecLogParser, parseExecLog, type ExecEvent } from '../../harness/vm/exec-log.js';
import { execCmdline, initWords, quoteArg, splitInitArgs } from '../../harness/vm/init-cmdline.js';
import { OskitError } from '../../harness/errors.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/exec/${name}`, import.meta.url), 'utf8');
const qemu = (status: number | null, signal: number | null = null): ExitInfo => ({ status, signal });

interface Case {
  file: string;
  exit: ExitInfo;
  killedFor?: string;
  output: string;
  exitCode: number;
  problems?: RegExp[];
  traces?: string[];
  kernel?: string[];
  note?: RegExp;
  report?: RegExp;
}

const CASES: Case[] = [
  { file: 'hello.log', exit: qemu(33), output: 'Hello from user space!\nSystem call test: write() works!\n', exitCode: 0 },
  { file: 'no-trailing-newline.log', exit: qemu(33), output: 'no newline', exitCode: 3 },
  { file: 'blank-lines.log', exit: qemu(33), output: 'a\n\nb\n\n', exitCode: 42 },
  {
    file: 'killed-segv.log', exit: qemu(33), output: 'about to dereference NULL\n', exitCode: 139,
    kernel: ['[    0.127] proc: pid 1 (segv) page fault at 0x0 (read, user), rip 0x401136: SIGSEGV'],
    note: /^\/bin\/segv killed by signal 11 \(SIGSEGV\)$/,
  },
  {
    file: 'panic.log', exit: qemu(37), output: 'going down\n', exitCode: 37,
    problems: [/^kernel panic \(isa-debug-exit 0x12\)$/], report: /^KERNEL PANIC: sys_write: console buffer corrupted\n.*\n {2}#1 0xffffffff80110010\nend of report$/s,
  },
  {
    file: 'panic.log', exit: qemu(null, 9), killedFor: 'the kernel printed its crash report, but QEMU did not exit within 10 s', output: 'going down\n', exitCode: 37,
    problems: [/^the kernel printed a crash report; stopped QEMU: the kernel printed its crash report, but QEMU did not exit within 10 s$/], report: /^KERNEL PANIC/,
  },
  { file: 'cannot-execute-enoent.log', exit: qemu(39), output: '', exitCode: 127, problems: [/^cannot execute \/bin\/nope: No such file or directory \(ENOENT\)$/] },
  { file: 'cannot-execute-eacces.log', exit: qemu(39), output: '', exitCode: 126, problems: [/^cannot execute \/etc\/motd: Permission denied \(EACCES\)$/] },
  {
    file: 'trace-interleaved.log', exit: qemu(33), output: 'Name? Bob\nno such file\n', exitCode: 0,
    traces: [
      '[pid 1] arch_prctl(ARCH_SET_FS, 0x4d0378) = 0',
      '[pid 1] set_tid_address(0x4d0550) = 1',
      '[pid 1] write(1, 0x4d1000, 6) = 6',
      '[pid 1] read(0, 0x7ffe1000, 1024) = 4',
      '[pid 1] write(1, 0x4d1000, 4) = 4',
      '[pid 1] openat(AT_FDCWD, "/etc/nope", O_RDONLY|O_CLOEXEC, 000) = -1 ENOENT (No such file or directory)',
      '[pid 1] write(1, 0x4d1000, 13) = 13',
      '[pid 1] exit_group(0) = ?',
    ],
  },
  {
    file: 'stopped.log', exit: qemu(33), output: 'spinning...\n', exitCode: 1,
    problems: [/^the kernel left QEMU with success but never said how PID 1 ended \(no "init: PATH exited with status N" line\)$/],
  },
  {
    file: 'stopped.log', exit: qemu(null, 9), killedFor: 'no serial output for 60 s (bootTimeoutMs)', output: 'spinning...\n', exitCode: 1,
    problems: [/^stopped QEMU: no serial output for 60 s \(bootTimeoutMs\)$/],
  },
  { file: 'stopped.log', exit: qemu(1), output: 'spinning...\n', exitCode: 1, problems: [/^QEMU failed \(exit status 1\) before PID 1 ended$/] },
  { file: 'triple-fault.log', exit: qemu(0), output: 'loading a bad TSS\n', exitCode: 3, problems: [/^guest reset \(triple fault; QEMU stopped it under -no-reboot\)$/] },
  { file: 'poweroff.log', exit: qemu(33), output: 'powering off\n', exitCode: 0 },
  {
    file: 'no-init.log', exit: qemu(null, 9), killedFor: 'no serial output for 60 s (bootTimeoutMs)', output: '', exitCode: 1,
    problems: [/^stopped QEMU: no serial output for 60 s \(bootTimeoutMs\); the kernel never printed "init: running PATH" \(does it support init=\?\)$/],
  },
];

for (const c of CASES) {
  t.test(`${c.file}, QEMU ${c.exit.status ?? `signal ${c.exit.signal}`}${c.killedFor ? ', stopped by the harness' : ''}`, async (t) => {
    const text = fixture(c.file);
    const log = parseExecLog(text);
    t.equal(log.output, c.output, 'program output');
    t.same(log.traces, c.traces ?? [], 'trace lines');
    t.same(log.kernel, c.kernel ?? [], 'kernel lines among the output');
    t.notMatch(log.output, /strace:|\[ *\d+\.\d{3}\]/, 'no kernel lines in the output');
    const outcome = execOutcome(log, text, c.exit, c.killedFor);
    t.equal(outcome.exitCode, c.exitCode, 'exit status');
    t.equal(outcome.problems.length, (c.problems ?? []).length, `problems: ${JSON.stringify(outcome.problems)}`);
    (c.problems ?? []).forEach((p, i) => t.match(outcome.problems[i] ?? '', p));
    for (const p of outcome.problems) t.notMatch(p, /\n/, 'each problem is one line');
    if (c.note) t.match(outcome.note ?? '', c.note);
    else t.equal(outcome.note, undefined);
    if (c.report) t.match(outcome.crashReport?.join('\n') ?? '', c.report);
    else t.equal(outcome.crashReport, undefined);
  });
}

/** Feed `text` in pieces of the given sizes (cycling) and collect the events. */
function chunked(text: string, sizes: number[]): ExecEvent[] {
  const parser = new ExecLogParser();
  const events: ExecEvent[] = [];
  let at = 0;
  let i = 0;
  while (at < text.length) {
    const n = sizes[i++ % sizes.length]!;
    events.push(...parser.push(text.slice(at, at + n)));
    at += n;
  }
  events.push(...parser.end());
  return events;
}

t.test('any split of the log gives the same output, traces and kernel lines', async (t) => {
  for (const c of CASES) {
    const text = fixture(c.file);
    const whole = parseExecLog(text);
    for (const sizes of [[1], [2, 3], [7], [64, 1, 5], [4096]]) {
      const events = chunked(text, sizes);
      const of = (k: ExecEvent['kind']) => events.filter((e) => e.kind === k).map((e) => e.text).join('');
      t.equal(of('output'), whole.output, `${c.file} in pieces of ${sizes.join(',')}: output`);
      t.equal(of('trace'), whole.traces.map((l) => `${l}\n`).join(''), `${c.file} in pieces of ${sizes.join(',')}: traces`);
      t.equal(events.map((e) => e.text).join('').length > 0, true);
    }
  }
});

t.test('live view: output shows at once, a held newline or a possible kernel line shows after a pause', async (t) => {
  const p = new ExecLogParser();
  p.push('[    0.100] init: running /bin/sh\n');
  t.ok(p.started);
  t.same(p.push('$ '), [{ kind: 'output', text: '$ ' }], 'a prompt without a newline shows at once');
  t.same(p.push('ls\n'), [{ kind: 'output', text: 'ls' }], 'the newline waits: the next line may say it was the kernel\'s');
  t.ok(p.holding);
  t.same(p.flush(), [{ kind: 'output', text: '\n' }], 'after a pause it shows');
  t.notOk(p.holding);
  t.same(p.push('[x'), [{ kind: 'output', text: '[x' }], 'not a timestamp: shown');
  t.same(p.push('\n[ 12'), [{ kind: 'output', text: '\n' }].slice(0, 0), 'may still be a log line: held');
  t.same(p.flush(), [{ kind: 'output', text: '\n[ 12' }]);
  t.same(p.push('3\n'), [{ kind: 'output', text: '3' }]);
  t.same(p.push('+strace: 1 1 = 2 0x1 0x1000 0x2\n'), [{ kind: 'trace', text: '[pid 1] write(1, 0x1000, 2) = 2\n' }], 'the kernel\'s newline is dropped');
  t.same(p.push('x\n[    0.200] init: /bin/sh exited with status 7\n'), [
    { kind: 'output', text: 'x' },
    { kind: 'output', text: '\n' },
    { kind: 'after', text: '[    0.200] init: /bin/sh exited with status 7\n' },
  ]);
  t.same(p.ending, { kind: 'exited', path: '/bin/sh', status: 7 });
  t.same(p.push('[    0.201] late line\n'), [{ kind: 'after', text: '[    0.201] late line\n' }]);
});

t.test('a report among the output is held back; output resumes after it', async (t) => {
  const text = '[    0.100] init: running /bin/x\nbefore\nEXCEPTION: #PF page fault (vector 14) on CPU 0 in user mode\n  CR2 0000000000000000\nend of report\nafter\n[    0.200] init: /bin/x killed by signal 11 (SIGSEGV)\n';
  const log = parseExecLog(text);
  t.equal(log.output, 'before\nafter\n');
  t.ok(log.crashed);
  const o = execOutcome(log, text, qemu(33));
  t.equal(o.exitCode, 139, 'the program\'s status, not a panic: QEMU did not report one');
  t.match(o.crashReport?.[0], /^EXCEPTION: #PF/);
});

t.test('line starts', async (t) => {
  t.equal(classifyLineStart('strace: ', false), 'kernel');
  t.equal(classifyLineStart('+[    1.000] ', false), 'kernel');
  t.equal(classifyLineStart('[  1.00', false), 'maybe');
  t.equal(classifyLineStart('[  1.00', true), 'program');
  t.equal(classifyLineStart('+', false), 'maybe');
  t.equal(classifyLineStart('+1', false), 'program');
  t.equal(classifyLineStart('KERNEL', false), 'maybe');
  t.equal(classifyLineStart('reboot: Power down', true), 'kernel');
  t.equal(classifyLineStart('hello', false), 'program');
});

t.test('the init command line: quoting and the reference parser', async (t) => {
  const examples: Array<[string[], string]> = [
    [[], 'init=/bin/hello'],
    [['-l', '/etc'], 'init=/bin/hello -- -l /etc'],
    [['hello world'], 'init=/bin/hello -- "hello world"'],
    [[''], 'init=/bin/hello -- ""'],
    [['say "hi"'], 'init=/bin/hello -- "say \\"hi\\""'],
    [['C:\\dir'], 'init=/bin/hello -- "C:\\\\dir"'],
    [['a=b', '--', 'café'], 'init=/bin/hello -- a=b -- café'],
  ];
  for (const [args, line] of examples) {
    t.equal(initWords('/bin/hello', args), line, JSON.stringify(args));
    const after = line.indexOf(' -- ');
    t.same(after < 0 ? [] : splitInitArgs(line.slice(after + 4)), args, `round trip ${JSON.stringify(args)}`);
  }
  const tricky = ['', ' ', '"', '\\', '\\"', 'a b  c', 'end\\', '"quoted"', 'x\\\\y', 'tab-less \u00e9t\u00e9'];
  t.same(splitInitArgs(tricky.map(quoteArg).join(' ')), tricky, 'every quoted argument parses back');
  t.same(splitInitArgs('  a   b  '), ['a', 'b'], 'runs of spaces');
  t.same(splitInitArgs('a"b c"d'), ['ab cd'], 'quoted parts join a word');
  t.same(splitInitArgs('"unterminated arg'), ['unterminated arg']);
  t.same(splitInitArgs('a\\b "c\\d"'), ['a\\b', 'c\\d'], 'other backslashes are themselves');
  t.throws(() => quoteArg('a\nb'), OskitError);
  t.throws(() => initWords('bin/hello', []), /absolute guest path/);
  t.throws(() => initWords('/my prog', []), /must not contain spaces/);
  t.equal(execCmdline('/bin/hello', ['x'], { cmdlineExtra: ' loglevel=3 ', traceSyscalls: true }), 'loglevel=3 trace_syscalls init=/bin/hello -- x');
  t.equal(execCmdline('/bin/hello', []), 'init=/bin/hello');
  t.throws(() => execCmdline('/bin/hello', [], { cmdlineExtra: 'a -- b' }), /must not contain "--"/);
  t.throws(() => execCmdline('/bin/hello', ['x'.repeat(500)]), /the kernel command line for this run is 519 bytes; the kernel reads at most 511/);
});
