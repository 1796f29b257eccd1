// The command-line tools of /bin against the real thing on the host:
// coreutils (ls, cat, echo, wc, head, mkdir, rm, cp, mv, sleep, true,
// false), GNU grep -F and procps kill -l. Each case runs ours and the host's
// with the same arguments in identical fresh directories, in the C locale,
// and compares standard output, standard error, the exit status and the
// directory tree left behind.
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import t, { type Test } from 'tap';
import { discoverUserland, USER_CC, USER_CFLAGS } from '../../harness/build/userland.js';
import { findExecutable } from '../../harness/doctor/tools.js';
import { tempDir } from './temp-dir.js';
import { ensureBuilt, host, noMusl, ours, project, repoRoot, rootfs, type RunResult } from './userland-helpers.js';

/** The same small tree in a new directory. */
function fixture(): string {
  const dir = tempDir('oskit-tools-');
  writeFileSync(path.join(dir, 'a.txt'), 'alpha\nbeta\ngamma\nBeta again\n');
  writeFileSync(path.join(dir, 'b.txt'), 'one two  three\n\nfour\tfive six\nno newline at the end');
  writeFileSync(path.join(dir, 'empty.txt'), '');
  writeFileSync(path.join(dir, '.hidden'), 'secret\n');
  writeFileSync(path.join(dir, 'lines.txt'), Array.from({ length: 25 }, (_, i) => `line ${i + 1}\n`).join(''));
  writeFileSync(path.join(dir, 'script.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(path.join(dir, 'script.sh'), 0o755);
  mkdirSync(path.join(dir, 'sub', 'deeper'), { recursive: true });
  writeFileSync(path.join(dir, 'sub', 'x'), 'x\n');
  writeFileSync(path.join(dir, 'sub', 'deeper', 'y'), 'y\n');
  mkdirSync(path.join(dir, 'emptydir'));
  symlinkSync('a.txt', path.join(dir, 'link'));
  return dir;
}

/** Every path under dir with its type, permission bits and content hash. */
function snapshot(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const p = path.join(rel, name);
    const st = lstatSync(path.join(dir, p));
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isDirectory()) out.push(`${p}/ ${mode}`, ...snapshot(dir, p));
    else if (st.isSymbolicLink()) out.push(`${p} -> ${readlinkSync(path.join(dir, p))}`);
    else out.push(`${p} ${mode} ${createHash('sha1').update(readFileSync(path.join(dir, p))).digest('hex').slice(0, 12)}`);
  }
  return out;
}

interface Case {
  /** The command line, ours: [program, ...args]. */
  cmd: string[];
  /** The host's command line when it differs. */
  ref?: string[];
  input?: string;
  /** Compare the tree left in the directory as well. */
  tree?: boolean;
  /** Compare standard error (default true). */
  stderr?: boolean;
}

const same = (r: RunResult) => ({ stdout: r.stdout, stderr: r.stderr, code: r.code, signal: r.signal });

async function compare(tt: Test, c: Case): Promise<void> {
  const ourDir = fixture();
  const refDir = fixture();
  const [name, ...args] = c.cmd as [string, ...string[]];
  const [refName, ...refArgs] = (c.ref ?? c.cmd) as [string, ...string[]];
  const opts = (cwd: string) => ({ cwd, ...(c.input !== undefined ? { input: c.input } : {}) });
  const mine = same(await ours(name, args, opts(ourDir)));
  const theirs = same(await host(refName, refArgs, opts(refDir)));
  if (c.stderr === false) {
    mine.stderr = theirs.stderr = '';
  }
  tt.same(mine, theirs, `${c.cmd.join(' ')}  vs  ${(c.ref ?? c.cmd).join(' ')}`);
  if (c.tree) tt.same(snapshot(ourDir), snapshot(refDir), `${c.cmd.join(' ')}: the same tree afterwards`);
}

async function main(): Promise<void> {
  const isRoot = process.getuid?.() === 0;

  t.test('ls (the seed format is coreutils ls -p -x -w0; -l is ls -lp)', async (tt) => {
    const short = ['-p', '-x', '-w0'];
    const cases: Case[] = [
      { cmd: ['ls'], ref: ['ls', ...short] },
      { cmd: ['ls', '-a'], ref: ['ls', '-a', ...short] },
      { cmd: ['ls', 'sub'], ref: ['ls', ...short, 'sub'] },
      { cmd: ['ls', 'emptydir'], ref: ['ls', ...short, 'emptydir'] },
      { cmd: ['ls', 'a.txt', 'b.txt'], ref: ['ls', ...short, 'a.txt', 'b.txt'] },
      { cmd: ['ls', 'sub', 'a.txt', 'emptydir'], ref: ['ls', ...short, 'sub', 'a.txt', 'emptydir'] },
      { cmd: ['ls', 'nonexistent'], ref: ['ls', ...short, 'nonexistent'] },
      { cmd: ['ls', 'nonexistent', 'sub'], ref: ['ls', ...short, 'nonexistent', 'sub'] },
      { cmd: ['ls', 'link'], ref: ['ls', ...short, 'link'] },
    ];
    // Owner names: ours knows only root (there is no user database on oskit).
    if (isRoot) {
      cases.push(
        { cmd: ['ls', '-l'], ref: ['ls', '-lp'] },
        { cmd: ['ls', '-la', 'sub'], ref: ['ls', '-lap', 'sub'] },  // not '.': its '..' is the busy /tmp
        { cmd: ['ls', '-l', 'sub', 'a.txt', 'link'], ref: ['ls', '-lp', 'sub', 'a.txt', 'link'] },
      );
    }
    for (const c of cases) await compare(tt, c);
    if (!isRoot) {
      const r = await ours('ls', ['-l'], { cwd: fixture() });
      tt.match(r.stdout, /^total \d+\n-rw-r--r-- 1 \d+ \d+ +\d+ \w{3} [ \d]\d \d\d:\d\d a\.txt\n/, 'ls -l format (not root: compared by pattern)');
    }
  });

  t.test('cat', async (tt) => {
    for (const c of [
      { cmd: ['cat', 'a.txt', 'b.txt'] },
      { cmd: ['cat'], input: 'from standard input\n' },
      { cmd: ['cat', 'a.txt', '-', 'empty.txt'], input: 'middle\n' },
      { cmd: ['cat', 'nonexistent', 'a.txt'] },
      { cmd: ['cat', 'sub'] },
    ] satisfies Case[]) await compare(tt, c);
  });

  t.test('echo (coreutils /bin/echo, not a shell builtin)', async (tt) => {
    for (const c of [
      { cmd: ['echo', 'a', 'b', ' c '] },
      { cmd: ['echo'] },
      { cmd: ['echo', '-n', 'no newline'] },
      { cmd: ['echo', '-e', 'tab\\there\\nnew line\\\\ \\0101'] },
      { cmd: ['echo', '-E', 'raw\\n'] },
      { cmd: ['echo', '-e', 'stop\\chere'] },
      { cmd: ['echo', '-nx', '--', '-n'] },
    ] satisfies Case[]) await compare(tt, c);
  });

  t.test('wc', async (tt) => {
    for (const c of [
      { cmd: ['wc', 'a.txt'] },
      { cmd: ['wc', 'b.txt'] },
      { cmd: ['wc', '-l', 'a.txt'] },
      { cmd: ['wc', '-w', 'b.txt'] },
      { cmd: ['wc', '-c', 'lines.txt'] },
      { cmd: ['wc', '-lw', 'a.txt'] },
      { cmd: ['wc', 'a.txt', 'b.txt', 'empty.txt'] },
      { cmd: ['wc'], input: 'one two\nthree\n' },
      { cmd: ['wc', '-l'], input: 'x\ny\n' },
      { cmd: ['wc', 'nonexistent', 'a.txt'] },
      { cmd: ['wc', 'empty.txt'] },
    ] satisfies Case[]) await compare(tt, c);
  });

  t.test('head', async (tt) => {
    for (const c of [
      { cmd: ['head', 'lines.txt'] },
      { cmd: ['head', '-n', '3', 'lines.txt'] },
      { cmd: ['head', '-n3', 'lines.txt'] },
      { cmd: ['head', '-5', 'lines.txt'] },
      { cmd: ['head', '-n', '2', 'a.txt', 'lines.txt'] },
      { cmd: ['head', '-n', '0', 'a.txt'] },
      { cmd: ['head', '-n', '2'], input: 'one\ntwo\nthree\n' },
      { cmd: ['head', 'nonexistent'] },
      { cmd: ['head', '-n', '100', 'b.txt'] },
    ] satisfies Case[]) await compare(tt, c);
  });

  t.test('grep (GNU grep -F)', async (tt) => {
    const g = (...args: string[]): Case => ({ cmd: ['grep', ...args], ref: ['grep', '-F', ...args] });
    for (const c of [
      g('beta', 'a.txt'),
      g('-v', 'beta', 'a.txt'),
      g('-c', 'a', 'a.txt'),
      g('-i', 'BETA', 'a.txt'),
      g('-n', 'e', 'a.txt', 'b.txt'),
      g('-in', 'ALPHA', 'a.txt'),
      g('-c', 'e', 'a.txt', 'b.txt', 'empty.txt'),
      g('zzz', 'a.txt'),
      g('x', 'nonexistent'),
      g('alpha', 'nonexistent', 'a.txt'),
      g('', 'a.txt'),
      g('a.t', 'a.txt'),
      { cmd: ['grep', '-F', 'beta', 'a.txt'], ref: ['grep', '-F', 'beta', 'a.txt'] },
      { cmd: ['grep', '-Fv', 'beta', 'a.txt'], ref: ['grep', '-Fv', 'beta', 'a.txt'] },
      { ...g('two'), input: 'one\ntwo\nthree two\n' },
    ] satisfies Case[]) await compare(tt, c);
  });

  t.test('mkdir, rm, cp, mv (output, status and the tree afterwards)', async (tt) => {
    for (const c of [
      { cmd: ['mkdir', 'new'], tree: true },
      { cmd: ['mkdir', 'sub'], tree: true },
      { cmd: ['mkdir', 'x/y'], tree: true },
      { cmd: ['mkdir', '-p', 'x/y/z', 'sub/deeper'], tree: true },
      { cmd: ['mkdir', '-p', 'a.txt/inside'], tree: true },
      { cmd: ['mkdir', '-p', 'sub/x/inside'], tree: true },
      { cmd: ['rm', 'a.txt', 'link'], tree: true },
      { cmd: ['rm', 'sub'], tree: true },
      { cmd: ['rm', 'nonexistent'], tree: true },
      { cmd: ['rm', '-f', 'nonexistent', 'b.txt'], tree: true },
      { cmd: ['rm', '-r', 'sub', 'emptydir', 'a.txt'], tree: true },
      { cmd: ['rm', '-rf', 'sub', 'nonexistent'], tree: true },
      { cmd: ['cp', 'a.txt', 'copy.txt'], tree: true },
      { cmd: ['cp', 'script.sh', 'copy.sh'], tree: true },
      { cmd: ['cp', 'a.txt', 'b.txt'], tree: true },
      { cmd: ['cp', 'a.txt', 'sub'], tree: true },
      { cmd: ['cp', 'a.txt', 'b.txt', 'sub/'], tree: true },
      { cmd: ['cp', 'nonexistent', 'x'], tree: true },
      { cmd: ['cp', 'sub', 'x'], tree: true },
      { cmd: ['cp', 'a.txt', 'a.txt'], tree: true },
      { cmd: ['cp', 'a.txt', 'nodir/x'], tree: true },
      { cmd: ['mv', 'a.txt', 'moved.txt'], tree: true },
      { cmd: ['mv', 'a.txt', 'b.txt'], tree: true },
      { cmd: ['mv', 'b.txt', 'sub'], tree: true },
      { cmd: ['mv', 'a.txt', 'b.txt', 'emptydir'], tree: true },
      { cmd: ['mv', 'sub', 'emptydir/sub2'], tree: true },
      { cmd: ['mv', 'nonexistent', 'x'], tree: true },
    ] satisfies Case[]) await compare(tt, c);
  });

  t.test('kill -l (procps)', async (tt) => {
    if (!findExecutable('kill', '/usr/bin:/bin')) {
      tt.pass('skipped: no kill program on the host');
      return;
    }
    await compare(tt, { cmd: ['kill', '-l'] });
    await compare(tt, { cmd: ['kill', '-l', '9'] });
    await compare(tt, { cmd: ['kill', '-l', 'SEGV'] });
    // kill itself: a child of ours killed by name and by number.
    for (const spec of [['-KILL'], ['-s', 'TERM'], ['-9'], []]) {
      const child = execa('sleep', ['30'], { reject: false });
      const r = await ours('kill', [...spec, String(child.pid)]);
      const done = await child;
      tt.same({ code: r.code, stderr: r.stderr }, { code: 0, stderr: '' }, `kill ${spec.join(' ')} PID`);
      tt.equal(done.signal, spec.length === 0 || spec.includes('TERM') ? 'SIGTERM' : 'SIGKILL');
    }
    const gone = await ours('kill', ['999999999']);
    tt.equal(gone.code, 1);
    tt.match(gone.stderr, /^kill: \(999999999\): No such process\n$/);
  });

  t.test('sleep, true, false', async (tt) => {
    const start = Date.now();
    const r = await ours('sleep', ['0.2']);
    const elapsed = Date.now() - start;
    tt.equal(r.code, 0);
    tt.ok(elapsed >= 200 && elapsed < 3000, `sleep 0.2 took ${elapsed} ms`);
    await compare(tt, { cmd: ['sleep', 'x'], stderr: false });
    await compare(tt, { cmd: ['sleep', '0.01s', '0.01'] });
    await compare(tt, { cmd: ['true'] });
    await compare(tt, { cmd: ['false'] });
  });

  t.test('yes: lines until the reader goes away (SIGPIPE), as coreutils yes', async (tt) => {
    await compare(tt, { cmd: ['sh', '-c', 'yes | head -n 3; yes a  b | head -n 2; yes "" | head -n 2; echo $?'] });
    const r = await ours('sh', ['-c', 'yes abc | head -n 30000 | wc -l']);
    tt.equal(r.stdout, '30000\n', 'every line through two pipes');
  });

  t.test('every user source compiles without a warning (the build\'s flags plus -Werror)', async (tt) => {
    const user = discoverUserland(project);
    const sources = [...user.lib, ...user.programs.flatMap((p) => p.sources)];
    for (const src of sources) {
      const r = await execa(USER_CC, [...USER_CFLAGS, '-Werror', '-fsyntax-only', src], { cwd: repoRoot, reject: false, all: true });
      tt.equal(r.exitCode, 0, `${src}${r.exitCode ? `\n${String(r.all)}` : ''}`);
    }
  });

  t.test('the installed programs are stripped static executables', async (tt) => {
    for (const name of ['ls', 'sh', 'usertests']) {
      const r = await execa('file', [path.join(rootfs, 'bin', name)], { reject: false });
      if (r.exitCode !== 0) {
        tt.pass('skipped: file(1) is not installed');
        return;
      }
      tt.match(String(r.stdout), /ELF 64-bit LSB executable, x86-64.*statically linked.*stripped/, name);
      tt.notMatch(String(r.stdout), /not stripped|dynamically/, name);
    }
  });
}

if (noMusl) {
  t.test('userland tools', { skip: noMusl }, () => {});
} else {
  await ensureBuilt();
  await main();
}
