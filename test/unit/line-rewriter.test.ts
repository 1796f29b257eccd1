// The live line rewriter behind `oskit run --trace-syscalls`: other text is
// written at once, a possible trace line is held to its newline and decoded.
import t from 'tap';
import { decodeTraceLine, mayBeTraceLine } from '../../harness/syscall/decode.js';
import { LineRewriter } from '../../harness/vm/line-rewriter.js';

function rewriter(idleMs = 30) {
  const written: string[] = [];
  const r = new LineRewriter((text) => written.push(text), { rewrite: decodeTraceLine, mayRewrite: mayBeTraceLine, idleMs });
  return { r, written };
}

t.test('ordinary output passes at once, partial lines included', async (t) => {
  const { r, written } = rewriter();
  r.push('$ ');
  t.same(written, ['$ '], 'a prompt is not held');
  r.push('ls\r\nbin etc\r\n');
  t.same(written.join(''), '$ ls\r\nbin etc\r\n');
});

t.test('trace lines are held to their newline and decoded in place', async (t) => {
  const { r, written } = rewriter();
  r.push('Hello\nstr');
  t.same(written.join(''), 'Hello\n', 'a possible trace line waits');
  r.push('ace: 1 1 = 6 0x1 0x401000 0x6');
  t.same(written.join(''), 'Hello\n');
  r.push('\r\nabc\n+strace: 1 3 = 0 0x3\n');
  t.equal(written.join(''), 'Hello\n[pid 1] write(1, 0x401000, 6) = 6\r\nabc\n[pid 1] close(3) = 0\n');
  r.push('strace: not a trace line\n');
  t.match(written.join(''), /strace: not a trace line\n$/, 'malformed lines stay as they are');
});

t.test('a held start that goes quiet is written after the pause', async (t) => {
  const { r, written } = rewriter(20);
  r.push('s');
  t.same(written, []);
  await new Promise((resolve) => setTimeout(resolve, 60));
  t.same(written, ['s']);
  r.push('trace: 1 3 = 0 0x3\n');
  t.equal(written.join(''), 'strace: 1 3 = 0 0x3\n', 'once written, the line is not rewritten');
  r.end();
});

t.test('UTF-8 split across chunks, and the end of the stream', async (t) => {
  const { r, written } = rewriter();
  const bytes = Buffer.from('caf\u00e9\n');
  r.push(bytes.subarray(0, 4));
  r.push(bytes.subarray(4));
  t.equal(written.join(''), 'caf\u00e9\n');
  r.push('strace: 1');
  r.end();
  t.equal(written.join(''), 'caf\u00e9\nstrace: 1', 'what is held is written at the end');
});
