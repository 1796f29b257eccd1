// The system call trace decoder: the kernel prints one raw line per system
// call when `trace_syscalls` is on the command line (DESIGN.md, "System call
// traces"):
//   strace: 3 257 = 3 0xffffffffffffff9c "/etc/motd" 0x80000 0x0
// and this module turns it into strace's notation with the types of
// harness/syscall/table.ts:
//   [pid 3] openat(AT_FDCWD, "/etc/motd", O_RDONLY|O_CLOEXEC, 000) = 3
// Pure functions only; decodeTraceText is the "rewrite console lines" pass
// that composes with backtrace symbolisation (both map text to text).
import { describeErrno, MAX_ERRNO } from './errno.js';
import { syscallByNumber, type ArgType, type Syscall } from './table.js';

/** What starts a trace line; `+` before it says the kernel broke a partial line to print it. */
export const TRACE_TAG = 'strace: ';

export type TraceArg =
  | { kind: 'number'; value: bigint }
  /** A string as the kernel printed it: the quoted, escaped text, and whether it was cut after 64 bytes. */
  | { kind: 'string'; quoted: string; truncated: boolean };

export interface TraceRecord {
  pid: number;
  nr: number;
  /** rax as a signed 64-bit value; undefined for `?` (the call did not return: exit, exit_group, execve over). */
  ret: bigint | undefined;
  args: TraceArg[];
  /** The line was tagged `+`: the newline before it was the kernel's, not the program's. */
  brokeLine: boolean;
}

const HEAD = /^(\+?)strace: (\d+) (\d+) = (\?|-?\d+)/;

/** Parse the quoted string starting at text[at] === '"'; returns the end index (after the quote) or -1. */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return i + 1;
    if (c === '\\') {
      const n = text[i + 1];
      if (n === '"' || n === '\\' || n === 'n' || n === 't') i += 2;
      else if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) i += 4;
      else return -1;
    } else if (c < ' ' || c > '~') return -1;
    else i++;
  }
  return -1;
}

/** A raw trace line (without its newline) as a record, or undefined when it is not one. */
export function parseTraceLine(line: string): TraceRecord | undefined {
  const m = HEAD.exec(line);
  if (!m) return undefined;
  const record: TraceRecord = {
    pid: Number(m[2]),
    nr: Number(m[3]),
    ret: m[4] === '?' ? undefined : BigInt.asIntN(64, BigInt(m[4]!)),
    args: [],
    brokeLine: m[1] === '+',
  };
  let at = m[0].length;
  while (at < line.length) {
    if (line[at] !== ' ') return undefined;
    at++;
    if (line[at] === '"') {
      const end = stringEnd(line, at);
      if (end < 0) return undefined;
      const truncated = line.startsWith('...', end);
      record.args.push({ kind: 'string', quoted: line.slice(at, end), truncated });
      at = truncated ? end + 3 : end;
    } else {
      const hex = /^0x([0-9a-fA-F]{1,16})/.exec(line.slice(at));
      if (!hex) return undefined;
      record.args.push({ kind: 'number', value: BigInt(`0x${hex[1]}`) });
      at += hex[0].length;
    }
  }
  return record;
}

// ---------------------------------------------------------------------------
// Symbolic names (values from Linux's include/uapi headers for x86-64).

type Names = ReadonlyArray<readonly [name: string, value: number | bigint]>;

const hex = (v: bigint) => `0x${v.toString(16)}`;
const s32 = (v: bigint) => BigInt.asIntN(32, v);
const u32 = (v: bigint) => BigInt.asUintN(32, v);

/** Names of the set bits (multi-bit names first), the rest in hex, or `zero` when nothing is set. */
function flags(value: bigint, names: Names, zero = '0'): string {
  const parts: string[] = [];
  let rest = value;
  for (const [name, raw] of names) {
    const mask = BigInt(raw);
    if (mask !== 0n && (rest & mask) === mask) {
      parts.push(name);
      rest &= ~mask;
    }
  }
  if (rest !== 0n) parts.push(hex(rest));
  return parts.length ? parts.join('|') : zero;
}

/** The name of a value, or `fallback(value)`. */
function oneOf(value: bigint, names: Names, fallback: (v: bigint) => string = (v) => v.toString()): string {
  const found = names.find(([, v]) => BigInt(v) === value);
  return found ? found[0] : fallback(value);
}

// include/uapi/asm-generic/fcntl.h. O_TMPFILE and O_SYNC are two bits each.
const O_ACCMODE = 3n;
const ACCESS_MODES: Names = [['O_RDONLY', 0], ['O_WRONLY', 1], ['O_RDWR', 2]];
const OPEN_FLAGS: Names = [
  ['O_TMPFILE', 0o20200000], ['O_SYNC', 0o4010000],
  ['O_CREAT', 0o100], ['O_EXCL', 0o200], ['O_NOCTTY', 0o400], ['O_TRUNC', 0o1000], ['O_APPEND', 0o2000],
  ['O_NONBLOCK', 0o4000], ['O_DSYNC', 0o10000], ['O_ASYNC', 0o20000], ['O_DIRECT', 0o40000],
  ['O_LARGEFILE', 0o100000], ['O_DIRECTORY', 0o200000], ['O_NOFOLLOW', 0o400000], ['O_NOATIME', 0o1000000],
  ['O_CLOEXEC', 0o2000000], ['O_PATH', 0o10000000],
];

function openFlags(value: bigint, withAccessMode: boolean): string {
  const v = u32(value);
  if (!withAccessMode) return flags(v, OPEN_FLAGS);
  const mode = oneOf(v & O_ACCMODE, ACCESS_MODES, () => 'O_ACCMODE');
  const rest = flags(v & ~O_ACCMODE, OPEN_FLAGS, '');
  return rest ? `${mode}|${rest}` : mode;
}

// include/uapi/linux/fcntl.h. 0x200 is AT_REMOVEDIR for unlinkat and AT_EACCESS for faccessat2.
const AT_FLAGS: Names = [
  ['AT_SYMLINK_NOFOLLOW', 0x100], ['AT_REMOVEDIR', 0x200], ['AT_SYMLINK_FOLLOW', 0x400], ['AT_NO_AUTOMOUNT', 0x800],
  ['AT_EMPTY_PATH', 0x1000], ['AT_STATX_FORCE_SYNC', 0x2000], ['AT_STATX_DONT_SYNC', 0x4000], ['AT_RECURSIVE', 0x8000],
];
const AT_FLAGS_EACCESS: Names = AT_FLAGS.map(([n, v]) => (n === 'AT_REMOVEDIR' ? ['AT_EACCESS', v] as const : [n, v] as const));
export const AT_FDCWD = -100n;

const ACCESS_BITS: Names = [['R_OK', 4], ['W_OK', 2], ['X_OK', 1]];

// include/uapi/asm-generic/mman-common.h, mman.h.
const PROT: Names = [['PROT_READ', 1], ['PROT_WRITE', 2], ['PROT_EXEC', 4], ['PROT_SEM', 8], ['PROT_GROWSDOWN', 0x01000000], ['PROT_GROWSUP', 0x02000000]];
const MAP_TYPES: Names = [['MAP_SHARED', 1], ['MAP_PRIVATE', 2], ['MAP_SHARED_VALIDATE', 3]];
const MAP_FLAGS: Names = [
  ['MAP_FIXED', 0x10], ['MAP_ANONYMOUS', 0x20], ['MAP_32BIT', 0x40], ['MAP_GROWSDOWN', 0x100], ['MAP_DENYWRITE', 0x800],
  ['MAP_EXECUTABLE', 0x1000], ['MAP_LOCKED', 0x2000], ['MAP_NORESERVE', 0x4000], ['MAP_POPULATE', 0x8000],
  ['MAP_NONBLOCK', 0x10000], ['MAP_STACK', 0x20000], ['MAP_HUGETLB', 0x40000], ['MAP_SYNC', 0x80000],
  ['MAP_FIXED_NOREPLACE', 0x100000], ['MAP_UNINITIALIZED', 0x4000000],
];

function mmapFlags(value: bigint): string {
  const v = u32(value);
  const type = v & 0xfn;
  const parts: string[] = [];
  if (type !== 0n) parts.push(oneOf(type, MAP_TYPES, hex));
  const rest = flags(v & ~0xfn, MAP_FLAGS, '');
  if (rest) parts.push(rest);
  return parts.length ? parts.join('|') : '0';
}

// include/uapi/linux/sched.h; the low byte is the signal sent to the parent on exit.
const CLONE_FLAGS: Names = [
  ['CLONE_VM', 0x100], ['CLONE_FS', 0x200], ['CLONE_FILES', 0x400], ['CLONE_SIGHAND', 0x800], ['CLONE_PIDFD', 0x1000],
  ['CLONE_PTRACE', 0x2000], ['CLONE_VFORK', 0x4000], ['CLONE_PARENT', 0x8000], ['CLONE_THREAD', 0x10000],
  ['CLONE_NEWNS', 0x20000], ['CLONE_SYSVSEM', 0x40000], ['CLONE_SETTLS', 0x80000], ['CLONE_PARENT_SETTID', 0x100000],
  ['CLONE_CHILD_CLEARTID', 0x200000], ['CLONE_DETACHED', 0x400000], ['CLONE_UNTRACED', 0x800000],
  ['CLONE_CHILD_SETTID', 0x1000000], ['CLONE_NEWCGROUP', 0x2000000], ['CLONE_NEWUTS', 0x4000000],
  ['CLONE_NEWIPC', 0x8000000], ['CLONE_NEWUSER', 0x10000000], ['CLONE_NEWPID', 0x20000000],
  ['CLONE_NEWNET', 0x40000000], ['CLONE_IO', 0x80000000],
];

function cloneFlags(value: bigint): string {
  const signal = value & 0xffn;
  const rest = flags(value & ~0xffn, CLONE_FLAGS, '');
  const parts = [rest, signal !== 0n ? signalName(signal) : ''].filter(Boolean);
  return parts.length ? parts.join('|') : '0';
}

// arch/x86/include/uapi/asm/signal.h.
export const SIGNALS: readonly string[] = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

/** SIGSEGV for 11; real-time signals as strace names them (SIGRTMIN, SIGRT_1 .. SIGRT_32); others in decimal. */
export function signalName(value: bigint | number): string {
  const n = Number(BigInt.asIntN(32, BigInt(value)));
  if (n >= 1 && n < SIGNALS.length) return SIGNALS[n]!;
  if (n === 32) return 'SIGRTMIN';
  if (n > 32 && n <= 64) return `SIGRT_${n - 32}`;
  return String(n);
}

const SIGMASK_HOW: Names = [['SIG_BLOCK', 0], ['SIG_UNBLOCK', 1], ['SIG_SETMASK', 2]];

// include/uapi/asm-generic/ioctls.h (terminal and file ioctls).
const IOCTLS: Names = [
  ['TCGETS', 0x5401], ['TCSETS', 0x5402], ['TCSETSW', 0x5403], ['TCSETSF', 0x5404], ['TCGETA', 0x5405],
  ['TCSETA', 0x5406], ['TCSETAW', 0x5407], ['TCSETAF', 0x5408], ['TCSBRK', 0x5409], ['TCXONC', 0x540a],
  ['TCFLSH', 0x540b], ['TIOCEXCL', 0x540c], ['TIOCNXCL', 0x540d], ['TIOCSCTTY', 0x540e], ['TIOCGPGRP', 0x540f],
  ['TIOCSPGRP', 0x5410], ['TIOCOUTQ', 0x5411], ['TIOCSTI', 0x5412], ['TIOCGWINSZ', 0x5413], ['TIOCSWINSZ', 0x5414],
  ['TIOCMGET', 0x5415], ['TIOCMBIS', 0x5416], ['TIOCMBIC', 0x5417], ['TIOCMSET', 0x5418], ['TIOCGSOFTCAR', 0x5419],
  ['TIOCSSOFTCAR', 0x541a], ['FIONREAD', 0x541b], ['TIOCLINUX', 0x541c], ['TIOCCONS', 0x541d],
  ['TIOCGSERIAL', 0x541e], ['TIOCSSERIAL', 0x541f], ['TIOCPKT', 0x5420], ['FIONBIO', 0x5421], ['TIOCNOTTY', 0x5422],
  ['TIOCSETD', 0x5423], ['TIOCGETD', 0x5424], ['TCSBRKP', 0x5425], ['TIOCSBRK', 0x5427], ['TIOCCBRK', 0x5428],
  ['TIOCGSID', 0x5429], ['TCGETS2', 0x802c542a], ['TCSETS2', 0x402c542b], ['TCSETSW2', 0x402c542c],
  ['TCSETSF2', 0x402c542d], ['TIOCGPTN', 0x80045430], ['TIOCSPTLCK', 0x40045431], ['TIOCGDEV', 0x80045432],
  ['TIOCVHANGUP', 0x5437], ['TIOCGPTPEER', 0x5441], ['FIONCLEX', 0x5450], ['FIOCLEX', 0x5451], ['FIOASYNC', 0x5452],
  ['TIOCSERCONFIG', 0x5453], ['TIOCSERGWILD', 0x5454], ['TIOCSERSWILD', 0x5455], ['TIOCGLCKTRMIOS', 0x5456],
  ['TIOCSLCKTRMIOS', 0x5457], ['TIOCSERGSTRUCT', 0x5458], ['TIOCSERGETLSR', 0x5459], ['FIOQSIZE', 0x5460],
  ['FIOSETOWN', 0x8901], ['SIOCSPGRP', 0x8902], ['FIOGETOWN', 0x8903], ['SIOCGPGRP', 0x8904],
];

// include/uapi/asm-generic/fcntl.h, include/uapi/linux/fcntl.h.
const FCNTL_CMDS: Names = [
  ['F_DUPFD', 0], ['F_GETFD', 1], ['F_SETFD', 2], ['F_GETFL', 3], ['F_SETFL', 4], ['F_GETLK', 5], ['F_SETLK', 6],
  ['F_SETLKW', 7], ['F_SETOWN', 8], ['F_GETOWN', 9], ['F_SETSIG', 10], ['F_GETSIG', 11], ['F_SETOWN_EX', 15],
  ['F_GETOWN_EX', 16], ['F_GETOWNER_UIDS', 17], ['F_OFD_GETLK', 36], ['F_OFD_SETLK', 37], ['F_OFD_SETLKW', 38],
  ['F_SETLEASE', 1024], ['F_GETLEASE', 1025], ['F_NOTIFY', 1026], ['F_DUPFD_CLOEXEC', 1030], ['F_SETPIPE_SZ', 1031],
  ['F_GETPIPE_SZ', 1032], ['F_ADD_SEALS', 1033], ['F_GET_SEALS', 1034],
];
const FD_FLAGS: Names = [['FD_CLOEXEC', 1]];

const WHENCE: Names = [['SEEK_SET', 0], ['SEEK_CUR', 1], ['SEEK_END', 2], ['SEEK_DATA', 3], ['SEEK_HOLE', 4]];

// include/uapi/linux/time.h.
const CLOCKS: Names = [
  ['CLOCK_REALTIME', 0], ['CLOCK_MONOTONIC', 1], ['CLOCK_PROCESS_CPUTIME_ID', 2], ['CLOCK_THREAD_CPUTIME_ID', 3],
  ['CLOCK_MONOTONIC_RAW', 4], ['CLOCK_REALTIME_COARSE', 5], ['CLOCK_MONOTONIC_COARSE', 6], ['CLOCK_BOOTTIME', 7],
  ['CLOCK_REALTIME_ALARM', 8], ['CLOCK_BOOTTIME_ALARM', 9], ['CLOCK_TAI', 11],
];

// include/uapi/linux/wait.h. 2 is WUNTRACED for wait4 and WSTOPPED for waitid.
const WAIT_OPTIONS: Names = [
  ['WNOHANG', 1], ['WUNTRACED', 2], ['WEXITED', 4], ['WCONTINUED', 8], ['WNOWAIT', 0x1000000],
  ['__WNOTHREAD', 0x20000000], ['__WALL', 0x40000000], ['__WCLONE', 0x80000000],
];
const WAITID_OPTIONS: Names = WAIT_OPTIONS.map(([n, v]) => (n === 'WUNTRACED' ? ['WSTOPPED', v] as const : [n, v] as const));

// arch/x86/include/uapi/asm/prctl.h.
const ARCH_PRCTL: Names = [
  ['ARCH_SET_GS', 0x1001], ['ARCH_SET_FS', 0x1002], ['ARCH_GET_FS', 0x1003], ['ARCH_GET_GS', 0x1004],
  ['ARCH_GET_CPUID', 0x1011], ['ARCH_SET_CPUID', 0x1012], ['ARCH_GET_XCOMP_SUPP', 0x1021],
  ['ARCH_GET_XCOMP_PERM', 0x1022], ['ARCH_REQ_XCOMP_PERM', 0x1023], ['ARCH_GET_XCOMP_GUEST_PERM', 0x1024],
  ['ARCH_REQ_XCOMP_GUEST_PERM', 0x1025], ['ARCH_MAP_VDSO_X32', 0x2001], ['ARCH_MAP_VDSO_32', 0x2002],
  ['ARCH_MAP_VDSO_64', 0x2003],
];

// include/uapi/linux/reboot.h.
const REBOOT_CMDS: Names = [
  ['LINUX_REBOOT_CMD_RESTART', 0x01234567], ['LINUX_REBOOT_CMD_HALT', 0xcdef0123], ['LINUX_REBOOT_CMD_CAD_ON', 0x89abcdef],
  ['LINUX_REBOOT_CMD_CAD_OFF', 0], ['LINUX_REBOOT_CMD_POWER_OFF', 0x4321fedc], ['LINUX_REBOOT_CMD_RESTART2', 0xa1b2c3d4],
  ['LINUX_REBOOT_CMD_SW_SUSPEND', 0xd000fce2], ['LINUX_REBOOT_CMD_KEXEC', 0x45584543],
];
const REBOOT_MAGIC: Names = [
  ['LINUX_REBOOT_MAGIC1', 0xfee1dead], ['LINUX_REBOOT_MAGIC2', 672274793], ['LINUX_REBOOT_MAGIC2A', 85072278],
  ['LINUX_REBOOT_MAGIC2B', 369367448], ['LINUX_REBOOT_MAGIC2C', 537993216],
];

// include/uapi/linux/prctl.h.
const PRCTL: Names = [
  ['PR_SET_PDEATHSIG', 1], ['PR_GET_PDEATHSIG', 2], ['PR_GET_DUMPABLE', 3], ['PR_SET_DUMPABLE', 4],
  ['PR_GET_UNALIGN', 5], ['PR_SET_UNALIGN', 6], ['PR_GET_KEEPCAPS', 7], ['PR_SET_KEEPCAPS', 8], ['PR_GET_FPEMU', 9],
  ['PR_SET_FPEMU', 10], ['PR_GET_FPEXC', 11], ['PR_SET_FPEXC', 12], ['PR_GET_TIMING', 13], ['PR_SET_TIMING', 14],
  ['PR_SET_NAME', 15], ['PR_GET_NAME', 16], ['PR_GET_ENDIAN', 19], ['PR_SET_ENDIAN', 20], ['PR_GET_SECCOMP', 21],
  ['PR_SET_SECCOMP', 22], ['PR_CAPBSET_READ', 23], ['PR_CAPBSET_DROP', 24], ['PR_GET_TSC', 25], ['PR_SET_TSC', 26],
  ['PR_GET_SECUREBITS', 27], ['PR_SET_SECUREBITS', 28], ['PR_SET_TIMERSLACK', 29], ['PR_GET_TIMERSLACK', 30],
  ['PR_TASK_PERF_EVENTS_DISABLE', 31], ['PR_TASK_PERF_EVENTS_ENABLE', 32], ['PR_MCE_KILL', 33],
  ['PR_MCE_KILL_GET', 34], ['PR_SET_MM', 35], ['PR_SET_CHILD_SUBREAPER', 36], ['PR_GET_CHILD_SUBREAPER', 37],
  ['PR_SET_NO_NEW_PRIVS', 38], ['PR_GET_NO_NEW_PRIVS', 39], ['PR_GET_TID_ADDRESS', 40], ['PR_SET_THP_DISABLE', 41],
  ['PR_GET_THP_DISABLE', 42], ['PR_MPX_ENABLE_MANAGEMENT', 43], ['PR_MPX_DISABLE_MANAGEMENT', 44],
  ['PR_SET_FP_MODE', 45], ['PR_GET_FP_MODE', 46], ['PR_CAP_AMBIENT', 47], ['PR_SVE_SET_VL', 50],
  ['PR_SVE_GET_VL', 51], ['PR_GET_SPECULATION_CTRL', 52], ['PR_SET_SPECULATION_CTRL', 53],
  ['PR_PAC_RESET_KEYS', 54], ['PR_SET_TAGGED_ADDR_CTRL', 55], ['PR_GET_TAGGED_ADDR_CTRL', 56],
  ['PR_SET_IO_FLUSHER', 57], ['PR_GET_IO_FLUSHER', 58], ['PR_SET_SYSCALL_USER_DISPATCH', 59],
  ['PR_PAC_SET_ENABLED_KEYS', 60], ['PR_PAC_GET_ENABLED_KEYS', 61], ['PR_SCHED_CORE', 62],
  ['PR_SET_VMA', 0x53564d41],
];

// ---------------------------------------------------------------------------
// Formatting.

const ptr = (v: bigint) => (v === 0n ? 'NULL' : hex(v));

/** How one argument reads in strace's notation, by its type in the table. */
export function formatNumber(type: ArgType, value: bigint): string {
  switch (type) {
    case 'int': case 'pid': case 'fd':
      return s32(value).toString();
    case 'uint':
      return u32(value).toString();
    case 'long': case 'off':
      return BigInt.asIntN(64, value).toString();
    case 'size':
      return BigInt.asUintN(64, value).toString();
    case 'ulong':
      return value === 0n ? '0' : hex(value);
    case 'id':
      return u32(value) === 0xffffffffn ? '-1' : u32(value).toString();
    case 'mode': {
      const m = u32(value);
      return m === 0n ? '000' : `0${m.toString(8)}`;
    }
    case 'dirfd':
      return s32(value) === AT_FDCWD ? 'AT_FDCWD' : s32(value).toString();
    case 'ptr': case 'path': case 'string':
      return ptr(value);
    case 'open_flags':
      return openFlags(value, true);
    case 'at_flags':
      return flags(u32(value), AT_FLAGS);
    case 'access_mode':
      return u32(value) === 0n ? 'F_OK' : flags(u32(value), ACCESS_BITS);
    case 'mmap_prot':
      return flags(u32(value), PROT, 'PROT_NONE');
    case 'mmap_flags':
      return mmapFlags(value);
    case 'clone_flags':
      return cloneFlags(value);
    case 'signal':
      return signalName(value);
    case 'sigmask_how':
      return oneOf(s32(value), SIGMASK_HOW);
    case 'ioctl_cmd':
      return oneOf(u32(value), IOCTLS, hex);
    case 'fcntl_cmd':
      return oneOf(s32(value), FCNTL_CMDS);
    case 'whence':
      return oneOf(s32(value), WHENCE);
    case 'clockid':
      return oneOf(s32(value), CLOCKS);
    case 'wait_options':
      return flags(u32(value), WAIT_OPTIONS);
    case 'arch_prctl_code':
      return oneOf(s32(value), ARCH_PRCTL, hex);
    case 'reboot_cmd':
      return oneOf(u32(value), REBOOT_CMDS, hex);
    case 'fd_flags':
      return flags(u32(value), [['O_CLOEXEC', 0o2000000]]);
    case 'prctl_option':
      return oneOf(s32(value), PRCTL);
  }
}

/**
 * Where one call reads an argument differently from its type: pipe2's flags
 * have no access mode, faccessat2's 0x200 is AT_EACCESS, waitid's 2 is
 * WSTOPPED, reboot's magic numbers, fcntl's third argument by command.
 */
function formatSpecial(call: Syscall, index: number, value: bigint, numbers: ReadonlyArray<bigint | undefined>): string | undefined {
  switch (call.name) {
    case 'pipe2':
      return index === 1 ? openFlags(value, false) : undefined;
    case 'faccessat2':
      return index === 3 ? flags(u32(value), AT_FLAGS_EACCESS) : undefined;
    case 'waitid':
      return index === 3 ? flags(u32(value), WAITID_OPTIONS) : undefined;
    case 'reboot':
      return index < 2 ? oneOf(u32(value), REBOOT_MAGIC, hex) : undefined;
    case 'fcntl': {
      if (index !== 2) return undefined;
      const cmd = numbers[1] === undefined ? undefined : s32(numbers[1]);
      if (cmd === 0n || cmd === 1030n) return s32(value).toString(); // F_DUPFD, F_DUPFD_CLOEXEC: a descriptor number
      if (cmd === 2n) return flags(u32(value), FD_FLAGS); // F_SETFD
      if (cmd === 4n) return openFlags(value, false); // F_SETFL
      return undefined;
    }
    default:
      return undefined;
  }
}

function formatArg(call: Syscall | undefined, index: number, arg: TraceArg, numbers: ReadonlyArray<bigint | undefined>): string {
  if (arg.kind === 'string') return arg.truncated ? `${arg.quoted}...` : arg.quoted;
  const type = call?.args[index]?.type;
  if (!call || !type) return hex(arg.value);
  return formatSpecial(call, index, arg.value, numbers) ?? formatNumber(type, arg.value);
}

/** `= 3`, `= -1 ENOENT (No such file or directory)`, `= 0x7f0000001000`, `= ?`. */
export function formatReturn(call: Syscall | undefined, ret: bigint | undefined): string {
  if (ret === undefined) return '?';
  if (ret < 0n && ret >= -BigInt(MAX_ERRNO)) return `-1 ${describeErrno(Number(-ret))}`;
  if (call?.ret === 'ptr') return ret === 0n ? '0' : hex(BigInt.asUintN(64, ret));
  return ret.toString();
}

/** A record in strace's notation, with the pid in front as `strace -f` writes it. */
export function formatTrace(record: TraceRecord): string {
  const call = syscallByNumber(record.nr);
  const numbers = record.args.map((a) => (a.kind === 'number' ? a.value : undefined));
  const args = record.args.map((a, i) => formatArg(call, i, a, numbers));
  const name = call ? call.name : `syscall_${record.nr}`;
  return `[pid ${record.pid}] ${name}(${args.join(', ')}) = ${formatReturn(call, record.ret)}`;
}

/** A raw trace line decoded, or undefined when the line is not a trace line. */
export function decodeTraceLine(line: string): string | undefined {
  const record = parseTraceLine(line);
  return record ? formatTrace(record) : undefined;
}

/** Every trace line of a console text decoded in place; other lines unchanged. */
export function decodeTraceText(text: string): string {
  return text.split('\n').map((line) => decodeTraceLine(line) ?? line).join('\n');
}

/**
 * True while `partial`, the start of a console line, may still become a
 * trace line: stream rewriters hold such a line back until it is complete.
 */
export function mayBeTraceLine(partial: string): boolean {
  const p = partial.startsWith('+') ? partial.slice(1) : partial;
  return TRACE_TAG.startsWith(p) || p.startsWith(TRACE_TAG);
}
