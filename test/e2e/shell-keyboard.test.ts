// The seed's session typed on the PS/2 keyboard through QMP
// (input-send-event: scancodes as from a person's keyboard, Shift for
// capitals and symbols, Backspace corrections, Ctrl-C), with what the user
// sees read back from the VGA text screen (pmemsave of 0xB8000, 80x25) and
// compared with what the same commands printed on the serial console.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Test } from 'tap';
import { stripAnsi } from '../../harness/vm/console.js';
import { EXIT_SUCCESS } from '../../harness/vm/exit.js';
import { bootGuestShell, type GuestShell } from '../../harness/vm/guest-shell.js';
import { VGA_COLUMNS } from '../../harness/vm/keys.js';
import { bootOptions, project, qemuTest, repoRoot } from './helpers.js';

const BOOT_MS = 120_000;
const SCREEN_MS = 15_000;

/** Lines as the VGA screen shows them: wrapped at 80 columns. */
function wrap(lines: string[]): string[] {
  return lines.flatMap((l) => {
    const out: string[] = [];
    for (let i = 0; i < l.length; i += VGA_COLUMNS) out.push(l.slice(i, i + VGA_COLUMNS));
    return out.length ? out : [''];
  });
}

/** Poll the screen until `test` holds (the VGA may trail the serial line by a moment); bounded. */
async function screenWhen(g: GuestShell, test: (lines: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + SCREEN_MS;
  for (;;) {
    const lines = await g.qmp.readVgaText();
    if (test(lines) || Date.now() > deadline) return lines;
  }
}

qemuTest("the seed's session on the PS/2 keyboard, read back from the VGA screen", async (t) => {
  const g = await bootGuestShell(project, { ...bootOptions, logPrefix: 'e2e-keyboard' });
  const vm = g.console;
  const press = (key: string) => g.qmp.pressChar(key);
  const prompt = 'oskit:/$';
  try {
    await vm.expect(/^Welcome to Oskit!$/m, BOOT_MS);

    /** Type `keys` on the keyboard (Enter included); the screen must show `shown` and then what serial printed. */
    const check = async (t: Test, keys: string, shown: string) => {
      const serial = stripAnsi(await vm.run(keys, 30_000, { press }));
      const expected = [`${prompt} ${shown}`, ...wrap(serial.replace(/\n$/, '').split('\n').filter((l, i, a) => a.length > 1 || l !== '')), prompt];
      const screen = await screenWhen(g, (lines) => {
        const end = lines.findLastIndex((l) => l !== '');
        return lines.slice(end + 1 - expected.length, end + 1).join('\n') === expected.join('\n');
      });
      const end = screen.findLastIndex((l) => l !== '');
      t.same(screen.slice(end + 1 - expected.length, end + 1), expected, `the screen shows ${JSON.stringify(shown)} and its output`);
      return serial;
    };

    // A typo corrected with Backspace: the line that runs is the corrected one.
    t.match(await check(t, 'lss\x7f /', 'ls /'), /^bin\/ {2}dev\/ {2}etc\//, 'ls / (after a Backspace)');
    const motd = readFileSync(path.join(repoRoot, 'fixtures/rootfs/etc/motd'), 'utf8');
    t.equal(await check(t, 'cat /etc/motd', 'cat /etc/motd'), motd);
    t.match(await check(t, 'ps', 'ps'), /^PID {3}STATE {5}CPU {2}CMD\n1 +\w+ +\d+ +init\n2 +\w+ +\d+ +sh\n/);
    t.equal(await check(t, '/bin/hello', '/bin/hello'), 'Hello from user space!\nSystem call test: write() works!\n');
    t.match(await check(t, '/bin/forktest', '/bin/forktest'), /^Parent process: PID \d+\nChild process: PID \d+\nFork and exec working correctly!\n$/);
    t.match(await check(t, 'free', 'free'), /^Total: \d+ MB\nUsed: +\d+ MB\nFree: +\d+ MB\n/);
    t.match(await check(t, 'uptime', 'uptime'), /^System uptime: \d+d \d+h \d+m \d+s\nTick count: \d+\n$/);
    // Shift for capitals and symbols: every one reaches the program as typed.
    const symbols = 'Hello, World: A+B_C=D (x|y) {1} [2] <3> ~#@%^&*?';
    t.equal(await check(t, `echo '${symbols}'`, `echo '${symbols}'`), `${symbols}\n`, 'capitals and symbols typed with Shift');

    // Ctrl-C on the keyboard stops the foreground program (once it is seen
    // running: cat echoes a line back); the shell answers.
    await vm.sendLine('cat', { press });
    await vm.type('typed to cat\r', { press });
    await vm.expect(/^typed to cat\n/m, 15_000);
    await g.qmp.pressKeys(['ctrl', 'c']);
    await vm.expect(vm.prompt, 15_000);
    vm.promptConsumed(true);
    t.equal(stripAnsi(await vm.run('echo $?', 30_000, { press })), '130\n', 'cat was killed by SIGINT (status 130)');

    await vm.sendLine('exit', { press });
    await vm.expect(/^Halting system\.\.\.$/m, 15_000);
    t.same(await vm.waitExit(), { status: EXIT_SUCCESS, signal: null }, 'QEMU exits cleanly');
  } finally {
    await g.close();
  }
});
