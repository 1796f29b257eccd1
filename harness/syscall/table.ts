// The Linux x86-64 system call table: one list of number, name and
// arguments that generates the kernel's dispatch table
// (build/gen/syscalls.{hpp,cpp}), DESIGN.md's syscall table and the decoder
// behind --trace-syscalls. Numbers and names follow Linux 6.1's
// arch/x86/entry/syscalls/syscall_64.tbl; argument names and types follow
// the man pages (section 2).
//
// `impl: true` means the kernel has a handler `sys_<name>` (kernel-src/
// syscall/*.cpp); every other number returns -ENOSYS and is logged once.

/** How an argument is passed to the kernel handler and shown in a trace. */
export type ArgType =
  | 'int' | 'uint' | 'long' | 'ulong' | 'size' | 'off' | 'pid' | 'id' | 'mode'
  | 'fd' | 'dirfd' | 'ptr' | 'path' | 'string'
  | 'open_flags' | 'at_flags' | 'access_mode' | 'mmap_prot' | 'mmap_flags' | 'clone_flags'
  | 'signal' | 'sigmask_how' | 'ioctl_cmd' | 'fcntl_cmd' | 'whence' | 'clockid'
  | 'wait_options' | 'arch_prctl_code' | 'reboot_cmd' | 'fd_flags' | 'prctl_option';

/** What the call returns, for the trace decoder. */
export type RetType = 'int' | 'long' | 'fd' | 'size' | 'ptr' | 'off' | 'pid' | 'none';

export interface SyscallArg {
  name: string;
  type: ArgType;
}

export interface Syscall {
  nr: number;
  name: string;
  args: SyscallArg[];
  ret: RetType;
  /** The kernel implements it (sys_<name>). */
  impl: boolean;
  /** The handler also receives the caller's saved registers (fork, execve, rt_sigreturn, ...). */
  frame: boolean;
}

/** C++ parameter type of each argument type in the generated handler declarations. */
export const CXX_TYPE: Readonly<Record<ArgType, string>> = {
  int: 'i32', uint: 'u32', long: 'i64', ulong: 'u64', size: 'u64', off: 'i64', pid: 'i32', id: 'u32',
  mode: 'u32', fd: 'i32', dirfd: 'i32', ptr: 'UserAddr', path: 'UserAddr', string: 'UserAddr',
  open_flags: 'i32', at_flags: 'i32', access_mode: 'i32', mmap_prot: 'u32', mmap_flags: 'u32',
  clone_flags: 'u64', signal: 'i32', sigmask_how: 'i32', ioctl_cmd: 'u32', fcntl_cmd: 'i32',
  whence: 'i32', clockid: 'i32', wait_options: 'i32', arch_prctl_code: 'i32', reboot_cmd: 'u32',
  fd_flags: 'i32', prctl_option: 'i32',
};

/** Argument types the kernel prints as strings in a trace (it reads them from user memory). */
export const STRING_ARG_TYPES: ReadonlySet<ArgType> = new Set(['path', 'string']);

// name(args) spec: "type name, type name" ; ret after '->'.
type Spec = [nr: number, name: string, args?: string, ret?: RetType, flags?: string];

// Implemented calls are marked 'impl'; 'frame' gives the handler the saved registers.
const SPECS: Spec[] = [
  [0, 'read', 'fd fd, ptr buf, size count', 'size'],
  [1, 'write', 'fd fd, ptr buf, size count', 'size'],
  [2, 'open', 'path pathname, open_flags flags, mode mode', 'fd'],
  [3, 'close', 'fd fd', 'int'],
  [4, 'stat', 'path pathname, ptr statbuf', 'int'],
  [5, 'fstat', 'fd fd, ptr statbuf', 'int'],
  [6, 'lstat', 'path pathname, ptr statbuf', 'int'],
  [7, 'poll', 'ptr fds, uint nfds, int timeout', 'int'],
  [8, 'lseek', 'fd fd, off offset, whence whence', 'off'],
  [9, 'mmap', 'ptr addr, size length, mmap_prot prot, mmap_flags flags, fd fd, off offset', 'ptr'],
  [10, 'mprotect', 'ptr addr, size len, mmap_prot prot', 'int'],
  [11, 'munmap', 'ptr addr, size length', 'int'],
  [12, 'brk', 'ptr addr', 'ptr'],
  [13, 'rt_sigaction', 'signal signum, ptr act, ptr oldact, size sigsetsize', 'int'],
  [14, 'rt_sigprocmask', 'sigmask_how how, ptr set, ptr oldset, size sigsetsize', 'int'],
  [15, 'rt_sigreturn', '', 'int', 'frame'],
  [16, 'ioctl', 'fd fd, ioctl_cmd request, ulong arg', 'int'],
  [17, 'pread64', 'fd fd, ptr buf, size count, off offset', 'size'],
  [18, 'pwrite64', 'fd fd, ptr buf, size count, off offset', 'size'],
  [19, 'readv', 'fd fd, ptr iov, int iovcnt', 'size'],
  [20, 'writev', 'fd fd, ptr iov, int iovcnt', 'size'],
  [21, 'access', 'path pathname, access_mode mode', 'int'],
  [22, 'pipe', 'ptr pipefd', 'int'],
  [23, 'select', 'int nfds, ptr readfds, ptr writefds, ptr exceptfds, ptr timeout', 'int'],
  [24, 'sched_yield', '', 'int'],
  [25, 'mremap', 'ptr old_address, size old_size, size new_size, int flags, ptr new_address', 'ptr'],
  [26, 'msync', 'ptr addr, size length, int flags', 'int'],
  [27, 'mincore', 'ptr addr, size length, ptr vec', 'int'],
  [28, 'madvise', 'ptr addr, size length, int advice', 'int'],
  [29, 'shmget'], [30, 'shmat'], [31, 'shmctl'],
  [32, 'dup', 'fd oldfd', 'fd'],
  [33, 'dup2', 'fd oldfd, fd newfd', 'fd'],
  [34, 'pause', '', 'int'],
  [35, 'nanosleep', 'ptr req, ptr rem', 'int'],
  [36, 'getitimer', 'int which, ptr curr_value', 'int'],
  [37, 'alarm', 'uint seconds', 'int'],
  [38, 'setitimer', 'int which, ptr new_value, ptr old_value', 'int'],
  [39, 'getpid', '', 'pid'],
  [40, 'sendfile', 'fd out_fd, fd in_fd, ptr offset, size count', 'size'],
  [41, 'socket', 'int domain, int type, int protocol', 'fd'],
  [42, 'connect'], [43, 'accept'], [44, 'sendto'], [45, 'recvfrom'], [46, 'sendmsg'], [47, 'recvmsg'],
  [48, 'shutdown'], [49, 'bind'], [50, 'listen'], [51, 'getsockname'], [52, 'getpeername'],
  [53, 'socketpair', 'int domain, int type, int protocol, ptr sv', 'int'],
  [54, 'setsockopt'], [55, 'getsockopt'],
  [56, 'clone', 'clone_flags flags, ptr stack, ptr parent_tid, ptr child_tid, ulong tls', 'pid', 'frame'],
  [57, 'fork', '', 'pid', 'frame'],
  [58, 'vfork', '', 'pid', 'frame'],
  [59, 'execve', 'path pathname, ptr argv, ptr envp', 'int', 'frame'],
  [60, 'exit', 'int status', 'none'],
  [61, 'wait4', 'pid pid, ptr wstatus, wait_options options, ptr rusage', 'pid'],
  [62, 'kill', 'pid pid, signal sig', 'int'],
  [63, 'uname', 'ptr buf', 'int'],
  [64, 'semget'], [65, 'semop'], [66, 'semctl'], [67, 'shmdt'], [68, 'msgget'], [69, 'msgsnd'],
  [70, 'msgrcv'], [71, 'msgctl'],
  [72, 'fcntl', 'fd fd, fcntl_cmd cmd, ulong arg', 'int'],
  [73, 'flock', 'fd fd, int operation', 'int'],
  [74, 'fsync', 'fd fd', 'int'],
  [75, 'fdatasync', 'fd fd', 'int'],
  [76, 'truncate', 'path path, off length', 'int'],
  [77, 'ftruncate', 'fd fd, off length', 'int'],
  [78, 'getdents', 'fd fd, ptr dirp, size count', 'size'],
  [79, 'getcwd', 'ptr buf, size size', 'size'],
  [80, 'chdir', 'path path', 'int'],
  [81, 'fchdir', 'fd fd', 'int'],
  [82, 'rename', 'path oldpath, path newpath', 'int'],
  [83, 'mkdir', 'path pathname, mode mode', 'int'],
  [84, 'rmdir', 'path pathname', 'int'],
  [85, 'creat', 'path pathname, mode mode', 'fd'],
  [86, 'link', 'path oldpath, path newpath', 'int'],
  [87, 'unlink', 'path pathname', 'int'],
  [88, 'symlink', 'path target, path linkpath', 'int'],
  [89, 'readlink', 'path pathname, ptr buf, size bufsiz', 'size'],
  [90, 'chmod', 'path pathname, mode mode', 'int'],
  [91, 'fchmod', 'fd fd, mode mode', 'int'],
  [92, 'chown', 'path pathname, id owner, id group', 'int'],
  [93, 'fchown', 'fd fd, id owner, id group', 'int'],
  [94, 'lchown', 'path pathname, id owner, id group', 'int'],
  [95, 'umask', 'mode mask', 'int'],
  [96, 'gettimeofday', 'ptr tv, ptr tz', 'int'],
  [97, 'getrlimit', 'int resource, ptr rlim', 'int'],
  [98, 'getrusage', 'int who, ptr usage', 'int'],
  [99, 'sysinfo', 'ptr info', 'int'],
  [100, 'times', 'ptr buf', 'long'],
  [101, 'ptrace'],
  [102, 'getuid', '', 'int'],
  [103, 'syslog', 'int type, ptr bufp, int len', 'int'],
  [104, 'getgid', '', 'int'],
  [105, 'setuid', 'id uid', 'int'],
  [106, 'setgid', 'id gid', 'int'],
  [107, 'geteuid', '', 'int'],
  [108, 'getegid', '', 'int'],
  [109, 'setpgid', 'pid pid, pid pgid', 'int'],
  [110, 'getppid', '', 'pid'],
  [111, 'getpgrp', '', 'pid'],
  [112, 'setsid', '', 'pid'],
  [113, 'setreuid', 'id ruid, id euid', 'int'],
  [114, 'setregid', 'id rgid, id egid', 'int'],
  [115, 'getgroups', 'int size, ptr list', 'int'],
  [116, 'setgroups', 'size size, ptr list', 'int'],
  [117, 'setresuid', 'id ruid, id euid, id suid', 'int'],
  [118, 'getresuid', 'ptr ruid, ptr euid, ptr suid', 'int'],
  [119, 'setresgid', 'id rgid, id egid, id sgid', 'int'],
  [120, 'getresgid', 'ptr rgid, ptr egid, ptr sgid', 'int'],
  [121, 'getpgid', 'pid pid', 'pid'],
  [122, 'setfsuid', 'id fsuid', 'int'],
  [123, 'setfsgid', 'id fsgid', 'int'],
  [124, 'getsid', 'pid pid', 'pid'],
  [125, 'capget'], [126, 'capset'],
  [127, 'rt_sigpending', 'ptr set, size sigsetsize', 'int'],
  [128, 'rt_sigtimedwait', 'ptr set, ptr info, ptr timeout, size sigsetsize', 'int'],
  [129, 'rt_sigqueueinfo'],
  [130, 'rt_sigsuspend', 'ptr mask, size sigsetsize', 'int'],
  [131, 'sigaltstack', 'ptr ss, ptr old_ss', 'int'],
  [132, 'utime', 'path filename, ptr times', 'int'],
  [133, 'mknod', 'path pathname, mode mode, ulong dev', 'int'],
  [134, 'uselib'],
  [135, 'personality', 'ulong persona', 'int'],
  [136, 'ustat'],
  [137, 'statfs', 'path path, ptr buf', 'int'],
  [138, 'fstatfs', 'fd fd, ptr buf', 'int'],
  [139, 'sysfs'],
  [140, 'getpriority', 'int which, int who', 'int'],
  [141, 'setpriority', 'int which, int who, int prio', 'int'],
  [142, 'sched_setparam'], [143, 'sched_getparam'], [144, 'sched_setscheduler'], [145, 'sched_getscheduler'],
  [146, 'sched_get_priority_max'], [147, 'sched_get_priority_min'], [148, 'sched_rr_get_interval'],
  [149, 'mlock'], [150, 'munlock'], [151, 'mlockall'], [152, 'munlockall'], [153, 'vhangup'],
  [154, 'modify_ldt'], [155, 'pivot_root'], [156, '_sysctl'],
  [157, 'prctl', 'prctl_option option, ulong arg2, ulong arg3, ulong arg4, ulong arg5', 'int'],
  [158, 'arch_prctl', 'arch_prctl_code code, ulong addr', 'int'],
  [159, 'adjtimex'],
  [160, 'setrlimit', 'int resource, ptr rlim', 'int'],
  [161, 'chroot', 'path path', 'int'],
  [162, 'sync', '', 'none'],
  [163, 'acct'],
  [164, 'settimeofday', 'ptr tv, ptr tz', 'int'],
  [165, 'mount', 'string source, path target, string filesystemtype, ulong mountflags, ptr data', 'int'],
  [166, 'umount2', 'path target, int flags', 'int'],
  [167, 'swapon'], [168, 'swapoff'],
  [169, 'reboot', 'uint magic, uint magic2, reboot_cmd cmd, ptr arg', 'int'],
  [170, 'sethostname', 'ptr name, size len', 'int'],
  [171, 'setdomainname', 'ptr name, size len', 'int'],
  [172, 'iopl'], [173, 'ioperm'], [174, 'create_module'], [175, 'init_module'], [176, 'delete_module'],
  [177, 'get_kernel_syms'], [178, 'query_module'], [179, 'quotactl'], [180, 'nfsservctl'],
  [181, 'getpmsg'], [182, 'putpmsg'], [183, 'afs_syscall'], [184, 'tuxcall'], [185, 'security'],
  [186, 'gettid', '', 'pid'],
  [187, 'readahead'],
  [188, 'setxattr'], [189, 'lsetxattr'], [190, 'fsetxattr'], [191, 'getxattr'], [192, 'lgetxattr'],
  [193, 'fgetxattr'], [194, 'listxattr'], [195, 'llistxattr'], [196, 'flistxattr'], [197, 'removexattr'],
  [198, 'lremovexattr'], [199, 'fremovexattr'],
  [200, 'tkill', 'pid tid, signal sig', 'int'],
  [201, 'time', 'ptr tloc', 'long'],
  [202, 'futex', 'ptr uaddr, int futex_op, uint val, ptr timeout, ptr uaddr2, uint val3', 'int'],
  [203, 'sched_setaffinity', 'pid pid, size cpusetsize, ptr mask', 'int'],
  [204, 'sched_getaffinity', 'pid pid, size cpusetsize, ptr mask', 'int'],
  [205, 'set_thread_area'], [206, 'io_setup'], [207, 'io_destroy'], [208, 'io_getevents'], [209, 'io_submit'],
  [210, 'io_cancel'], [211, 'get_thread_area'], [212, 'lookup_dcookie'],
  [213, 'epoll_create', 'int size', 'fd'],
  [214, 'epoll_ctl_old'], [215, 'epoll_wait_old'], [216, 'remap_file_pages'],
  [217, 'getdents64', 'fd fd, ptr dirp, size count', 'size'],
  [218, 'set_tid_address', 'ptr tidptr', 'pid'],
  [219, 'restart_syscall', '', 'int'],
  [220, 'semtimedop'],
  [221, 'fadvise64', 'fd fd, off offset, off len, int advice', 'int'],
  [222, 'timer_create'], [223, 'timer_settime'], [224, 'timer_gettime'], [225, 'timer_getoverrun'],
  [226, 'timer_delete'],
  [227, 'clock_settime', 'clockid clockid, ptr tp', 'int'],
  [228, 'clock_gettime', 'clockid clockid, ptr tp', 'int'],
  [229, 'clock_getres', 'clockid clockid, ptr res', 'int'],
  [230, 'clock_nanosleep', 'clockid clockid, int flags, ptr request, ptr remain', 'int'],
  [231, 'exit_group', 'int status', 'none'],
  [232, 'epoll_wait', 'fd epfd, ptr events, int maxevents, int timeout', 'int'],
  [233, 'epoll_ctl', 'fd epfd, int op, fd fd, ptr event', 'int'],
  [234, 'tgkill', 'pid tgid, pid tid, signal sig', 'int'],
  [235, 'utimes', 'path filename, ptr times', 'int'],
  [236, 'vserver'], [237, 'mbind'], [238, 'set_mempolicy'], [239, 'get_mempolicy'], [240, 'mq_open'],
  [241, 'mq_unlink'], [242, 'mq_timedsend'], [243, 'mq_timedreceive'], [244, 'mq_notify'],
  [245, 'mq_getsetattr'], [246, 'kexec_load'],
  [247, 'waitid', 'int idtype, pid id, ptr infop, wait_options options, ptr rusage', 'int'],
  [248, 'add_key'], [249, 'request_key'], [250, 'keyctl'], [251, 'ioprio_set'], [252, 'ioprio_get'],
  [253, 'inotify_init'], [254, 'inotify_add_watch'], [255, 'inotify_rm_watch'], [256, 'migrate_pages'],
  [257, 'openat', 'dirfd dirfd, path pathname, open_flags flags, mode mode', 'fd'],
  [258, 'mkdirat', 'dirfd dirfd, path pathname, mode mode', 'int'],
  [259, 'mknodat', 'dirfd dirfd, path pathname, mode mode, ulong dev', 'int'],
  [260, 'fchownat', 'dirfd dirfd, path pathname, id owner, id group, at_flags flags', 'int'],
  [261, 'futimesat', 'dirfd dirfd, path pathname, ptr times', 'int'],
  [262, 'newfstatat', 'dirfd dirfd, path pathname, ptr statbuf, at_flags flags', 'int'],
  [263, 'unlinkat', 'dirfd dirfd, path pathname, at_flags flags', 'int'],
  [264, 'renameat', 'dirfd olddirfd, path oldpath, dirfd newdirfd, path newpath', 'int'],
  [265, 'linkat', 'dirfd olddirfd, path oldpath, dirfd newdirfd, path newpath, at_flags flags', 'int'],
  [266, 'symlinkat', 'path target, dirfd newdirfd, path linkpath', 'int'],
  [267, 'readlinkat', 'dirfd dirfd, path pathname, ptr buf, size bufsiz', 'size'],
  [268, 'fchmodat', 'dirfd dirfd, path pathname, mode mode, at_flags flags', 'int'],
  [269, 'faccessat', 'dirfd dirfd, path pathname, access_mode mode', 'int'],
  [270, 'pselect6', 'int nfds, ptr readfds, ptr writefds, ptr exceptfds, ptr timeout, ptr sigmask', 'int'],
  [271, 'ppoll', 'ptr fds, uint nfds, ptr tmo_p, ptr sigmask, size sigsetsize', 'int'],
  [272, 'unshare'],
  [273, 'set_robust_list', 'ptr head, size len', 'int'],
  [274, 'get_robust_list', 'pid pid, ptr head_ptr, ptr len_ptr', 'int'],
  [275, 'splice'], [276, 'tee'], [277, 'sync_file_range'], [278, 'vmsplice'], [279, 'move_pages'],
  [280, 'utimensat', 'dirfd dirfd, path pathname, ptr times, at_flags flags', 'int'],
  [281, 'epoll_pwait'], [282, 'signalfd'], [283, 'timerfd_create'], [284, 'eventfd'],
  [285, 'fallocate', 'fd fd, int mode, off offset, off len', 'int'],
  [286, 'timerfd_settime'], [287, 'timerfd_gettime'], [288, 'accept4'], [289, 'signalfd4'],
  [290, 'eventfd2'], [291, 'epoll_create1'],
  [292, 'dup3', 'fd oldfd, fd newfd, fd_flags flags', 'fd'],
  [293, 'pipe2', 'ptr pipefd, open_flags flags', 'int'],
  [294, 'inotify_init1'],
  [295, 'preadv', 'fd fd, ptr iov, int iovcnt, off offset', 'size'],
  [296, 'pwritev', 'fd fd, ptr iov, int iovcnt, off offset', 'size'],
  [297, 'rt_tgsigqueueinfo'], [298, 'perf_event_open'], [299, 'recvmmsg'], [300, 'fanotify_init'],
  [301, 'fanotify_mark'],
  [302, 'prlimit64', 'pid pid, int resource, ptr new_limit, ptr old_limit', 'int'],
  [303, 'name_to_handle_at'], [304, 'open_by_handle_at'], [305, 'clock_adjtime'], [306, 'syncfs'],
  [307, 'sendmmsg'], [308, 'setns'],
  [309, 'getcpu', 'ptr cpu, ptr node, ptr tcache', 'int'],
  [310, 'process_vm_readv'], [311, 'process_vm_writev'], [312, 'kcmp'], [313, 'finit_module'],
  [314, 'sched_setattr'], [315, 'sched_getattr'],
  [316, 'renameat2', 'dirfd olddirfd, path oldpath, dirfd newdirfd, path newpath, uint flags', 'int'],
  [317, 'seccomp'],
  [318, 'getrandom', 'ptr buf, size buflen, uint flags', 'size'],
  [319, 'memfd_create'], [320, 'kexec_file_load'], [321, 'bpf'],
  [322, 'execveat', 'dirfd dirfd, path pathname, ptr argv, ptr envp, at_flags flags', 'int', 'frame'],
  [323, 'userfaultfd'], [324, 'membarrier'], [325, 'mlock2'],
  [326, 'copy_file_range', 'fd fd_in, ptr off_in, fd fd_out, ptr off_out, size len, uint flags', 'size'],
  [327, 'preadv2'], [328, 'pwritev2'], [329, 'pkey_mprotect'], [330, 'pkey_alloc'], [331, 'pkey_free'],
  [332, 'statx', 'dirfd dirfd, path pathname, at_flags flags, uint mask, ptr statxbuf', 'int'],
  [333, 'io_pgetevents'],
  [334, 'rseq', 'ptr rseq, uint rseq_len, int flags, uint sig', 'int'],
  [424, 'pidfd_send_signal'], [425, 'io_uring_setup'], [426, 'io_uring_enter'], [427, 'io_uring_register'],
  [428, 'open_tree'], [429, 'move_mount'], [430, 'fsopen'], [431, 'fsconfig'], [432, 'fsmount'],
  [433, 'fspick'], [434, 'pidfd_open'],
  [435, 'clone3', 'ptr cl_args, size size', 'pid', 'frame'],
  [436, 'close_range', 'uint first, uint last, uint flags', 'int'],
  [437, 'openat2'], [438, 'pidfd_getfd'],
  [439, 'faccessat2', 'dirfd dirfd, path pathname, access_mode mode, at_flags flags', 'int'],
  [440, 'process_madvise'], [441, 'epoll_pwait2'], [442, 'mount_setattr'], [443, 'quotactl_fd'],
  [444, 'landlock_create_ruleset'], [445, 'landlock_add_rule'], [446, 'landlock_restrict_self'],
  [447, 'memfd_secret'], [448, 'process_mrelease'], [449, 'futex_waitv'], [450, 'set_mempolicy_home_node'],
];

/**
 * The system calls the kernel implements. Adding a name here makes the
 * generated dispatch table call sys_<name>; the link fails until the handler
 * exists, so this list and the kernel cannot drift apart.
 */
export const IMPLEMENTED: ReadonlySet<string> = new Set<string>([
  // kernel-src/syscall/{process,signal,time,itimer,memory,system}.cpp
  'getpid',
  'gettid',
  'getppid',
  'getuid',
  'geteuid',
  'getgid',
  'getegid',
  'setuid',
  'setgid',
  'getresuid',
  'getresgid',
  'getgroups',
  'fork',
  'vfork',
  'clone',
  'execve',
  'exit',
  'exit_group',
  'wait4',
  'setpgid',
  'getpgid',
  'getpgrp',
  'getsid',
  'setsid',
  'set_tid_address',
  'set_robust_list',
  'arch_prctl',
  'prctl',
  'prlimit64',
  'getrlimit',
  'setrlimit',
  'rt_sigaction',
  'rt_sigprocmask',
  'rt_sigreturn',
  'rt_sigpending',
  'rt_sigsuspend',
  'pause',
  'sigaltstack',
  'kill',
  'tkill',
  'tgkill',
  'clock_gettime',
  'clock_getres',
  'gettimeofday',
  'time',
  'nanosleep',
  'clock_nanosleep',
  'mmap',
  'munmap',
  'mprotect',
  'brk',
  'madvise',
  'msync',
  'uname',
  // kernel-src/syscall/{fs_pipe,poll}.cpp
  'pipe',
  'pipe2',
  'poll',
  'ppoll',
  'select',
  'pselect6',
  'setitimer',
  'getitimer',
  'alarm',
  'sysinfo',
  'reboot',
  'getrandom',
  'sched_yield',
  'getcpu',
  'sched_getaffinity',
  'sched_setaffinity',
  'getrusage',
  'times',
  'personality',
  // File systems (kernel-src/syscall/fs_*.cpp)
  'read', 'write', 'readv', 'writev', 'pread64', 'pwrite64', 'preadv', 'pwritev', 'open', 'openat', 'creat',
  'close', 'close_range', 'lseek', 'fstat', 'stat', 'lstat', 'newfstatat', 'statx', 'access', 'faccessat',
  'faccessat2', 'getdents', 'getdents64', 'getcwd', 'chdir', 'fchdir', 'mkdir', 'mkdirat', 'mknod', 'mknodat', 'rmdir', 'unlink',
  'unlinkat', 'rename', 'renameat', 'renameat2', 'link', 'linkat', 'symlink', 'symlinkat', 'readlink',
  'readlinkat', 'truncate', 'ftruncate', 'dup', 'dup2', 'dup3', 'fcntl', 'ioctl', 'umask', 'chmod', 'fchmod',
  'fchmodat', 'chown', 'fchown', 'lchown', 'fchownat', 'utimensat', 'fsync', 'fdatasync', 'sync', 'statfs',
  'fstatfs', 'sendfile', 'mount', 'umount2',
]);

function parseArgs(spec: string | undefined, where: string): SyscallArg[] {
  if (!spec) return [];
  return spec.split(',').map((part) => {
    const [type, name, ...rest] = part.trim().split(/\s+/);
    if (!type || !name || rest.length > 0 || !(type in CXX_TYPE)) throw new Error(`syscall table: bad argument "${part}" in ${where}`);
    return { type: type as ArgType, name };
  });
}

function build(): Syscall[] {
  const out = SPECS.map(([nr, name, args, ret, flags]) => ({
    nr,
    name,
    args: parseArgs(args, name),
    ret: ret ?? 'int',
    impl: IMPLEMENTED.has(name),
    frame: flags === 'frame',
  }));
  for (const name of IMPLEMENTED) {
    if (!out.some((s) => s.name === name)) throw new Error(`syscall table: IMPLEMENTED names unknown call ${name}`);
  }
  return out.sort((a, b) => a.nr - b.nr);
}

/** Every Linux x86-64 system call, by number. */
export const SYSCALLS: readonly Syscall[] = build();

const BY_NR = new Map(SYSCALLS.map((s) => [s.nr, s]));
const BY_NAME = new Map(SYSCALLS.map((s) => [s.name, s]));

export function syscallByNumber(nr: number): Syscall | undefined {
  return BY_NR.get(nr);
}

export function syscallByName(name: string): Syscall | undefined {
  return BY_NAME.get(name);
}

/** One past the highest number: the size of the kernel's dispatch array. */
export const SYSCALL_LIMIT = Math.max(...SYSCALLS.map((s) => s.nr)) + 1;
