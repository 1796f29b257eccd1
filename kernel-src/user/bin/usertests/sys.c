// System tests: uname, sysinfo, the clocks (monotonic never goes back,
// realtime is a plausible date), sleeping at least as long as asked,
// sched_yield, getrandom, resource limits, the thread pointer (arch_prctl,
// TLS and errno in a child), set_tid_address and set_robust_list.
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ulib.h"
#include "usertests.h"

// arch_prctl codes (Linux arch/x86/include/uapi/asm/prctl.h).
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

void test_uname(void) {
  struct utsname u;
  OK(SYS(SYS_uname, &u));
  CHECKF(strcmp(u.sysname, "Linux") == 0 || strcmp(u.sysname, "oskit") == 0, "sysname \"%s\"", u.sysname);
  CHECKF(strcmp(u.machine, "x86_64") == 0, "machine \"%s\"", u.machine);
  CHECK(u.nodename[0] != '\0');
  CHECK(u.release[0] != '\0');
  CHECK(u.version[0] != '\0');
  CHECK(memchr(u.sysname, '\0', sizeof u.sysname) && memchr(u.release, '\0', sizeof u.release));
}

void test_sysinfo(void) {
  struct sysinfo si;
  OK(SYS(SYS_sysinfo, &si));
  CHECK(si.mem_unit >= 1);
  unsigned long long total = (unsigned long long)si.totalram * si.mem_unit;
  CHECKF(total >= (16ull << 20), "totalram %llu bytes", total);
  CHECK(si.freeram <= si.totalram);
  CHECK(si.procs >= 1);
  ERR(SYS(SYS_sysinfo, BAD_ADDRESS), EFAULT);
}

static uint64_t raw_clock_ns(clockid_t clock) {
  struct timespec ts;
  OK(SYS(SYS_clock_gettime, clock, &ts));
  CHECKF(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000, "tv_nsec %ld", ts.tv_nsec);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void test_clock(void) {
  // The system calls themselves (musl on Linux would use the vDSO).
  uint64_t prev = raw_clock_ns(CLOCK_MONOTONIC);
  for (int i = 0; i < 10000; i++) {
    uint64_t now = raw_clock_ns(CLOCK_MONOTONIC);
    CHECKF(now >= prev, "CLOCK_MONOTONIC went back by %llu ns", (unsigned long long)(prev - now));
    prev = now;
  }
  struct timespec ten_ms = {0, 10000000};
  OK(SYS(SYS_nanosleep, &ten_ms, NULL));
  CHECK(raw_clock_ns(CLOCK_MONOTONIC) >= prev + 10000000);
  struct timespec rt;
  OK(SYS(SYS_clock_gettime, CLOCK_REALTIME, &rt));
  // Between 2020-01-01 and 2100-01-01.
  CHECKF(rt.tv_sec > 1577836800 && rt.tv_sec < 4102444800, "CLOCK_REALTIME %lld s", (long long)rt.tv_sec);
  struct timeval tv;
  OK(SYS(SYS_gettimeofday, &tv, NULL));
  CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
  long long diff = (long long)tv.tv_sec - (long long)rt.tv_sec;
  CHECKF(diff >= 0 && diff <= 1, "gettimeofday %lld s, CLOCK_REALTIME %lld s", (long long)tv.tv_sec, (long long)rt.tv_sec);
  struct timespec res;
  OK(SYS(SYS_clock_getres, CLOCK_MONOTONIC, &res));
  CHECKF(res.tv_sec == 0 && res.tv_nsec > 0, "resolution %lld.%09ld", (long long)res.tv_sec, res.tv_nsec);
  ERR(SYS(SYS_clock_gettime, 99, &rt), EINVAL);
  ERR(SYS(SYS_clock_gettime, CLOCK_MONOTONIC, BAD_ADDRESS), EFAULT);
}

/** Sleep `ns` with `sleep` and require at least that long on CLOCK_MONOTONIC. */
static void check_sleep(long ns, int (*sleep_fn)(const struct timespec *)) {
  struct timespec ts = {ns / 1000000000, ns % 1000000000};
  uint64_t t0 = raw_clock_ns(CLOCK_MONOTONIC);
  OK(sleep_fn(&ts));
  uint64_t slept = raw_clock_ns(CLOCK_MONOTONIC) - t0;
  CHECKF(slept >= (uint64_t)ns, "asked %ld ns, slept %llu ns", ns, (unsigned long long)slept);
  CHECKF(slept < (uint64_t)ns + 2000000000u, "asked %ld ns, slept %llu ns", ns, (unsigned long long)slept);
}

static int raw_nanosleep(const struct timespec *ts) { return (int)SYS(SYS_nanosleep, ts, NULL); }
static int raw_clock_nanosleep(const struct timespec *ts) { return (int)SYS(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, ts, NULL); }

void test_nanosleep(void) {
  static const long durations[] = {1000, 1000000, 20000000, 100000000, 1100000000};
  for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++) check_sleep(durations[i], raw_nanosleep);
  check_sleep(30000000, raw_clock_nanosleep);
  // An absolute deadline on the monotonic clock.
  uint64_t target = raw_clock_ns(CLOCK_MONOTONIC) + 50000000;
  struct timespec abs = {(time_t)(target / 1000000000u), (long)(target % 1000000000u)};
  OK(SYS(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
  CHECK(raw_clock_ns(CLOCK_MONOTONIC) >= target);
  // A deadline in the past returns at once.
  const struct timespec past = {1, 0}, one_s_ns = {0, 1000000000}, negative = {-1, 0}, short_ts = {0, 1000},
                        negative_ns = {0, -1};
  OK(SYS(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
  ERR(SYS(SYS_nanosleep, &one_s_ns, NULL), EINVAL);
  ERR(SYS(SYS_nanosleep, &negative, NULL), EINVAL);
  ERR(SYS(SYS_nanosleep, BAD_ADDRESS, NULL), EFAULT);
  ERR(SYS(SYS_clock_nanosleep, 99, 0, &short_ts, NULL), EINVAL);
  ERR(SYS(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &negative_ns, NULL), EINVAL);
}

void test_sched_yield(void) {
  for (int i = 0; i < 1000; i++) CHECK(SYS(SYS_sched_yield) == 0);
  // Two processes yielding to each other both make progress.
  pid_t pid = ut_fork();
  if (pid == 0) {
    for (int i = 0; i < 1000; i++) SYS(SYS_sched_yield);
    _exit(0);
  }
  for (int i = 0; i < 1000; i++) CHECK(SYS(SYS_sched_yield) == 0);
  ut_expect_exit(pid, 0);
}

void test_getrandom(void) {
  unsigned char a[64], b[64], zero[64] = {0};
  CHECK(SYS(SYS_getrandom, a, sizeof a, 0) == (long)sizeof a);
  CHECK(SYS(SYS_getrandom, b, sizeof b, 0x1 /* GRND_NONBLOCK */) == (long)sizeof b);
  CHECK(memcmp(a, zero, sizeof a) != 0);
  CHECK(memcmp(a, b, sizeof a) != 0);
  CHECK(SYS(SYS_getrandom, a, 0, 0) == 0);
  static unsigned char big[1 << 20];
  CHECK(SYS(SYS_getrandom, big, sizeof big, 0) > 0);
  ERR(SYS(SYS_getrandom, a, sizeof a, 0x100), EINVAL);
  ERR(SYS(SYS_getrandom, BAD_ADDRESS, 16, 0), EFAULT);
}

void test_prlimit(void) {
  struct rlimit old, got, now;
  OK(SYS(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &old));
  CHECK(old.rlim_cur <= old.rlim_max && old.rlim_cur >= 3);
  struct rlimit lower = {old.rlim_cur > 64 ? 64 : old.rlim_cur - 1, old.rlim_max};
  OK(SYS(SYS_prlimit64, 0, RLIMIT_NOFILE, &lower, &got));
  CHECK(got.rlim_cur == old.rlim_cur && got.rlim_max == old.rlim_max);  // the old values come back
  LOK(getrlimit(RLIMIT_NOFILE, &now));
  CHECK(now.rlim_cur == lower.rlim_cur);
  OK(SYS(SYS_prlimit64, getpid(), RLIMIT_STACK, NULL, &got));
  CHECK(got.rlim_cur > 0);
  struct rlimit inverted = {now.rlim_max, now.rlim_cur};
  if (inverted.rlim_cur > inverted.rlim_max) ERR(SYS(SYS_prlimit64, 0, RLIMIT_NOFILE, &inverted, NULL), EINVAL);
  ERR(SYS(SYS_prlimit64, 0, 99, NULL, &got), EINVAL);
  ERR(SYS(SYS_prlimit64, 0x3fffffff, RLIMIT_NOFILE, NULL, &got), ESRCH);
  ERR(SYS(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, BAD_ADDRESS), EFAULT);
}

static unsigned long read_fs_word0(void) {
  unsigned long v;
  __asm__ volatile("movq %%fs:0, %0" : "=r"(v));
  return v;
}

static _Thread_local int tls_value = 5;

void test_tls(void) {
  unsigned long fs = 0;
  OK(SYS(SYS_arch_prctl, ARCH_GET_FS, &fs));
  CHECK(fs != 0);
  CHECKF(fs == (unsigned long)pthread_self(), "FS base 0x%lx, musl's thread pointer %p", fs, (void *)pthread_self());
  CHECK(read_fs_word0() == fs);  // the x86-64 TLS ABI: the TCB points to itself
  // Another thread pointer, then back; no libc in between.
  static unsigned long block[8];
  block[0] = (unsigned long)block;
  OK(SYS(SYS_arch_prctl, ARCH_SET_FS, block));
  unsigned long seen = read_fs_word0();
  unsigned long base = 0;
  long r = SYS(SYS_arch_prctl, ARCH_GET_FS, &base);
  SYS(SYS_arch_prctl, ARCH_SET_FS, fs);
  OK(r);
  CHECKF(seen == (unsigned long)block && base == (unsigned long)block, "after ARCH_SET_FS: %%fs:0 0x%lx, base 0x%lx", seen,
         base);
  ERR(SYS(SYS_arch_prctl, ARCH_SET_FS, 0x800000000000ul), EPERM);  // not a user address
  ERR(SYS(SYS_arch_prctl, 0x9999, &base), EINVAL);
  ERR(SYS(SYS_arch_prctl, ARCH_GET_FS, BAD_ADDRESS), EFAULT);
  // errno and thread-local data in a child: its own copy, still working.
  tls_value = 6;
  pid_t pid = ut_fork();
  if (pid == 0) {
    CHECK(tls_value == 6);
    tls_value = 7;
    errno = 0;
    CHECK(close(-1) == -1 && errno == EBADF);
    CHECK(open("/nonexistent", O_RDONLY) == -1 && errno == ENOENT);
    unsigned long child_fs;
    OK(SYS(SYS_arch_prctl, ARCH_GET_FS, &child_fs));
    CHECK(child_fs == fs);  // inherited by fork
    _exit(tls_value == 7 ? 0 : 1);
  }
  ut_expect_exit(pid, 0);
  CHECK(tls_value == 6);
  errno = 0;
  CHECK(close(-1) == -1 && errno == EBADF);
}

// struct robust_list_head (Linux include/uapi/linux/futex.h): 24 bytes.
struct robust_list_head {
  void *next;
  long futex_offset;
  void *list_op_pending;
};

void test_tid_robust(void) {
  static int tid_word;
  long tid = SYS(SYS_set_tid_address, &tid_word);
  CHECK(tid == SYS(SYS_gettid) && tid == getpid());
  static struct robust_list_head head = {&head, 0, NULL};
  CHECK(sizeof head == 24);
  OK(SYS(SYS_set_robust_list, &head, sizeof head));
  ERR(SYS(SYS_set_robust_list, &head, sizeof head - 1), EINVAL);
  // In a child as well.
  pid_t pid = ut_fork();
  if (pid == 0) _exit(SYS(SYS_set_tid_address, &tid_word) == getpid() ? 0 : 1);
  ut_expect_exit(pid, 0);
}
