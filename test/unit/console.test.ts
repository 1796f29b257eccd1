// The console driver against small stand-in programs instead of QEMU: the
// same pty, log, expect, send and kill paths, in milliseconds.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { ConsoleRewriter } from '../../harness/report/console-rewrite.js';
import type { Symbolizer } from '../../harness/report/symbolize.js';
import { Console, ExpectError } from '../../harness/vm/console.js';
import { isAlive, livePids } from '../../harness/vm/registry.js';
import { attachTerminal } from '../../harness/vm/terminal.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'oskit-console-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('expect, the log file and CR stripping', async (t) => {
  const vm = Console.start({ binary: 'sh', args: ['-c', 'printf "[ 0.001] one\\r\\n[ 0.002] two\\n"; exec sleep 30'], logFile: path.join(dir, 'a.log') });
  t.ok(livePids().includes(vm.pid), 'registered while running');
  const m = await vm.expect(/\] (t\w+)/, 5000);
  t.equal(m[1], 'two');
  t.notMatch(vm.output, /\r/);
  const err = await vm.expect(/never printed/, 200).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof ExpectError);
  const e = err as ExpectError;
  t.equal(e.pattern, '/never printed/');
  t.equal(e.timeoutMs, 200);
  t.same(e.tail, ['[ 0.001] one', '[ 0.002] two']);
  t.match(e.command, /^sh -c /);
  t.match(e.message, /timed out after 200 ms waiting for \/never printed\//);
  t.match(e.details, /--- last 2 console lines ---\n\[ 0\.001\] one\n\[ 0\.002\] two\n--- QEMU command ---\nsh -c /);
  const exit = await vm.kill();
  t.same(exit, { status: null, signal: 9 });
  t.notOk(isAlive(vm.pid), 'the process is gone after kill()');
  t.notOk(livePids().includes(vm.pid), 'unregistered');
  t.equal(readFileSync(path.join(dir, 'a.log'), 'utf8'), vm.output, 'the log file has everything');
});

t.test('onText sees every piece as it arrives, partial lines included', async (t) => {
  const vm = Console.start({ binary: 'sh', args: ['-c', 'printf "prompt> "; sleep 0.2; printf "a\\r\\nb\\n"'], logFile: path.join(dir, 'o.log') });
  const pieces: string[] = [];
  vm.onText((text) => pieces.push(text));
  await vm.expect('prompt> ', 5000);
  t.equal(pieces.join(''), 'prompt> ', 'the partial line arrives before its newline');
  await vm.waitExit();
  t.equal(pieces.join(''), 'prompt> a\nb\n', 'all of it, without \\r');
  t.equal(pieces.join(''), vm.output);
});

t.test('a process that exits before the pattern fails the wait at once', async (t) => {
  const vm = Console.start({ binary: 'sh', args: ['-c', 'echo bye; exit 3'], logFile: path.join(dir, 'b.log') });
  const started = Date.now();
  const err = (await vm.expect(/ready/, 60_000).catch((e: unknown) => e)) as ExpectError;
  t.ok(Date.now() - started < 10_000, 'did not wait out the bound');
  t.match(err.message, /exited \(status 3\) before \/ready\/ appeared/);
  t.same(await vm.waitExit(), { status: 3, signal: null });
  t.same(err.tail, ['bye']);
});

t.test('send types on the console; matches consume output in order', async (t) => {
  const vm = Console.start({ binary: 'sh', args: ['-c', 'stty -echo; echo ready; while read l; do echo "got $l"; done'], logFile: path.join(dir, 'c.log') });
  await vm.expect('ready', 5000);
  vm.send('first\n');
  await vm.expect('got first', 5000);
  vm.send('second\n');
  await vm.expect('got second', 5000);
  await t.rejects(vm.expect('got first', 100), { message: /timed out after 100 ms waiting for "got first"/ }, 'an earlier match is not found again');
  await vm.kill();
});

t.test('a terminal attached to a console: keys in, output rewritten as it streams, a prompt not held back', async (t) => {
  const vm = Console.start({ binary: 'sh', args: ['-c', 'stty -echo; read l; echo "got $l"; printf "  #0 0x%016x\\r\\n" 4112; printf "  R"; sleep 1; printf "IP text\\r\\n\\$ "; exec sleep 30'], logFile: path.join(dir, 'd.log') });
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d: Buffer) => (shown += d.toString()));
  const symbolizer: Symbolizer = { backend: 'llvm-symbolizer', describe: (q) => q.map((x) => (x.address === 0x1010n ? 'f+0x10 (f.cpp:3)' : undefined)) };
  const detach = attachTerminal(vm, new ConsoleRewriter(symbolizer), { input, output });
  input.write('hello\n');
  const until = async (re: RegExp) => {
    for (let i = 0; i < 100 && !re.test(shown); i++) await new Promise((r) => setTimeout(r, 50));
    return re.test(shown);
  };
  t.ok(await until(/got hello/), 'typed keys reach the program');
  // (the pty turns each LF into CR LF: the program's CR LF arrives as CR CR LF)
  t.ok(await until(/ {2}#0 0x0000000000001010 f\+0x10 \(f\.cpp:3\)\r+\n/), 'a frame line is symbolised, its CRs kept');
  t.ok(await until(/ {2}RIP text\r+\n\$ $/), 'a held line start comes out when its line does not turn into a frame; the prompt is shown at once');
  detach();
  detach();
  t.equal(input.listenerCount('data'), 0, 'keys no longer forwarded after detach');
  await vm.kill();
});

t.test("what the pty lost at exit comes from QEMU's own serial log", async (t) => {
  // The stand-in prints one line on the pty and "its log" holds two, as when
  // node-pty dropped the unread tail 200 ms after QEMU exited.
  const qemuLog = path.join(dir, '.e.log.qemu');
  const vm = Console.start({ binary: 'sh', args: ['-c', `printf "one\\r\\n"; sleep 0.3; printf "one\\r\\ntwo\\r\\n# ktest: 1 passed\\r\\n" > ${qemuLog}`], logFile: path.join(dir, 'e.log'), serialLog: qemuLog });
  const lines: string[] = [];
  vm.onLine((l) => lines.push(l));
  const seen = vm.expect(/# ktest: (\d+) passed/, 10_000);
  await vm.waitExit();
  t.equal(vm.output, 'one\ntwo\n# ktest: 1 passed\n', 'the tail is appended, CRs stripped');
  t.same(lines, ['one', 'two', '# ktest: 1 passed'], 'its lines reach the listeners');
  t.equal((await seen)[1], '1', 'and a waiting expect');
  t.equal(readFileSync(path.join(dir, 'e.log'), 'utf8'), vm.output, 'and the log file');
  t.notOk(existsSync(qemuLog), "QEMU's log is removed");
  const other = Console.start({ binary: 'sh', args: ['-c', `printf "mine\\r\\n"; printf "something else\\r\\n" > ${qemuLog}`], logFile: path.join(dir, 'f.log'), serialLog: qemuLog });
  await other.waitExit();
  t.equal(other.output, 'mine\n', 'a log that does not continue what was seen is ignored');
});
