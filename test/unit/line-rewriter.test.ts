// `oskit run --trace-syscalls`: the console rewriter decodes the kernel's
// trace lines in place beside symbolisation. Other text is written at once;
// a possible trace line is held to its newline (or until released).
import t from 'tap';
import { ConsoleRewriter } from '../../harness/report/console-rewrite.js';
import { decodeTraceLine, mayBeTraceLine } from '../../harness/syscall/decode.js';

const tracing = () => new ConsoleRewriter(undefined, { rewrite: decodeTraceLine, mayRewrite: mayBeTraceLine });

t.test('ordinary output passes at once, partial lines included', async (t) => {
  const r = tracing();
  t.equal(r.push('$ '), '$ ', 'a prompt is not held');
  t.equal(r.push('ls\r\nbin etc\r\n'), 'ls\r\nbin etc\r\n');
});

t.test('trace lines are held to their newline and decoded in place', async (t) => {
  const r = tracing();
  let out = r.push('Hello\nstr');
  t.equal(out, 'Hello\n', 'a possible trace line waits');
  t.ok(r.holding);
  out += r.push('ace: 1 1 = 6 0x1 0x401000 0x6');
  t.equal(out, 'Hello\n');
  out += r.push('\r\nabc\n+strace: 1 3 = 0 0x3\n');
  t.equal(out, 'Hello\n[pid 1] write(1, 0x401000, 6) = 6\r\nabc\n[pid 1] close(3) = 0\n', 'CR LF kept');
  t.match(r.push('strace: not a trace line\n'), /^strace: not a trace line\n$/, 'malformed lines stay as they are');
});

t.test('a released start is written as it is, and its line is not rewritten', async (t) => {
  const r = tracing();
  t.equal(r.push('s'), '');
  t.equal(r.release(), 's');
  t.equal(r.push('trace: 1 3 = 0 0x3\n'), 'trace: 1 3 = 0 0x3\n');
});

t.test('without the transform, trace lines pass unchanged', async (t) => {
  const r = new ConsoleRewriter(undefined);
  t.equal(r.push('strace: 1 3 = 0 0x3\n'), 'strace: 1 3 = 0 0x3\n');
});
