// usertests: system-call tests of the kernel's Linux ABI, on the model of
// xv6's usertests. Each test runs in a forked child, so a crash or a failed
// check ends that child only; the runner reads the child's wait status
// exactly and prints
//
//   usertests: NAME ... ok
//   usertests: NAME ... FAILED: REASON
//   ...
//   usertests: N passed, M failed
//
// Every expected error is Linux's exact errno. A test's checks run on raw
// system calls (SYS(...) below returns -errno) where libc could hide what the
// kernel did. Files: main.c (runner, helpers), fs.c, mem.c, proc.c,
// signal.c, sys.c (time, limits, TLS, system information).
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>

// X(name, timeout in seconds) for every test, in running order.
#define UT_TESTS(X)                                                                            \
  X(write, 20) X(read, 20) X(readv_writev, 20) X(pread_pwrite, 20) X(open_close, 20)           \
  X(openat, 20) X(lseek, 20) X(stat, 20) X(access, 20) X(getdents, 30) X(cwd, 20)               \
  X(mkdir_rmdir, 20) X(unlink, 20) X(rename, 20) X(readlink, 20) X(pipe, 20) X(fifo, 30) X(dup, 20)          \
  X(fcntl, 20) X(ioctl, 20) X(tmpfs, 60) X(umask, 20) X(efault, 20) X(ebadf, 20) X(einval, 20)   \
  X(emfile, 20)                                                                                \
  X(mmap_anon, 30) X(mmap_file, 30) X(mmap_page_cache, 20) X(mprotect, 20) X(brk, 20) X(cow, 60) X(oom, 20)            \
  X(fork, 60) X(vfork, 20) X(clone, 20) X(exec, 60) X(exec_errors, 20) X(proc_self_exe, 20) X(exit, 20) X(wait, 30)  \
  X(kill, 30) X(ids, 20) X(pgrp_session, 20) X(orphan, 30) X(fork_cpus, 120) X(pipe_big, 120)   \
  X(nproc_limit, 60) X(mem_leak, 600)                                                          \
  X(sig_handler, 30) X(sig_regs, 30) X(sig_mask, 20) X(sig_restart, 30) X(sigchld, 20)          \
  X(sigpipe, 20)                                                                               \
  X(uname, 20) X(sysinfo, 20) X(clock, 20) X(nanosleep, 30) X(sched_yield, 20) X(getrandom, 20) \
  X(prlimit, 20) X(tls, 20) X(tid_robust, 20)                                                  \
  X(fault_kernel_write, 30) X(fault_null, 30) X(fault_hlt, 30) X(fault_ud2, 30)                 \
  X(fault_div0, 30) X(fault_stack, 60) X(fault_exec_data, 30) X(fault_cli, 30)

#define UT_DECLARE(name, timeout) void test_##name(void);
UT_TESTS(UT_DECLARE)
#undef UT_DECLARE

// ---- raw system calls ----

/** The raw system call: its result, or -errno. No libc in between. */
long ut_syscall(long nr, long a, long b, long c, long d, long e, long f);
#define SYS(...) ut_syscall(UT_SYS_ARGS_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0))
#define UT_SYS_ARGS_(nr, a, b, c, d, e, f, ...) \
  (long)(nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f)

// A user pointer that faults: the bottom of the kernel image on Linux and oskit.
#define KERNEL_ADDRESS ((void *)0xffffffff80000000ul)
// A user address that is never mapped.
#define BAD_ADDRESS ((void *)1)

// ---- checks: each fails the running test with the line and the call ----

_Noreturn void ut_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
long ut_ok(long r, const char *call, const char *file, int line);
long ut_lok(long r, const char *call, const char *file, int line);
void ut_err(long r, int err, const char *call, const char *file, int line);

#define FAIL(...) ut_fail(__FILE__, __LINE__, __VA_ARGS__)
/** A condition that must hold. */
#define CHECK(cond) \
  do {              \
    if (!(cond)) FAIL("%s", #cond); \
  } while (0)
/** A condition that must hold, with a message saying what was seen. */
#define CHECKF(cond, ...) \
  do {                    \
    if (!(cond)) FAIL(__VA_ARGS__); \
  } while (0)
/** A raw call (SYS or -errno style) that must succeed; its value. */
#define OK(call) ut_ok((long)(call), #call, __FILE__, __LINE__)
/** A libc call (-1 and errno on failure) that must succeed; its value. */
#define LOK(call) ut_lok((long)(call), #call, __FILE__, __LINE__)
/** A raw call that must fail with exactly `err`. */
#define ERR(call, err) ut_err((long)(call), (err), #call, __FILE__, __LINE__)

const char *ut_errno_name(int err);

// ---- processes ----

/** fork(), failing the test if it fails. */
pid_t ut_fork(void);
/** waitpid for `pid`; its raw wait status. */
int ut_wait(pid_t pid);
/** "exited 3", "killed by signal 11 (Segmentation fault)", ... */
const char *ut_status_text(int status);
/** Wait for pid and require a normal exit with `code`. */
void ut_expect_exit(pid_t pid, int code);
/** Wait for pid and require death by `sig`. */
void ut_expect_signal(pid_t pid, int sig);
/** Run fn(arg) in a child that then exits 0; the child's wait status. */
int ut_in_child(void (*fn)(void *), void *arg);
// Waits (up to 10 s) until process `pid` is asleep in the kernel (state S in
// /proc/PID/stat), e.g. blocked in read: true when it is.
bool ut_wait_sleeping(pid_t pid);

// ---- files and output ----

/** Create (or truncate) `path` with `len` bytes of `data`. */
void ut_write_file(const char *path, const void *data, size_t len, mode_t mode);
/** Read up to cap-1 bytes of fd until EOF into buf (NUL-terminated); the length. */
size_t ut_read_all(int fd, char *buf, size_t cap);
/** An information line "usertests: TEST: ..." printed before the test's result. */
void ut_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** MemFree from /proc/meminfo in kB. */
uint64_t ut_mem_free_kb(void);
/** True on oskit (uname sysname "oskit"), for the one place the kernels differ. */
bool ut_is_oskit(void);

extern const char *ut_self;    // usertests' own absolute path, to exec itself
extern const char *ut_current; // the running test's name
extern char ut_dir[];          // the test's scratch directory (its cwd at start)
extern pid_t ut_runner;        // the runner's PID

/** Hidden modes of usertests for the exec tests ("--exec-report", "--exit N"); -1 if argv is not one. */
int ut_helper_main(int argc, char **argv);
