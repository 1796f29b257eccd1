// The shell as a person uses it, typed over the serial console: a pipeline
// of three programs, every redirection, a file written in /tmp and read
// back, ^C stopping a looping program with the shell still answering,
// background jobs finishing (&, jobs, wait), a faulting program reported
// (`Segmentation fault`, status 139) with the system alive, an unknown
// command (127), and `exit` halting the machine with QEMU ending cleanly.
import { stripAnsi } from '../../harness/vm/console.js';
import { EXIT_SUCCESS } from '../../harness/vm/exit.js';
import { bootGuestShell } from '../../harness/vm/guest-shell.js';
import { bootOptions, project, qemuTest } from './helpers.js';

const BOOT_MS = 120_000;
const NO_SUCH = "ls: cannot access '/nonexistent': No such file or directory\n";

qemuTest('the shell: pipelines, redirections, /tmp, ^C, jobs, a fault, exit', async (t) => {
  const g = await bootGuestShell(project, { ...bootOptions, logPrefix: 'e2e-shell' });
  const vm = g.console;
  const run = async (line: string) => stripAnsi(await vm.run(line));
  try {
    await vm.expect(/^Welcome to Oskit!$/m, BOOT_MS);

    t.equal(await run('yes pipe | head -n 4 | wc -l'), '4\n', 'a pipeline of three programs');
    t.equal(await run('echo a b c | cat | cat | wc -w'), '3\n', 'and of four');

    // A file in /tmp, written with > and >>, read back with < and cat.
    t.equal(await run('echo "first line" > /tmp/notes.txt'), '', '> prints nothing');
    t.equal(await run("echo 'second line' >> /tmp/notes.txt"), '', '>> prints nothing');
    t.equal(await run('cat /tmp/notes.txt'), 'first line\nsecond line\n', '> then >> appends');
    t.equal(await run('wc -l < /tmp/notes.txt'), '2\n', '< feeds standard input');
    t.equal(await run('echo replaced > /tmp/notes.txt; cat /tmp/notes.txt'), 'replaced\n', '> truncates');
    t.equal(await run('ls /tmp'), 'notes.txt\n', 'the file is listed in /tmp');

    // Standard error: 2> alone, and 2>&1 after > (both into one file, in order).
    t.equal(await run('ls /nonexistent 2> /tmp/err.txt'), '', '2> takes the error message');
    t.equal(await run('echo $?'), '2\n', "ls's status for a missing file");
    t.equal(await run('cat /tmp/err.txt'), NO_SUCH);
    t.equal(await run('ls /nonexistent /tmp > /tmp/both.txt 2>&1'), '', '> ... 2>&1 prints nothing');
    t.equal(await run('cat /tmp/both.txt'), `${NO_SUCH}/tmp:\nboth.txt  err.txt  notes.txt\n`, 'error and output in one file');
    t.equal(await run('ls /nonexistent 2>&1 > /tmp/out.txt | wc -l'), '1\n', '2>&1 before > sends the error down the pipe');

    // ^C stops a looping program (once it is seen running); the shell answers.
    await vm.sendLine("sh -c 'echo looping; exec yes > /dev/null'");
    await vm.expect(/^looping\n/m, 15_000);
    await vm.type('\x03');
    await vm.expect(vm.prompt, 15_000);
    vm.promptConsumed(true);
    t.equal(await run('echo $?'), '130\n', 'killed by SIGINT: status 130');
    t.equal(await run('echo still here'), 'still here\n', 'the shell still answers');

    // Background jobs: reported, listed, waited for.
    const started = /^\[1\] (\d+)\n$/.exec(await run('sleep 1 &'));
    t.ok(started, 'a background job is reported as [1] PID');
    t.equal(await run('jobs'), '[1]+ Running  sleep 1 &\n', 'jobs lists it running');
    t.equal(await run('wait'), '[1]+ Done  sleep 1\n', 'wait returns when it is done');
    t.equal(await run('jobs'), '', 'and it is gone from the list');
    t.equal(await run('sleep 3 & echo "$? right away"'), `[1] ${Number(started?.[1]) + 1}\n0 right away\n`, 'the shell does not wait for a background job');
    t.equal(await run('wait %1; echo "waited $?"'), 'waited 0\n[1]+ Done  sleep 3\n', 'the job\'s end is reported before the next prompt, as bash does');

    // A faulting program: the shell names the signal, the status is 128+11.
    const fault = await run('/bin/fault null');
    t.match(fault, /^fault: null\n/, 'the program ran');
    t.match(fault, /^Segmentation fault\n$/m, 'the shell reports it');
    t.equal(await run('echo $?'), '139\n', 'status 139');
    t.equal(await run('nosuch'), 'sh: nosuch: not found\n', 'an unknown command');
    t.equal(await run('echo $?'), '127\n', 'status 127');
    t.equal(await run('/bin/hello'), 'Hello from user space!\nSystem call test: write() works!\n', 'the system is alive');

    await vm.sendLine('exit');
    await vm.expect(/^Halting system\.\.\.$/m, 15_000);
    t.same(await vm.waitExit(), { status: EXIT_SUCCESS, signal: null }, 'QEMU exits cleanly');
    t.notMatch(vm.output, /KERNEL PANIC|EXCEPTION:/, 'no panic');
  } finally {
    await g.close();
  }
});
