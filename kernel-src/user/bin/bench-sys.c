// bench-sys [-n N] [-e PATH]: system-call costs, for oskit and for a Linux
// guest booted with this program as its init. Medians (and min/max) in
// nanoseconds of CLOCK_MONOTONIC over N samples (default 100, which keeps a
// run under a few seconds under QEMU TCG):
//
//   getpid          one raw getpid system call (mean of 100 per sample)
//   fork_exit_wait  fork, the child _exits, the parent waits
//   fork_exec_wait  the same with an exec of PATH (default /bin/true)
//   pipe_pingpong   one byte each way between two processes over two pipes
//   page_fault      first touch of a demand-zero anonymous page (mean of 64 per sample)
//   tmpfs_read_4k   pread of 4 KiB from a file in /tmp (mean of 16 per sample)
//
// Output, parsed by the harness (keep it exactly):
//
//   bench sys: start                        first, as soon as the program runs
//   bench sys: <metric> median_ns=<n> min_ns=<n> max_ns=<n> iters=<n>
//   ...
//   bench sys: done
//
// or "bench sys: error: <metric>: <reason>" and exit status 1. As PID 1 (a
// Linux guest) it mounts a tmpfs on /tmp (and devtmpfs on /dev if it has no
// console) itself, and powers the machine off at the end.
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ulib.h"

#define GETPID_BATCH 100
#define FAULT_PAGES 64
#define READ_BATCH 16
#define PAGE 4096
#define FILE_PAGES 64

static bool is_init;

/** One line, in one write (the console may be shared, and there is no stdio buffer to lose). */
static void line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void line(const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n > sizeof buf - 2) n = (int)sizeof buf - 2;
  buf[n++] = '\n';
  write_all(1, buf, (size_t)n);
}

static _Noreturn void finish(int status) {
  if (is_init) {
    // PID 1 must not exit (the kernel would panic): power the guest off.
    sync();
    reboot(RB_POWER_OFF);
    for (;;) pause();
  }
  exit(status);
}

static _Noreturn void fail(const char *metric, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static _Noreturn void fail(const char *metric, const char *fmt, ...) {
  char reason[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(reason, sizeof reason, fmt, ap);
  va_end(ap);
  line("bench sys: error: %s: %s", metric, reason);
  finish(1);
}

static int compare_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static void report(const char *metric, uint64_t *samples, int n) {
  qsort(samples, (size_t)n, sizeof *samples, compare_u64);
  uint64_t median = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
  line("bench sys: %s median_ns=%llu min_ns=%llu max_ns=%llu iters=%d", metric, (unsigned long long)median,
       (unsigned long long)samples[0], (unsigned long long)samples[n - 1], n);
}

static inline long raw_getpid(void) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"((long)SYS_getpid) : "rcx", "r11", "memory");
  return ret;
}

static void bench_getpid(uint64_t *s, int n) {
  for (int i = 0; i < n; i++) {
    uint64_t t0 = monotonic_ns();
    for (int k = 0; k < GETPID_BATCH; k++) raw_getpid();
    s[i] = (monotonic_ns() - t0) / GETPID_BATCH;
  }
  report("getpid", s, n);
}

static void wait_ok(const char *metric, pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail(metric, "waitpid: %s", strerror(errno));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail(metric, "child ended with wait status 0x%x", status);
}

static void bench_fork_exit_wait(uint64_t *s, int n) {
  for (int i = 0; i < n; i++) {
    uint64_t t0 = monotonic_ns();
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    if (pid < 0) fail("fork_exit_wait", "fork: %s", strerror(errno));
    wait_ok("fork_exit_wait", pid);
    s[i] = monotonic_ns() - t0;
  }
  report("fork_exit_wait", s, n);
}

static void bench_fork_exec_wait(uint64_t *s, int n, const char *program) {
  if (access(program, X_OK) < 0) fail("fork_exec_wait", "%s: %s", program, strerror(errno));
  char *argv[] = {(char *)program, NULL};
  char *envp[] = {NULL};
  for (int i = 0; i < n; i++) {
    uint64_t t0 = monotonic_ns();
    pid_t pid = fork();
    if (pid == 0) {
      execve(program, argv, envp);
      _exit(127);
    }
    if (pid < 0) fail("fork_exec_wait", "fork: %s", strerror(errno));
    wait_ok("fork_exec_wait", pid);
    s[i] = monotonic_ns() - t0;
  }
  report("fork_exec_wait", s, n);
}

static void bench_pipe_pingpong(uint64_t *s, int n) {
  int ping[2], pong[2];
  if (pipe(ping) < 0 || pipe(pong) < 0) fail("pipe_pingpong", "pipe: %s", strerror(errno));
  pid_t pid = fork();
  if (pid < 0) fail("pipe_pingpong", "fork: %s", strerror(errno));
  if (pid == 0) {
    close(ping[1]);
    close(pong[0]);
    char c;
    while (read(ping[0], &c, 1) == 1) {
      if (write(pong[1], &c, 1) != 1) _exit(1);
    }
    _exit(0);
  }
  close(ping[0]);
  close(pong[1]);
  const int warmup = 10;
  for (int i = -warmup; i < n; i++) {
    char c = 'x';
    uint64_t t0 = monotonic_ns();
    if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) fail("pipe_pingpong", "pipe I/O: %s", strerror(errno));
    if (i >= 0) s[i] = monotonic_ns() - t0;
  }
  close(ping[1]);  // the child sees end of file and exits
  wait_ok("pipe_pingpong", pid);
  close(pong[0]);
  report("pipe_pingpong", s, n);
}

static void bench_page_fault(uint64_t *s, int n) {
  for (int i = 0; i < n; i++) {
    volatile char *p = mmap(NULL, FAULT_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) fail("page_fault", "mmap: %s", strerror(errno));
    uint64_t t0 = monotonic_ns();
    for (int k = 0; k < FAULT_PAGES; k++) p[k * PAGE] = 1;
    s[i] = (monotonic_ns() - t0) / FAULT_PAGES;
    munmap((void *)p, FAULT_PAGES * PAGE);
  }
  report("page_fault", s, n);
}

static void bench_tmpfs_read(uint64_t *s, int n) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/bench-sys-%d", (int)getpid());
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail("tmpfs_read_4k", "%s: %s", path, strerror(errno));
  unlink(path);  // gone when closed, whatever happens
  static char block[PAGE];
  for (int k = 0; k < FILE_PAGES; k++) {
    memset(block, 'a' + k % 26, sizeof block);
    if (write_all(fd, block, sizeof block) < 0) fail("tmpfs_read_4k", "write: %s", strerror(errno));
  }
  for (int i = 0; i < n; i++) {
    uint64_t t0 = monotonic_ns();
    for (int k = 0; k < READ_BATCH; k++) {
      off_t at = (off_t)((i * READ_BATCH + k) * 7 % FILE_PAGES) * PAGE;
      if (pread(fd, block, PAGE, at) != PAGE) fail("tmpfs_read_4k", "pread: %s", strerror(errno));
    }
    s[i] = (monotonic_ns() - t0) / READ_BATCH;
  }
  close(fd);
  report("tmpfs_read_4k", s, n);
}

/** As the init of a Linux guest: a console if there is none, and a tmpfs on /tmp. */
static void set_up_as_init(void) {
  if (fcntl(1, F_GETFD) < 0) {
    mkdir("/dev", 0755);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    int fd = open("/dev/console", O_RDWR);
    for (int k = 0; fd >= 0 && k <= 2; k++)
      if (fd != k) dup2(fd, k);
  }
  mkdir("/tmp", 01777);
  // On oskit /tmp is already a tmpfs and this may fail: use it as it is.
  mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777");
}

int main(int argc, char **argv) {
  is_init = getpid() == 1;
  if (is_init) set_up_as_init();
  line("bench sys: start");
  set_progname(argv[0]);
  int n = 100;
  const char *program = "/bin/true";
  int opt;
  while ((opt = getopt(argc, argv, "n:e:")) != -1) {
    uint64_t v;
    switch (opt) {
      case 'n':
        if (!parse_u64(optarg, &v) || v < 1 || v > 1000000) fail("options", "-n wants a count from 1 to 1000000");
        n = (int)v;
        break;
      case 'e': program = optarg; break;
      default: fail("options", "usage: bench-sys [-n N] [-e PATH]");
    }
  }
  uint64_t *samples = malloc((size_t)n * sizeof *samples);
  if (!samples) fail("options", "no memory for %d samples", n);
  bench_getpid(samples, n);
  bench_fork_exit_wait(samples, n);
  bench_fork_exec_wait(samples, n, program);
  bench_pipe_pingpong(samples, n);
  bench_page_fault(samples, n);
  bench_tmpfs_read(samples, n);
  line("bench sys: done");
  finish(0);
}
