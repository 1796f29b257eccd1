// Our shell on a terminal (a pty, as the serial console will be): the line
// editor's keys, ^C and ^Z reaching the foreground job and never the shell,
// background job reports; then the seed's example session (section 3.4)
// typed into /sbin/init running as PID 1 in new namespaces, chrooted into a
// copy of build/user/rootfs with hostname "oskit".
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { Console } from '../../harness/vm/console.js';
import { tempDir } from './temp-dir.js';
import { binDir, ensureBuilt, initInNamespaces, makeRoot, noMusl, noNamespaces, ourPath } from './userland-helpers.js';

const MOTD = 'Welcome to Oskit - a minimal operating system built with oskit!\n';

/** Our shell on a new pty in a new directory, with a clean environment. */
function startShell(): { vm: Console; prompt: string } {
  const dir = tempDir('oskit-pty-');
  const vm = Console.start({
    binary: 'env',
    args: ['-i', `PATH=${ourPath}`, 'HOME=/', 'TERM=vt100', 'LC_ALL=C', path.join(binDir, 'sh')],
    logFile: path.join(dir, 'console.log'),
    cwd: dir,
  });
  return { vm, prompt: `${os.hostname()}:${dir}$ ` };
}

async function main(): Promise<void> {
  t.test('line editing: arrows, backspace, home/end, delete, history, ^C, ^U, ^D', async (tt) => {
    const { vm, prompt } = startShell();
    try {
      await vm.expect(prompt, 10_000);
      const run = async (keys: string, output: string, what: string) => {
        vm.send(keys);
        await vm.expect(`\n${output}\n${prompt}`, 10_000);
        tt.pass(what);
      };
      await run('echo abc\x1b[D\x1b[DX\r', 'aXbc', 'left arrow twice, then insert');
      await run('echo xyz\x7f\x7fQ\r', 'xQ', 'backspace twice');
      await run('cho hi\x1b[He\x1b[F!\r', 'hi!', 'Home (ESC [ H) and End (ESC [ F)');
      await run('cho home\x1b[1~e\x1b[4~2\r', 'home2', 'Home (ESC [ 1 ~) and End (ESC [ 4 ~)');
      await run('echo abXc\x1b[D\x1b[D\x1b[3~\r', 'abc', 'Delete (ESC [ 3 ~)');
      await run('echo rightX\x1b[D\x1b[D\x1b[C\x7f\r', 'righX', 'left, left, right, backspace');
      await run('\x1b[A\x1b[A\r', 'abc', 'up twice: the command before last');
      await run('echo new\x1b[A\x1b[B\r', 'new', 'up then down: the line being typed comes back');
      await run('echo ab\x1b[D\x04\r', 'a', '^D on a non-empty line deletes');
      await run('garbage\x15echo u\r', 'u', '^U cuts the line');
      vm.send('echo discarded\x03');
      await vm.expect(`^C\n${prompt}`, 10_000);
      await run('echo kept $?\r', 'kept 130', '^C discards the line; $? is 130');
      tt.notMatch(vm.output, /^discarded$/m, 'the discarded line never ran');
      vm.send('\x04');
      tt.same(await vm.waitExit(), { status: 0, signal: null }, '^D on an empty line exits');
    } finally {
      await vm.kill();
    }
  });

  t.test('job control: ^C and ^Z reach the foreground job, never the shell', async (tt) => {
    const { vm, prompt } = startShell();
    try {
      await vm.expect(prompt, 10_000);
      vm.send('sleep 10\r');
      await vm.expect('sleep 10\n', 10_000);
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      vm.send('\x03');
      await vm.expect(prompt, 5_000);
      tt.ok(Date.now() - started < 5_000, 'back at the prompt long before sleep 10 ends');
      vm.send('echo alive $?\r');
      await vm.expect('\nalive 130\n', 10_000);
      vm.send('sleep 10\r');
      await vm.expect('sleep 10\n', 10_000);
      await new Promise((r) => setTimeout(r, 300));
      vm.send('\x1a');
      await vm.expect(`[1]+ Stopped  sleep 10\n${prompt}`, 5_000);
      vm.send('jobs\r');
      await vm.expect('\n[1]+ Stopped  sleep 10\n', 5_000);
      vm.send('kill -KILL %1\r');
      await vm.expect(`kill -KILL %1\n${prompt}`, 5_000);
      await new Promise((r) => setTimeout(r, 300));  // the job's end is reported at the next prompt after it
      vm.send('\r');
      await vm.expect('[1]+ Killed  sleep 10\n', 5_000);
      tt.pass('^Z stops the job; kill %1 ends it; its end is reported at the next prompt');
      vm.send('sleep 0.3 &\r');
      const m = await vm.expect(/\n\[1\] (\d+)\n/, 5_000);
      tt.ok(Number(m[1]) > 0, 'a background job prints [1] PID');
      vm.send('wait\r');
      await vm.expect('[1]+ Done  sleep 0.3\n', 5_000);
      tt.pass('and [1]+ Done when it has finished');
      vm.send('sleep 10 &\r');
      await vm.expect(/\n\[1\] \d+\n/, 5_000);
      vm.send('wait\r');
      await new Promise((r) => setTimeout(r, 300));
      vm.send('\x03');
      await vm.expect(prompt, 5_000);
      vm.send('echo $?; kill %1\r');
      await vm.expect('\n130\n', 5_000);
      tt.pass('^C interrupts wait');
      vm.send('exit 3\r');
      tt.same(await vm.waitExit(), { status: 3, signal: null }, 'exit N');
    } finally {
      await vm.kill();
    }
  });

  t.test('the seed session (section 3.4): init as PID 1 runs the shell on the terminal', async (tt) => {
    const why = await noNamespaces();
    if (why) {
      tt.pass(`skipped: ${why}`);
      return;
    }
    const dir = tempDir('oskit-session-');
    const root = makeRoot(dir, MOTD);
    const cmd = initInNamespaces(root);
    const vm = Console.start({ binary: cmd.file, args: cmd.args, logFile: path.join(dir, 'console.log'), cwd: dir });
    try {
      const prompt = 'oskit:/$ ';
      await vm.expect(`Welcome to Oskit!\n\n${MOTD}${prompt}`, 10_000);
      const type = async (line: string, output: RegExp | string) => {
        vm.send(`${line}\r`);
        await vm.expect(`${line}\n`, 10_000);
        const m = await vm.expect(typeof output === 'string' ? `${output}${prompt}` : new RegExp(`^${output.source}${prompt.replace(/[$/]/g, '\\$&')}`), 10_000);
        tt.pass(line);
        return m;
      };
      await type('ls', 'bin/  dev/  etc/  proc/  sbin/  tmp/\n');
      await type('cat /etc/motd', MOTD);
      const ps = await type('ps', /PID   STATE     CPU  CMD\n1     SLEEPING  \d+ +init\n(\d+ +\w+ +\d+ +\S+\n)+/);
      tt.match(ps[0], /^\d+ +SLEEPING +\d+ +sh$/m, 'the shell is listed');
      tt.match(ps[0], /^\d+ +RUNNING +\d+ +ps$/m, 'ps sees itself running');
      await type('/bin/hello', 'Hello from user space!\nSystem call test: write() works!\n');
      const fork = await type('/bin/forktest', /Parent process: PID (\d+)\nChild process: PID (\d+)\nFork and exec working correctly!\n/);
      tt.not(fork[1], fork[2], 'the child has its own PID');
      const free = await type('free', /Total: (\d+) MB\nUsed:  (\d+) MB\nFree:  (\d+) MB\nKernel: \d+ MB\nHeap: \d+ MB\n/);
      tt.equal(Number(free[2]) + Number(free[3]), Number(free[1]), 'Used + Free = Total');
      if (existsSync('/proc/schedstat')) await type('uptime', /System uptime: \d+d \d+h \d+m \d+s\nTick count: \d+\n/);
      else await type('uptime', /System uptime: \d+d \d+h \d+m \d+s\nuptime: \/proc\/schedstat: No such file or directory\n/);
      vm.send('exit\r');
      await vm.expect('exit\nHalting system...\n', 10_000);
      // reboot(RB_POWER_OFF) in a PID namespace: Linux kills its init with SIGINT.
      tt.same(await vm.waitExit(), { status: null, signal: 2 }, 'init powered off (SIGINT from reboot in a PID namespace)');
    } finally {
      await vm.kill();
    }
  });
}

if (noMusl) {
  t.test('userland on a terminal', { skip: noMusl }, () => {});
} else {
  await ensureBuilt();
  await main();
}
