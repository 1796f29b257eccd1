// The seed's example session (section 3.4), typed over the serial console
// key by key as a person would, each command waiting for the prompt: every
// output checked against what the system must print, and the values for
// sense (free + used = total, total matches --mem, uptime grows, ps lists
// init and this shell with their PIDs, forktest's PIDs new each run); then
// `exit` halts the system and QEMU ends cleanly.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stripAnsi } from '../../harness/vm/console.js';
import { EXIT_SUCCESS } from '../../harness/vm/exit.js';
import { bootGuestShell } from '../../harness/vm/guest-shell.js';
import { bootOptions, project, qemuTest, repoRoot } from './helpers.js';

const MEM_MB = 256;
const BOOT_MS = 120_000; // building what is stale, then the boot: a hang catcher

qemuTest("the seed's session over the serial console", async (t) => {
  const g = await bootGuestShell(project, { ...bootOptions, mem: `${MEM_MB}M`, logPrefix: 'e2e-session' });
  const vm = g.console;
  const run = async (line: string) => stripAnsi(await vm.run(line));
  try {
    await vm.expect(/^Welcome to Oskit!$/m, BOOT_MS);
    const motd = readFileSync(path.join(repoRoot, 'fixtures/rootfs/etc/motd'), 'utf8');
    await vm.expect(motd, 15_000);

    // ls /: the root's directories, marked with a slash, on one line.
    const expected = [...new Set([...readdirSync(path.join(repoRoot, 'fixtures/rootfs')), 'bin', 'sbin', 'dev', 'proc', 'tmp'])].sort();
    t.equal(await run('ls /'), `${expected.map((d) => `${d}/`).join('  ')}\n`, 'ls / lists the root');

    t.equal(await run('cat /etc/motd'), motd, 'cat /etc/motd prints the file');

    const shellPid = Number((await run('echo $$')).trim());
    const ps = (await run('ps')).split('\n').filter(Boolean);
    t.match(ps[0], /^PID {3}STATE {5}CPU {2}CMD$/, 'the header');
    const rows = ps.slice(1).map((l) => /^(\d+) +(RUNNING|SLEEPING|WAITING|ZOMBIE|STOPPED|IDLE) +(\d+) +(\S+)$/.exec(l));
    t.ok(rows.every(Boolean), `every row is PID STATE CPU CMD:\n${ps.join('\n')}`);
    const byCmd = new Map(rows.map((m) => [m![4], Number(m![1])]));
    t.equal(byCmd.get('init'), 1, 'init is PID 1');
    t.equal(byCmd.get('sh'), shellPid, `sh is listed with its PID ${shellPid}`);
    t.ok((byCmd.get('ps') ?? 0) > shellPid, 'and ps itself, a newer process');

    t.equal(await run('/bin/hello'), 'Hello from user space!\nSystem call test: write() works!\n');

    const forks = [];
    for (let i = 0; i < 2; i++) {
      const out = await run('/bin/forktest');
      const m = /^Parent process: PID (\d+)\nChild process: PID (\d+)\nFork and exec working correctly!\n$/.exec(out);
      t.ok(m, `forktest's three lines (got ${JSON.stringify(out)})`);
      forks.push([Number(m?.[1]), Number(m?.[2])] as const);
    }
    t.ok(forks[0]![0] > shellPid && forks[0]![1] > forks[0]![0], `the child is newer than the parent (${forks[0]!.join(', ')})`);
    t.ok(forks[1]![0] > forks[0]![1], `the second run has new PIDs (${forks[1]!.join(', ')} after ${forks[0]!.join(', ')})`);

    const free = await run('free');
    const f = /^Total: (\d+) MB\nUsed: +(\d+) MB\nFree: +(\d+) MB\nKernel: (\d+) MB\nHeap: (\d+) MB\n$/.exec(free);
    t.ok(f, `free's five lines (got ${JSON.stringify(free)})`);
    const [total, used, freeMb] = [Number(f?.[1]), Number(f?.[2]), Number(f?.[3])];
    t.equal(used + freeMb, total, 'used + free = total');
    // MemTotal is RAM less what firmware reserves below 1 MiB and at the top (a few MiB).
    t.ok(total <= MEM_MB && total >= MEM_MB - 16, `total ${total} MB matches --mem ${MEM_MB}M`);
    t.ok(freeMb > 0 && used > 0, 'some used, some free');

    const uptime = async () => {
      const out = await run('uptime');
      const m = /^System uptime: (\d+)d (\d+)h (\d+)m (\d+)s\nTick count: (\d+)\n$/.exec(out);
      t.ok(m, `uptime's two lines (got ${JSON.stringify(out)})`);
      const [d, h, min, s, ticks] = (m?.slice(1) ?? []).map(Number) as [number, number, number, number, number];
      return { seconds: ((d * 24 + h) * 60 + min) * 60 + s, ticks };
    };
    const u1 = await uptime();
    // A command that takes a known while: the guest's clock must move past a second boundary.
    await run('sleep 1');
    const u2 = await uptime();
    t.ok(u2.ticks > u1.ticks, `the tick count grows (${u1.ticks} -> ${u2.ticks})`);
    t.ok(u2.seconds >= u1.seconds + 1, `uptime grows by at least the second slept (${u1.seconds}s -> ${u2.seconds}s)`);

    await vm.sendLine('exit');
    await vm.expect(/^Halting system\.\.\.$/m, 15_000);
    const exit = await vm.waitExit();
    t.same(exit, { status: EXIT_SUCCESS, signal: null }, 'QEMU exits cleanly (the guest powered off)');
    t.notMatch(vm.output, /KERNEL PANIC|EXCEPTION:/, 'no panic, no exception');
  } finally {
    await g.close();
  }
});
