// The trace decoder: raw kernel lines (DESIGN.md, "System call traces") in,
// strace's notation out, for every argument type of the table.
import t from 'tap';
import { decodeTraceLine, decodeTraceText, formatNumber, mayBeTraceLine, parseTraceLine, signalName } from '../../harness/syscall/decode.js';
import { describeErrno, errnoByName, errnoByValue } from '../../harness/syscall/errno.js';
import { SYSCALLS, type ArgType } from '../../harness/syscall/table.js';

const M1 = '0xffffffffffffffff';
const AT_FDCWD = '0xffffffffffffff9c';

// [raw line, decoded line]
const CASES: Array<[string, string]> = [
  // files, fds, AT_FDCWD, open flags with the access mode, modes in octal
  [`strace: 3 257 = 3 ${AT_FDCWD} "/etc/motd" 0x80000 0x0`, '[pid 3] openat(AT_FDCWD, "/etc/motd", O_RDONLY|O_CLOEXEC, 000) = 3'],
  [`strace: 3 257 = -2 ${AT_FDCWD} "/nope" 0x0 0x0`, '[pid 3] openat(AT_FDCWD, "/nope", O_RDONLY, 000) = -1 ENOENT (No such file or directory)'],
  ['strace: 3 257 = 4 0xffffff9c "x" 0x241 0x1b6', '[pid 3] openat(AT_FDCWD, "x", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 4'],
  ['strace: 7 2 = 5 "/tmp/f" 0x4c2 0x180', '[pid 7] open("/tmp/f", O_RDWR|O_CREAT|O_EXCL|O_APPEND, 0600) = 5'],
  ['strace: 1 2 = 3 "/d" 0x410000 0x0', '[pid 1] open("/d", O_RDONLY|O_TMPFILE, 000) = 3'],
  ['strace: 1 2 = 3 "/d" 0x101000 0x0', '[pid 1] open("/d", O_RDONLY|O_SYNC, 000) = 3'],
  ['strace: 1 2 = 3 "/d" 0x10000 0x0', '[pid 1] open("/d", O_RDONLY|O_DIRECTORY, 000) = 3'],
  ['strace: 1 2 = 3 "/d" 0x80000003 0x0', '[pid 1] open("/d", O_ACCMODE|0x80000000, 000) = 3'],
  ['strace: 1 3 = 0 0x3', '[pid 1] close(3) = 0'],
  ['strace: 1 3 = -9 0x63', '[pid 1] close(99) = -1 EBADF (Bad file descriptor)'],
  // read/write: fd decimal, buffer pointer hex, size decimal
  ['strace: 1 1 = 23 0x1 0x401000 0x17', '[pid 1] write(1, 0x401000, 23) = 23'],
  ['strace: 1 0 = -14 0x0 0x0 0x10', '[pid 1] read(0, NULL, 16) = -1 EFAULT (Bad address)'],
  [`strace: 2 8 = -22 0x3 ${M1} 0x7`, '[pid 2] lseek(3, -1, 7) = -1 EINVAL (Invalid argument)'],
  ['strace: 2 8 = 4096 0x3 0x1000 0x2', '[pid 2] lseek(3, 4096, SEEK_END) = 4096'],
  // memory: prot and flags, pointer returns in hex
  [`strace: 1 9 = 139637976727552 0x0 0x2000 0x3 0x22 ${M1} 0x0`, '[pid 1] mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000'],
  [`strace: 1 9 = -12 0x0 0x100000000000 0x0 0x20022 ${M1} 0x0`, '[pid 1] mmap(NULL, 17592186044416, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = -1 ENOMEM (Cannot allocate memory)'],
  ['strace: 1 10 = 0 0x400000 0x1000 0x5', '[pid 1] mprotect(0x400000, 4096, PROT_READ|PROT_EXEC) = 0'],
  ['strace: 1 12 = 4210688 0x0', '[pid 1] brk(NULL) = 0x404000'],
  ['strace: 1 9 = 4096 0x1000 0x1000 0x7 0x10000013 0x3 0x0', '[pid 1] mmap(0x1000, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_SHARED_VALIDATE|MAP_FIXED|0x10000000, 3, 0) = 0x1000'],
  // signals
  ['strace: 4 13 = 0 0x11 0x7ffc0000 0x0 0x8', '[pid 4] rt_sigaction(SIGCHLD, 0x7ffc0000, NULL, 8) = 0'],
  ['strace: 4 14 = 0 0x2 0x7ffc0000 0x7ffc0080 0x8', '[pid 4] rt_sigprocmask(SIG_SETMASK, 0x7ffc0000, 0x7ffc0080, 8) = 0'],
  ['strace: 4 62 = 0 0x5 0x9', '[pid 4] kill(5, SIGKILL) = 0'],
  ['strace: 4 62 = -3 0xffffffff 0x22', '[pid 4] kill(-1, SIGRT_2) = -1 ESRCH (No such process)'],
  ['strace: 4 62 = 0 0x5 0x0', '[pid 4] kill(5, 0) = 0'],
  ['strace: 4 234 = 0 0x4 0x4 0x6', '[pid 4] tgkill(4, 4, SIGABRT) = 0'],
  ['strace: 4 15 = 0', '[pid 4] rt_sigreturn() = 0'],
  // ioctl request names; unknown ones in hex
  ['strace: 2 16 = 0 0x0 0x5401 0x7ffe1000', '[pid 2] ioctl(0, TCGETS, 0x7ffe1000) = 0'],
  ['strace: 2 16 = 0 0x0 0x5413 0x7ffe1000', '[pid 2] ioctl(0, TIOCGWINSZ, 0x7ffe1000) = 0'],
  ['strace: 2 16 = -25 0x3 0x5410 0x7ffe1000', '[pid 2] ioctl(3, TIOCSPGRP, 0x7ffe1000) = -1 ENOTTY (Inappropriate ioctl for device)'],
  ['strace: 2 16 = 0 0x0 0x540e 0x0', '[pid 2] ioctl(0, TIOCSCTTY, 0) = 0'],
  ['strace: 2 16 = 0 0x3 0x5451 0x0', '[pid 2] ioctl(3, FIOCLEX, 0) = 0'],
  ['strace: 2 16 = 0 0x3 0x5421 0x7ffe1000', '[pid 2] ioctl(3, FIONBIO, 0x7ffe1000) = 0'],
  ['strace: 2 16 = -22 0x3 0xdead 0x1', '[pid 2] ioctl(3, 0xdead, 0x1) = -1 EINVAL (Invalid argument)'],
  // fcntl: command names, the argument by command
  ['strace: 2 72 = 0 0x3 0x2 0x1', '[pid 2] fcntl(3, F_SETFD, FD_CLOEXEC) = 0'],
  ['strace: 2 72 = 10 0x3 0x406 0xa', '[pid 2] fcntl(3, F_DUPFD_CLOEXEC, 10) = 10'],
  ['strace: 2 72 = 0 0x3 0x4 0x800', '[pid 2] fcntl(3, F_SETFL, O_NONBLOCK) = 0'],
  ['strace: 2 72 = 32770 0x3 0x3 0x0', '[pid 2] fcntl(3, F_GETFL, 0) = 32770'],
  // processes: clone flags with the exit signal, wait options, execve, exit
  ['strace: 1 56 = 2 0x1200011 0x0 0x0 0x4c4010 0x0', '[pid 1] clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, NULL, NULL, 0x4c4010, 0) = 2'],
  ['strace: 1 56 = 3 0x4111 0x0 0x0 0x0 0x0', '[pid 1] clone(CLONE_VM|CLONE_VFORK|SIGCHLD, NULL, NULL, NULL, 0) = 3'],
  ['strace: 1 57 = 2', '[pid 1] fork() = 2'],
  [`strace: 1 61 = 2 ${M1} 0x7ffe0000 0x0 0x0`, '[pid 1] wait4(-1, 0x7ffe0000, 0, NULL) = 2'],
  [`strace: 1 61 = 0 ${M1} 0x7ffe0000 0x3 0x0`, '[pid 1] wait4(-1, 0x7ffe0000, WNOHANG|WUNTRACED, NULL) = 0'],
  ['strace: 1 247 = 0 0x0 0x0 0x7ffe0000 0x6 0x0', '[pid 1] waitid(0, 0, 0x7ffe0000, WSTOPPED|WEXITED, NULL) = 0'],
  ['strace: 2 59 = -2 "/bin/nope" 0x7ffe0100 0x7ffe0200', '[pid 2] execve("/bin/nope", 0x7ffe0100, 0x7ffe0200) = -1 ENOENT (No such file or directory)'],
  ['strace: 2 59 = 0 "/bin/sh" 0x7ffe0100 0x7ffe0200', '[pid 2] execve("/bin/sh", 0x7ffe0100, 0x7ffe0200) = 0'],
  ['strace: 2 231 = ? 0x0', '[pid 2] exit_group(0) = ?'],
  ['strace: 2 60 = ? 0x7f', '[pid 2] exit(127) = ?'],
  ['strace: 2 39 = 2', '[pid 2] getpid() = 2'],
  ['strace: 2 102 = 0', '[pid 2] getuid() = 0'],
  ['strace: 2 105 = 0 0xffffffff', '[pid 2] setuid(-1) = 0'],
  // at_flags, access modes, faccessat2's AT_EACCESS, unlinkat's AT_REMOVEDIR
  [`strace: 1 262 = 0 ${AT_FDCWD} "/etc" 0x7ffe0000 0x100`, '[pid 1] newfstatat(AT_FDCWD, "/etc", 0x7ffe0000, AT_SYMLINK_NOFOLLOW) = 0'],
  ['strace: 1 262 = 0 0x3 "" 0x7ffe0000 0x1000', '[pid 1] newfstatat(3, "", 0x7ffe0000, AT_EMPTY_PATH) = 0'],
  [`strace: 1 263 = -39 ${AT_FDCWD} "/tmp/d" 0x200`, '[pid 1] unlinkat(AT_FDCWD, "/tmp/d", AT_REMOVEDIR) = -1 ENOTEMPTY (Directory not empty)'],
  [`strace: 1 439 = 0 ${AT_FDCWD} "/bin/sh" 0x1 0x200`, '[pid 1] faccessat2(AT_FDCWD, "/bin/sh", X_OK, AT_EACCESS) = 0'],
  ['strace: 1 21 = 0 "/etc/motd" 0x0', '[pid 1] access("/etc/motd", F_OK) = 0'],
  ['strace: 1 21 = -13 "/root" 0x6', '[pid 1] access("/root", R_OK|W_OK) = -1 EACCES (Permission denied)'],
  [`strace: 1 268 = 0 ${AT_FDCWD} "f" 0x9ed 0x0`, '[pid 1] fchmodat(AT_FDCWD, "f", 04755, 0) = 0'],
  ['strace: 1 95 = 18 0x12', '[pid 1] umask(022) = 18'],
  // pipes and dup
  ['strace: 1 293 = 0 0x7ffe0000 0x80000', '[pid 1] pipe2(0x7ffe0000, O_CLOEXEC) = 0'],
  ['strace: 1 293 = 0 0x7ffe0000 0x0', '[pid 1] pipe2(0x7ffe0000, 0) = 0'],
  ['strace: 1 292 = 1 0x3 0x1 0x80000', '[pid 1] dup3(3, 1, O_CLOEXEC) = 1'],
  ['strace: 1 33 = 1 0x3 0x1', '[pid 1] dup2(3, 1) = 1'],
  // clocks, arch_prctl, reboot, prctl
  ['strace: 1 228 = 0 0x1 0x7ffe0000', '[pid 1] clock_gettime(CLOCK_MONOTONIC, 0x7ffe0000) = 0'],
  ['strace: 1 228 = -22 0x63 0x7ffe0000', '[pid 1] clock_gettime(99, 0x7ffe0000) = -1 EINVAL (Invalid argument)'],
  ['strace: 1 158 = 0 0x1002 0x4d0378', '[pid 1] arch_prctl(ARCH_SET_FS, 0x4d0378) = 0'],
  ['strace: 1 158 = -22 0x9999 0x0', '[pid 1] arch_prctl(0x9999, 0) = -1 EINVAL (Invalid argument)'],
  ['strace: 1 169 = 0 0xfee1dead 0x28121969 0x4321fedc 0x0', '[pid 1] reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, NULL) = 0'],
  ['strace: 1 169 = 0 0xfee1dead 0x28121969 0xcdef0123 0x0', '[pid 1] reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_HALT, NULL) = 0'],
  ['strace: 1 157 = 0 0xf 0x7ffe0000 0x0 0x0 0x0', '[pid 1] prctl(PR_SET_NAME, 0x7ffe0000, 0, 0, 0) = 0'],
  // strings: escapes, truncation after 64 bytes, unreadable strings as addresses
  ['strace: 1 2 = -2 "a\\"b\\\\c\\n\\t\\x01\\xff" 0x0 0x0', '[pid 1] open("a\\"b\\\\c\\n\\t\\x01\\xff", O_RDONLY, 000) = -1 ENOENT (No such file or directory)'],
  [`strace: 1 2 = -36 "${'a'.repeat(64)}"... 0x0 0x0`, `[pid 1] open("${'a'.repeat(64)}"..., O_RDONLY, 000) = -1 ENAMETOOLONG (File name too long)`],
  ['strace: 1 2 = -14 0xdead0000 0x0 0x0', '[pid 1] open(0xdead0000, O_RDONLY, 000) = -1 EFAULT (Bad address)'],
  ['strace: 1 2 = -14 0x0 0x0 0x0', '[pid 1] open(NULL, O_RDONLY, 000) = -1 EFAULT (Bad address)'],
  ['strace: 1 165 = -1 "none" "/proc" "proc" 0x0 0x0', '[pid 1] mount("none", "/proc", "proc", 0, NULL) = -1 EPERM (Operation not permitted)'],
  // unknown numbers and calls without typed arguments, errno values outside the table
  ['strace: 9 500 = -38 0x1 0x2 0x3 0x0 0x0 0x0', '[pid 9] syscall_500(0x1, 0x2, 0x3, 0x0, 0x0, 0x0) = -1 ENOSYS (Function not implemented)'],
  ['strace: 9 29 = -38', '[pid 9] shmget() = -1 ENOSYS (Function not implemented)'],
  ['strace: 9 39 = -600', '[pid 9] getpid() = -1 ERRNO_600 (Unknown error 600)'],
  ['strace: 9 39 = -512', '[pid 9] getpid() = -1 ERESTARTSYS (To be restarted if SA_RESTART is set)'],
  ['strace: 9 39 = -4096', '[pid 9] getpid() = -4096'],
  ['strace: 9 3 = 0 0x3 0x1', '[pid 9] close(3, 0x1) = 0'],
  // the + tag (the kernel broke a partial line) decodes the same
  ['+strace: 1 1 = 3 0x1 0x401000 0x3', '[pid 1] write(1, 0x401000, 3) = 3'],
];

t.test('decoded lines', async (t) => {
  for (const [raw, decoded] of CASES) t.equal(decodeTraceLine(raw), decoded, raw);
});

t.test('what is not a trace line stays undecoded', async (t) => {
  for (const line of [
    '', 'hello', 'strace:', 'strace: 1', 'strace: 1 2 =', 'strace: x 1 = 0', 'strace: 1 1 = 0 0xzz',
    'strace: 1 1 = 0  0x1', 'strace: 1 1 = 0 0x1 ', 'strace: 1 2 = 0 "unterminated', 'strace: 1 2 = 0 "bad\\q"',
    'strace: 1 2 = 0 "raw\ttab"', ' strace: 1 1 = 0', '[    1.000] strace: 1 1 = 0', 'strace: 1 1 = 0 0x11111111111111111',
  ]) t.equal(decodeTraceLine(line), undefined, JSON.stringify(line));
});

t.test('parsed records', async (t) => {
  t.same(parseTraceLine('+strace: 12 257 = -2 0xffffffffffffff9c "/x"... 0x0'), {
    pid: 12, nr: 257, ret: -2n, brokeLine: true,
    args: [{ kind: 'number', value: 0xffffffffffffff9cn }, { kind: 'string', quoted: '"/x"', truncated: true }, { kind: 'number', value: 0n }],
  });
  t.equal(parseTraceLine('strace: 1 60 = ? 0x0')!.ret, undefined);
  t.equal(parseTraceLine('strace: 1 9 = 18446744073709551615')!.ret, -1n, 'rax read as signed 64-bit');
});

t.test('in-place rewriting of a console text', async (t) => {
  const text = '[    0.500] init: running /bin/hello\nHello\nstrace: 1 1 = 6 0x1 0x401000 0x6\nabc\n+strace: 1 1 = 3 0x1 0x401000 0x3\n';
  t.equal(decodeTraceText(text), '[    0.500] init: running /bin/hello\nHello\n[pid 1] write(1, 0x401000, 6) = 6\nabc\n[pid 1] write(1, 0x401000, 3) = 3\n');
  t.equal(decodeTraceText('no traces\n'), 'no traces\n');
});

t.test('stream rewriters know when a partial line may become a trace line', async (t) => {
  for (const p of ['', 's', 'stra', 'strace:', 'strace: ', 'strace: 1 2', '+', '+str', '+strace: 1']) t.ok(mayBeTraceLine(p), JSON.stringify(p));
  for (const p of ['x', 'straw', 'strace:1', '++strace', ' strace', '[  ']) t.notOk(mayBeTraceLine(p), JSON.stringify(p));
});

t.test('every argument type of the table has a notation', async (t) => {
  const types = new Set<ArgType>(SYSCALLS.flatMap((s) => s.args.map((a) => a.type)));
  for (const type of types) {
    const zero = formatNumber(type, 0n);
    t.ok(zero.length > 0, `${type}: 0 -> ${zero}`);
    t.notMatch(formatNumber(type, 0xffffffffffffffffn), /undefined|NaN/, `${type}: all ones`);
  }
  t.equal(formatNumber('size', 0xffffffffffffffffn), '18446744073709551615');
  t.equal(formatNumber('uint', 0x1ffffffffn), '4294967295', 'uint reads the low 32 bits');
  t.equal(formatNumber('int', 0xffffffffn), '-1');
  t.equal(formatNumber('long', 0xffffffffn), '4294967295');
  t.equal(formatNumber('mmap_prot', 0n), 'PROT_NONE');
  t.equal(formatNumber('at_flags', 0n), '0');
  t.equal(formatNumber('wait_options', 0x40000000n), '__WALL');
  t.equal(formatNumber('clone_flags', 0n), '0');
  t.equal(formatNumber('clone_flags', 0x11n), 'SIGCHLD');
  t.equal(formatNumber('sigmask_how', 7n), '7');
  t.equal(formatNumber('whence', 1n), 'SEEK_CUR');
  t.equal(formatNumber('clockid', 7n), 'CLOCK_BOOTTIME');
  t.equal(formatNumber('clockid', 0xfffffffen), '-2', 'CPU clock ids stay numbers');
  t.equal(formatNumber('ioctl_cmd', 0x5402n), 'TCSETS');
  t.equal(formatNumber('ioctl_cmd', 0x5403n), 'TCSETSW');
  t.equal(formatNumber('ioctl_cmd', 0x5404n), 'TCSETSF');
  t.equal(formatNumber('ioctl_cmd', 0x5414n), 'TIOCSWINSZ');
  t.equal(formatNumber('ioctl_cmd', 0x540fn), 'TIOCGPGRP');
  t.equal(formatNumber('ioctl_cmd', 0x5450n), 'FIONCLEX');
  t.equal(formatNumber('fd_flags', 0n), '0');
  t.equal(formatNumber('prctl_option', 38n), 'PR_SET_NO_NEW_PRIVS');
});

t.test('signals and errno values', async (t) => {
  t.equal(signalName(11), 'SIGSEGV');
  t.equal(signalName(9), 'SIGKILL');
  t.equal(signalName(31), 'SIGSYS');
  t.equal(signalName(32), 'SIGRTMIN');
  t.equal(signalName(64), 'SIGRT_32');
  t.equal(signalName(65), '65');
  t.equal(describeErrno(2), 'ENOENT (No such file or directory)');
  t.equal(describeErrno(133), 'EHWPOISON (Memory page has hardware error)');
  t.equal(describeErrno(41), 'ERRNO_41 (Unknown error 41)', '41 is unused on Linux');
  t.equal(errnoByName('EWOULDBLOCK')?.value, 11, 'aliases');
  t.equal(errnoByValue(13)?.name, 'EACCES');
});
