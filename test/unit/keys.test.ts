// Keys for characters and the VGA text screen decoded, without QEMU; and
// the console's typing (key by key, each after its echo; sendLine at the
// prompt; run returning a command's output) against bash on a pty.
import path from 'node:path';
import os from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import t from 'tap';
import { Console, promptPattern, stripAnsi } from '../../harness/vm/console.js';
import { decodeVgaText, keysFor, VGA_TEXT_BYTES } from '../../harness/vm/keys.js';

t.test('keysFor: a US keyboard, Shift for capitals and symbols, Ctrl for control characters', async (t) => {
  t.same(keysFor('a'), ['a']);
  t.same(keysFor('7'), ['7']);
  t.same(keysFor('Q'), ['shift', 'q']);
  t.same(keysFor(' '), ['spc']);
  t.same(keysFor('/'), ['slash']);
  t.same(keysFor('?'), ['shift', 'slash']);
  t.same(keysFor('|'), ['shift', 'backslash']);
  t.same(keysFor('$'), ['shift', '4']);
  t.same(keysFor('"'), ['shift', 'apostrophe']);
  t.same(keysFor('\r'), ['ret']);
  t.same(keysFor('\x7f'), ['backspace']);
  t.same(keysFor('\x03'), ['ctrl', 'c']);
  t.equal(keysFor('é'), undefined);
  for (const ch of "abcXYZ0123456789 -=[]\\;',./!@#$%^&*()_+{}|:\"<>?~`") t.ok(keysFor(ch), `a key for ${JSON.stringify(ch)}`);
});

t.test('decodeVgaText: 25 lines of 80, attributes ignored, blanks trimmed, code page 437', async (t) => {
  const buf = new Uint8Array(VGA_TEXT_BYTES);
  for (let i = 0; i < buf.length; i += 2) [buf[i], buf[i + 1]] = [0x20, 0x07];
  const put = (row: number, col: number, text: string | number[]) => {
    const bytes = typeof text === 'string' ? [...text].map((c) => c.charCodeAt(0)) : text;
    bytes.forEach((b, k) => { buf[(row * 80 + col + k) * 2] = b; buf[(row * 80 + col + k) * 2 + 1] = 0x1f; });
  };
  put(0, 0, 'oskit:/$ ls');
  put(24, 75, 'end!!');
  put(3, 2, [0xc4, 0xb3, 0xdb]);
  const lines = decodeVgaText(buf);
  t.equal(lines.length, 25);
  t.equal(lines[0], 'oskit:/$ ls');
  t.equal(lines[1], '');
  t.equal(lines[3], '  ─│█');
  t.equal(lines[24], `${' '.repeat(75)}end!!`);
});

t.test('type, sendLine and run against bash on a pty', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oskit-type-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const logFile = path.join(dir, 'bash.log');
  // Readline's bracketed-paste mode would put an escape sequence before the prompt.
  writeFileSync(path.join(dir, 'inputrc'), 'set enable-bracketed-paste off\n');
  const vm = Console.start({ binary: 'bash', args: ['--norc', '--noprofile', '-i'], logFile, cwd: '/', env: { PS1: 'oskit:/$ ', TERM: 'dumb', INPUTRC: path.join(dir, 'inputrc'), PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  vm.prompt = promptPattern('oskit');
  try {
    t.equal(stripAnsi(await vm.run('echo one two', 10_000)), 'one two\n', 'the output, not the echoed line');
    t.equal(stripAnsi(await vm.run('echo "$((6 * 7))"', 10_000)), '42\n');
    // A typo and a backspace: the corrected line runs.
    t.equal(stripAnsi(await vm.run('echo abcc\x7f', 10_000)), 'abc\n');
    t.equal(stripAnsi(await vm.run('true', 10_000)), '', 'no output');
    const err = await vm.run('sleep 5', 300).then(() => undefined, (e: Error) => e);
    t.match(err?.message, /timed out after 300 ms waiting for/, 'a command without its prompt fails the wait');
  } finally {
    await vm.kill();
  }
  t.equal(readFileSync(path.join(dir, 'bash.typed'), 'utf8'), '$ echo one two\n$ echo "$((6 * 7))"\n$ echo abcc\x7f\n$ true\n$ sleep 5\n', 'the transcript of typed lines');
});
