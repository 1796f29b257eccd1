// Processes end to end through `oskit exec`: the seed's forktest, the
// usertests system-call suite at 1, 2, 4 and 8 CPUs, faulting programs that
// are killed while the system goes on, and many concurrent forks with every
// page coming back.
import { accel, qemuTest, runCli } from './helpers.js';

qemuTest("forktest: the seed's lines, the child's line from the exec'd program", async (t) => {
  const r = await runCli(t, ['exec', '--accel', accel, '/bin/forktest']);
  t.equal(r.exitCode, 0, r.stderr);
  const m = /^Parent process: PID (\d+)\nChild process: PID (\d+)\nFork and exec working correctly!\n$/.exec(r.stdout);
  t.ok(m, `the three lines (got ${JSON.stringify(r.stdout)})`);
  if (m) t.ok(Number(m[2]) > Number(m[1]), 'the child has a new, higher PID');
});

for (const cpus of ['1', '2', '4', '8']) {
  qemuTest(`usertests passes everything on ${cpus} CPU${cpus === '1' ? '' : 's'}`, async (t) => {
    const r = await runCli(t, ['exec', '--accel', accel, '--smp', cpus, '/bin/usertests']);
    const summary = /^usertests: (\d+) passed, (\d+) failed$/m.exec(r.stdout);
    t.ok(summary, 'the summary line');
    t.equal(summary?.[2], '0', `no failures:\n${r.stdout.split('\n').filter((l) => /FAILED/.test(l)).join('\n')}`);
    t.ok(Number(summary?.[1]) >= 60, 'the whole suite ran');
    t.equal(r.exitCode, 0, r.stderr);
  });
}

qemuTest('faulting programs are killed with the signal Linux sends; the system goes on', async (t) => {
  // kind, expected status (128 + signal)
  const kinds: Array<[string, number]> = [
    ['kernel-write', 139], ['null', 139], ['hlt', 139], ['cli', 139], ['ud2', 132], ['div0', 136], ['stack', 139],
    ['exec-data', 139],
  ];
  const script = kinds.map(([k]) => `/bin/fault ${k}; echo "after ${k} $?"`).join('; ');
  const r = await runCli(t, ['exec', '--accel', accel, '/bin/sh', '-c', `${script}; echo alive`]);
  t.equal(r.exitCode, 0, r.stderr);
  for (const [kind, status] of kinds) t.match(r.stdout, new RegExp(`^after ${kind} ${status}$`, 'm'), `${kind}: status ${status}`);
  t.match(r.stdout, /^alive$/m, 'the shell outlived them all');
  // One kernel line per fatal fault, naming the signal.
  t.match(r.stderr, /fault\[\d+\]: killed by SIGSEGV \(Segmentation fault\)/);
  t.match(r.stderr, /fault\[\d+\]: killed by SIGILL \(Illegal instruction\)/);
  t.match(r.stderr, /fault\[\d+\]: killed by SIGFPE \(Floating point exception\)/);
  t.notMatch(r.stderr, /KERNEL PANIC|EXCEPTION:/);
});

qemuTest('many concurrent forks on 4 CPUs: every process succeeds, every page comes back', async (t) => {
  // MemFree is read by `free -k` between runs, when forkstress and all its
  // processes are gone; the first run warms the kernel's caches.
  const r = await runCli(t, ['exec', '--accel', accel, '--smp', '4', '/bin/sh', '-c',
    'forkstress; free -k; forkstress; free -k; forkstress; free -k']);
  t.equal(r.exitCode, 0, r.stderr);
  const runs = [...r.stdout.matchAll(/^forkstress: (\d+) processes .*, (\d+) failed,/gm)];
  t.equal(runs.length, 3, 'three runs');
  for (const m of runs) t.equal(m[2], '0', `${m[1]} processes, none failed`);
  const free = [...r.stdout.matchAll(/^Free: +(\d+) kB$/gm)].map((m) => Number(m[1]));
  t.equal(free.length, 3, 'free after each run');
  t.equal(free[1], free[0], `no page lost in the second run (${free.join(', ')} kB)`);
  t.equal(free[2], free[0], 'nor in the third');
  t.notMatch(r.stderr, /KERNEL PANIC|EXCEPTION:|killed by/);
});
