// The system programs on the host: usertests complete as an unprivileged
// user, bench-sys's output contract, init's greeting, arguments, restarts
// and power-off, halt/poweroff refused without privilege, every fault kind
// ending with Linux's signal, and hello/forktest/ps/free/uptime.
//
// halt and poweroff only ever run as nobody here: as root they would power
// the host off.
import { chmodSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import t, { type Test } from 'tap';
import { tempDir } from './temp-dir.js';
import {
  binDir, ensureBuilt, fixedEnv, initInNamespaces, makeRoot, noMusl, noNamespaces, ours, sbinDir, unprivilegedPrefix,
} from './userland-helpers.js';

/** A copy of a program where an unprivileged user can run it (build/ may not be readable to nobody). */
function publicCopy(dir: string, from: string): string {
  chmodSync(dir, 0o755);  // mkdtemp made it 0700
  const to = path.join(dir, path.basename(from));
  copyFileSync(from, to);
  return to;
}

/** Run argv as an unprivileged user; undefined (and a pass saying why) when that is impossible. */
async function asNobody(tt: Test, argv: string[], cwd: string, timeoutMs = 60_000) {
  const prefix = await unprivilegedPrefix();
  if (typeof prefix === 'string') {
    tt.pass(`skipped: ${prefix}`);
    return undefined;
  }
  const [file, ...args] = [...prefix, ...argv] as [string, ...string[]];
  return execa(file, args, { cwd, reject: false, stdin: 'ignore', timeout: timeoutMs, env: { ...fixedEnv, PATH: '/usr/bin:/bin' }, extendEnv: false });
}

async function main(): Promise<void> {
  t.test('usertests: every test passes, run unprivileged', async (tt) => {
    const dir = tempDir('oskit-usertests-');
    const exe = publicCopy(dir, path.join(binDir, 'usertests'));
    const list = await ours('usertests', ['-l']);
    const names = list.stdout.trim().split('\n');
    tt.ok(names.length >= 60, `usertests -l lists ${names.length} tests`);
    tt.equal(new Set(names).size, names.length, 'names are unique');
    const unknown = await ours('usertests', ['no-such-test']);
    tt.same([unknown.code, unknown.stderr], [2, "usertests: no test named 'no-such-test' (usertests -l lists them)\n"]);
    const r = await asNobody(tt, [exe], dir, 300_000);
    if (!r) return;
    const out = String(r.stdout);
    for (const name of names) tt.match(out, new RegExp(`^usertests: ${name} \\.\\.\\. ok$`, 'm'), name);
    tt.match(out, new RegExp(`\\nusertests: ${names.length} passed, 0 failed\\n?$`), 'the summary is the last line');
    tt.equal(r.exitCode, 0, 'exit 0 when all passed');
    tt.notMatch(out, /FAILED/, out.split('\n').filter((l) => l.includes('FAILED')).join('\n') || 'no failure');
    // Some tests only: in the listed order, whatever the arguments' order.
    const some = await ours('usertests', ['read', 'write']);
    tt.equal(some.stdout, 'usertests: write ... ok\nusertests: read ... ok\nusertests: 2 passed, 0 failed\n');
  });

  t.test('bench-sys prints its contract lines', async (tt) => {
    const r = await ours('bench-sys', ['-n', '5']);
    tt.equal(r.code, 0);
    const lines = r.stdout.trimEnd().split('\n');
    tt.equal(lines[0], 'bench sys: start', 'the first line, printed first');
    const metrics = ['getpid', 'fork_exit_wait', 'fork_exec_wait', 'pipe_pingpong', 'page_fault', 'tmpfs_read_4k'];
    tt.equal(lines.length, metrics.length + 2);
    metrics.forEach((metric, i) => {
      const m = new RegExp(`^bench sys: ${metric} median_ns=(\\d+) min_ns=(\\d+) max_ns=(\\d+) iters=5$`).exec(lines[i + 1] ?? '');
      tt.ok(m, `${metric}: ${lines[i + 1]}`);
      if (m) tt.ok(Number(m[2]) <= Number(m[1]) && Number(m[1]) <= Number(m[3]) && Number(m[2]) > 0, `${metric}: 0 < min <= median <= max`);
    });
    tt.equal(lines.at(-1), 'bench sys: done');
    const bad = await ours('bench-sys', ['-n', '2', '-e', '/nonexistent/program']);
    tt.equal(bad.code, 1);
    tt.match(bad.stdout, /^bench sys: start\n(bench sys: \w+ .*\n)*bench sys: error: fork_exec_wait: \/nonexistent\/program: No such file or directory\n$/);
  });

  t.test('init (not PID 1): greeting, motd, its program, restarts, no power-off', async (tt) => {
    const dir = tempDir('oskit-init-');
    const motd = path.join(dir, 'motd');
    writeFileSync(motd, 'Message of the day\n');
    const host = os.hostname();
    const greeting = `Welcome to ${host[0]!.toUpperCase()}${host.slice(1)}!\n\nMessage of the day\n`;
    const init = (args: string[], env: Record<string, string> = {}) =>
      execa(path.join(sbinDir, 'init'), args, { cwd: dir, env: { ...fixedEnv, INIT_MOTD: motd, ...env }, extendEnv: false, reject: false, stdin: 'ignore', timeout: 30_000 });
    let r = await init([path.join(binDir, 'echo'), 'from', 'the program']);
    tt.equal(String(r.stdout), `${greeting}from the program\nHalting system...`, 'greets, runs the program, halts');
    tt.equal(r.exitCode, 0, 'not PID 1: exits with the program\'s status instead of powering off');
    r = await init([path.join(binDir, 'sh'), '-c', 'echo "$PATH $HOME $TERM $SHELL"; exit 3']);
    tt.equal(String(r.stdout), `${greeting}/bin:/sbin / linux /bin/sh\nHalting system...`, 'the environment it gives');
    tt.equal(r.exitCode, 3);
    r = await init([path.join(binDir, 'true')], { INIT_MOTD: path.join(dir, 'missing') });
    tt.equal(String(r.stdout), `${greeting.replace('Message of the day\n', '')}Halting system...`, 'no motd: nothing after the blank line');
    // Killed by a signal: one line, then started again (here it then exits normally).
    const script = 'cat marker >/dev/null 2>&1 && exit 0; echo once > marker; kill -SEGV $$';
    r = await init([path.join(binDir, 'sh'), '-c', script]);
    tt.equal(String(r.stdout), `${greeting}init: ${path.join(binDir, 'sh')} killed by signal 11 (Segmentation fault); restarting it\nHalting system...`);
    tt.equal(r.exitCode, 0);
    r = await init(['/nonexistent/program']);
    tt.equal(String(r.stderr), 'init: /nonexistent/program: No such file or directory');
    tt.equal(r.exitCode, 127);
  });

  t.test('init as PID 1 (namespaces): runs its argument, reaps, powers off', async (tt) => {
    const why = await noNamespaces();
    if (why) {
      tt.pass(`skipped: ${why}`);
      return;
    }
    const root = makeRoot(tempDir('oskit-init-pid1-'), 'motd line\n');
    const cmd = initInNamespaces(root, ['/bin/forktest']);
    const r = await execa(cmd.file, cmd.args, { reject: false, stdin: 'ignore', timeout: 30_000 });
    tt.match(String(r.stdout), /^Welcome to Oskit!\n\nmotd line\nParent process: PID (\d+)\nChild process: PID (?!\1)\d+\nFork and exec working correctly!\nHalting system...$/);
    // reboot(RB_POWER_OFF) in a PID namespace: Linux ends its init with SIGINT.
    tt.equal(r.signal, 'SIGINT', 'init called reboot(RB_POWER_OFF)');
    // The shell from standard input (not a terminal: no prompt).
    const sh = initInNamespaces(root);
    const s = await execa(sh.file, sh.args, { reject: false, input: 'echo $$ $PATH\nps | wc -l\nexit\n', timeout: 30_000 });
    tt.match(String(s.stdout), /^Welcome to Oskit!\n\nmotd line\n\d+ \/bin:\/sbin\n5\nHalting system...$/, 'the header, init, sh, ps and wc');
  });

  t.test('halt and poweroff: EPERM without privilege (never run as root here)', async (tt) => {
    const dir = tempDir('oskit-halt-');
    for (const name of ['halt', 'poweroff']) {
      const exe = publicCopy(dir, path.join(sbinDir, name));
      const r = await asNobody(tt, [exe], dir);
      if (!r) return;
      tt.same([r.exitCode, String(r.stderr), String(r.stdout)], [1, `${name}: reboot: Operation not permitted`, ''], name);
    }
  });

  t.test('fault: each kind dies with Linux\'s signal', async (tt) => {
    const expected: Record<string, string> = {
      'kernel-write': 'SIGSEGV', null: 'SIGSEGV', hlt: 'SIGSEGV', ud2: 'SIGILL', div0: 'SIGFPE', stack: 'SIGSEGV', 'exec-data': 'SIGSEGV', cli: 'SIGSEGV',
    };
    for (const [kind, signal] of Object.entries(expected)) {
      const r = await ours('fault', [kind]);
      tt.same([r.stdout, r.signal], [`fault: ${kind}\n`, signal], kind);
    }
    const usage = await ours('fault', ['nonsense']);
    tt.equal(usage.code, 2);
    tt.match(usage.stderr, /^usage: fault KIND\nkinds: kernel-write null hlt ud2 div0 stack exec-data cli\n$/);
  });

  t.test('hello, forktest outside a root with /bin/forkchild, ps, free, uptime', async (tt) => {
    const hello = await ours('hello', []);
    tt.same([hello.stdout, hello.code], ['Hello from user space!\nSystem call test: write() works!\n', 0]);
    if (!existsSync('/bin/forkchild')) {
      const f = await ours('forktest', []);
      tt.equal(f.code, 1, 'forktest fails when the child cannot exec /bin/forkchild');
      tt.match(f.stderr, /^forktest: exec \/bin\/forkchild: No such file or directory\nforktest: child \d+ exited with status 127\n$/);
    }
    const child = await ours('forkchild', []);
    tt.match(child.stdout, /^Child process: PID \d+\n$/);
    const ps = await ours('ps', []);
    tt.match(ps.stdout, /^PID   STATE     CPU  CMD\n1     \S+ +\d+ +\S+\n/);
    const self = new RegExp(`^\\d+ +RUNNING +\\d+ +ps$`, 'm');
    tt.match(ps.stdout, self, 'ps lists itself as running');
    const pids = ps.stdout.trim().split('\n').slice(1).map((l) => Number(l.split(/ +/)[0]));
    tt.same(pids, [...pids].sort((a, b) => a - b), 'sorted by PID');
    const free = await ours('free', []);
    const m = /^Total: (\d+) MB\nUsed:  (\d+) MB\nFree:  (\d+) MB\nKernel: (\d+) MB\nHeap: (\d+) MB\n$/.exec(free.stdout);
    tt.ok(m, free.stdout);
    if (m) {
      tt.equal(Number(m[2]) + Number(m[3]), Number(m[1]), 'Used + Free = Total');
      const total = /^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
      tt.equal(Number(m[1]), Math.floor(Number(total?.[1]) / 1024), 'Total is MemTotal in MiB');
    }
    const kb = await ours('free', ['-k']);
    tt.match(kb.stdout, /^Total: \d+ kB\nUsed:  \d+ kB\nFree:  \d+ kB\nKernel: \d+ kB\nHeap: \d+ kB\n$/);
    const up = await ours('uptime', []);
    const hostUp = Math.floor(Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]));
    const u = /^System uptime: (\d+)d (\d+)h (\d+)m (\d+)s\n/.exec(up.stdout);
    tt.ok(u, up.stdout);
    if (u) {
      const seconds = Number(u[1]) * 86400 + Number(u[2]) * 3600 + Number(u[3]) * 60 + Number(u[4]);
      tt.ok(Math.abs(seconds - hostUp) <= 2, `uptime ${seconds} s, /proc/uptime ${hostUp} s`);
      tt.ok(Number(u[2]) < 24 && Number(u[3]) < 60 && Number(u[4]) < 60);
    }
    if (existsSync('/proc/schedstat')) tt.match(up.stdout, /\nTick count: \d+\n$/);
    else tt.same([up.code, up.stderr], [1, 'uptime: /proc/schedstat: No such file or directory\n'], 'no /proc/schedstat on this host');
  });
}

if (noMusl) {
  t.test('userland system programs', { skip: noMusl }, () => {});
} else {
  await ensureBuilt();
  await main();
}
