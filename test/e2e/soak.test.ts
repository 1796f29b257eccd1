// `oskit soak` for one minute (the seed's "10 minutes of interactive use",
// shortened for the suite): a seeded random mix of commands typed over the
// serial console, each command's output checked, with no panic, hang, lost
// prompt or falling free memory, and the system halting cleanly at the end.
import { accel, qemuTest, runCli } from './helpers.js';

qemuTest('oskit soak --minutes 1: a minute of typing finds nothing', async (t) => {
  const r = await runCli(t, ['soak', '--minutes', '1', '--seed', '2024', '--accel', accel]);
  t.equal(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
  const m = /^soak: passed: (\d+) commands in [\d.]+ min, seed 2024, MemFree (\d+) -> (\d+) kB over (\d+) samples, no panic, no hang$/m.exec(r.stdout);
  t.ok(m, `the summary line (got ${JSON.stringify(r.stdout)})`);
  // Bounds that catch a soak that stopped typing, not speed: under TCG on a
  // loaded host a command takes well under a second.
  t.ok(Number(m?.[1]) >= 30, `${m?.[1]} commands typed`);
  t.ok(Number(m?.[4]) >= 3, `${m?.[4]} MemFree samples`);
});

qemuTest('oskit soak refuses bad arguments before booting', async (t) => {
  const r = await runCli(t, ['soak', '--minutes', 'x']);
  t.equal(r.exitCode, 1);
  t.match(r.stderr, /--minutes must be a positive number \(got "x"\)/);
  const s = await runCli(t, ['soak', '--minutes', '1', '--seed', '-3']);
  t.equal(s.exitCode, 1);
  t.match(s.stderr, /--seed must be a non-negative integer/);
});
