// `--busybox` interactively: Debian's unmodified static busybox ash is the
// shell init starts, typed at over the serial console key by key: its line
// editing echo, a for loop, a function, a here-document through a pipeline,
// a background job and `wait`, then busybox's `poweroff` applet, which
// signals PID 1 (SIGUSR2, as busybox's own init expects), halts the machine
// and ends QEMU cleanly.
import { existsSync, readFileSync } from 'node:fs';
import tap from 'tap';
import { elfInterpreter, HOST_BUSYBOX } from '../../harness/image/busybox.js';
import { stripAnsi } from '../../harness/vm/console.js';
import { EXIT_SUCCESS } from '../../harness/vm/exit.js';
import { bootGuestShell } from '../../harness/vm/guest-shell.js';
import { bootOptions, project, qemuTest } from './helpers.js';

const BOOT_MS = 120_000;
const NAME = "busybox's ash as the shell: loops, functions, here-documents, jobs, and poweroff";

function whyNoBusybox(): string | undefined {
  if (!existsSync(HOST_BUSYBOX)) return `${HOST_BUSYBOX} is missing (Debian package busybox-static; oskit doctor --fix installs it)`;
  if (elfInterpreter(readFileSync(HOST_BUSYBOX)) !== '') return `${HOST_BUSYBOX} is not statically linked (install busybox-static)`;
  return undefined;
}

const missing = whyNoBusybox();
if (missing) tap.test(NAME, { skip: missing }, () => {});
else qemuTest(NAME, async (t) => {
  const g = await bootGuestShell(project, { ...bootOptions, busybox: true, logPrefix: 'e2e-busybox-shell' });
  const vm = g.console;
  // ash's prompt for root: the working directory and "# ", then its query
  // for the cursor position (ESC [ 6 n: a terminal answers, this pty does
  // not, and ash goes on without the answer).
  vm.prompt = /(?:^|\n)\/\S* # (?:\x1b\[6n)?$/;
  const run = async (line: string) => stripAnsi(await vm.run(line));
  try {
    await vm.expect(/built-in shell \(ash\)/, BOOT_MS);
    t.equal(await run('for i in 1 2 3; do echo n$i; done'), 'n1\nn2\nn3\n', 'a for loop');
    t.equal(await run('f() { echo "fn $1 $#"; }; f x y'), 'fn x 2\n', 'a function with arguments');
    t.equal(await run('i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i'), '3\n', 'a while loop with arithmetic');
    t.equal(await run('readlink /bin/sh; ls /oskit/bin/hello'), 'busybox\n/oskit/bin/hello\n', "busybox's sh is /bin/sh, ours is under /oskit/bin");

    // A here-document: ash's continuation prompt "> " for each line.
    await vm.sendLine('cat <<EOF | tr a-z A-Z');
    await vm.expect(/^> (?:\x1b\[6n)?$/m, 15_000);
    await vm.type('here doc\r');
    await vm.expect(/^> (?:\x1b\[6n)?$/m, 15_000);
    await vm.type('EOF\r');
    await vm.expect(/^HERE DOC\r?$/m, 15_000);
    vm.promptConsumed(false);

    // An interactive ash reports the finished job before its next prompt, as on Linux.
    t.match(await run('sleep 1 & wait $!; echo "waited $?"'), /^waited 0\n\[1\]\+ +Done +sleep 1\n$/, 'a background job, waited for, and its Done notice');
    t.equal(await run('/oskit/bin/hello'), 'Hello from user space!\nSystem call test: write() works!\n', 'our own programs still run');

    await vm.sendLine('poweroff');
    await vm.expect(/^Halting system\.\.\.$/m, 15_000);
    const exit = await vm.waitExit();
    t.same(exit, { status: EXIT_SUCCESS, signal: null }, "busybox's poweroff powers the machine off through init");
    t.notMatch(vm.output, /KERNEL PANIC|EXCEPTION:/, 'no panic, no exception');
  } finally {
    await g.close();
  }
});
