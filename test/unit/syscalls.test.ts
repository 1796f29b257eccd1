import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { syscallsCpp, syscallsHpp, syscallsMarkdown, withSyscallSection } from '../../harness/syscall/generate.js';
import { IMPLEMENTED, SYSCALL_LIMIT, SYSCALLS, syscallByName, syscallByNumber } from '../../harness/syscall/table.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

t.test('table: Linux numbers, unique names and numbers', async (t) => {
  t.equal(new Set(SYSCALLS.map((s) => s.nr)).size, SYSCALLS.length, 'numbers are unique');
  t.equal(new Set(SYSCALLS.map((s) => s.name)).size, SYSCALLS.length, 'names are unique');
  // Spot checks against arch/x86/entry/syscalls/syscall_64.tbl (Linux 6.1).
  const known: Array<[number, string]> = [
    [0, 'read'], [1, 'write'], [9, 'mmap'], [15, 'rt_sigreturn'], [39, 'getpid'], [56, 'clone'], [57, 'fork'],
    [59, 'execve'], [60, 'exit'], [61, 'wait4'], [158, 'arch_prctl'], [217, 'getdents64'], [218, 'set_tid_address'],
    [231, 'exit_group'], [257, 'openat'], [262, 'newfstatat'], [273, 'set_robust_list'], [293, 'pipe2'],
    [302, 'prlimit64'], [318, 'getrandom'], [334, 'rseq'], [435, 'clone3'], [450, 'set_mempolicy_home_node'],
  ];
  for (const [nr, name] of known) t.equal(syscallByNumber(nr)?.name, name, `${nr} is ${name}`);
  t.equal(syscallByName('execve')?.frame, true, 'execve receives the frame');
  t.equal(SYSCALL_LIMIT, 451);
  for (let nr = 0; nr <= 334; nr++) t.ok(syscallByNumber(nr), `number ${nr} has a name`);
  t.equal(syscallByNumber(400), undefined, '335..423 are unused on x86-64');
});

t.test('generated kernel sources declare and dispatch exactly the implemented calls', async (t) => {
  const hpp = syscallsHpp();
  const cpp = syscallsCpp();
  for (const s of SYSCALLS) {
    t.equal(hpp.includes(`ErrorOr<i64> sys_${s.name}(`), s.impl, `${s.name}: declared iff implemented`);
  }
  t.match(cpp, /\{ "read", (thunk_read|nullptr), 3, 0x0 \}, \/\/ 0$/m);
  t.match(cpp, /\{ "open", (thunk_open|nullptr), 3, 0x1 \}, \/\/ 2$/m, 'the path argument of open is marked as a string');
  t.match(cpp, /\{ "mount", (thunk_mount|nullptr), 5, 0x7 \}, \/\/ 165$/m, 'source, target and type of mount are strings');
  t.match(cpp, /\{ nullptr, nullptr, 0, 0 \}, \/\/ 400: unused$/m);
  t.equal(cpp.split('\n').filter((l) => /^ {4}\{ /.test(l)).length, SYSCALL_LIMIT, 'one entry per number');
  t.equal(IMPLEMENTED.size, SYSCALLS.filter((s) => s.impl).length);
});

t.test("DESIGN.md's syscall table is the generated one", async (t) => {
  const design = readFileSync(path.join(root, 'DESIGN.md'), 'utf8');
  t.equal(withSyscallSection(design), design, 'DESIGN.md is up to date (regenerate: oskit syscalls --markdown)');
  t.match(syscallsMarkdown(), /return -ENOSYS/);
});
