// Signal tests: a handler runs with the right siginfo and its return resumes
// the interrupted code with every register intact (rt_sigreturn); blocked
// signals stay pending until unblocked; sa_mask and the handler's own signal
// are blocked while it runs; interrupted system calls fail with EINTR or
// restart with SA_RESTART; SIGCHLD arrives when a child exits; writing to a
// pipe without readers raises SIGPIPE, or fails with EPIPE when it is ignored.
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ulib.h"
#include "usertests.h"

static volatile sig_atomic_t handled;
static volatile int handled_signo, handled_code, handled_pid, handled_uid;
static volatile int handled_status;
static volatile bool handled_context;

static void on_signal_info(int sig, siginfo_t *info, void *context) {
  handled_signo = sig;
  handled_code = info->si_code;
  handled_pid = info->si_pid;
  handled_uid = (int)info->si_uid;
  handled_status = info->si_status;
  handled_context = context != NULL;
  handled++;
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags, const sigset_t *mask) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = fn;
  sa.sa_flags = SA_SIGINFO | flags;
  if (mask) sa.sa_mask = *mask;
  else sigemptyset(&sa.sa_mask);
  LOK(sigaction(sig, &sa, NULL));
}

void test_sig_handler(void) {
  install(SIGUSR1, on_signal_info, 0, NULL);
  handled = 0;
  OK(SYS(SYS_kill, getpid(), SIGUSR1));
  // A signal sent to oneself is delivered before kill returns.
  CHECKF(handled == 1, "handler ran %d times", (int)handled);
  CHECK(handled_signo == SIGUSR1);
  CHECKF(handled_code == SI_USER, "si_code %d", handled_code);
  CHECK(handled_pid == getpid());
  CHECK(handled_uid == (int)getuid());
  CHECK(handled_context);
  // From another process.
  handled = 0;
  pid_t parent = getpid();
  pid_t pid = ut_fork();
  if (pid == 0) {
    SYS(SYS_kill, parent, SIGUSR1);
    _exit(0);
  }
  ut_expect_exit(pid, 0);
  for (int i = 0; i < 1000 && !handled; i++) sched_yield();
  CHECK(handled == 1 && handled_pid == pid);
  // Back to the default: SIGUSR1 terminates.
  signal(SIGUSR1, SIG_DFL);
  pid = ut_fork();
  if (pid == 0) {
    SYS(SYS_kill, getpid(), SIGUSR1);
    _exit(0);
  }
  ut_expect_signal(pid, SIGUSR1);
}

// ---- registers across a handler ----

static volatile int regs_flag;

static void on_usr1_clobber(int sig) {
  (void)sig;
  // Use integer and SSE registers freely in the handler.
  volatile double d = 1.5;
  for (int i = 0; i < 10; i++) d = d * 3.25 + i;
  volatile unsigned long x = 0x123456789abcdefu;
  for (int i = 0; i < 10; i++) x = x * 6364136223846793005u + 1442695040888963407u;
  regs_flag = 1;
}

/**
 * Fill the general registers (but rsp/rbp) and xmm0 with patterns, spin until
 * the handler sets regs_flag, then check every pattern. 0 when all held,
 * else the number of the first changed register.
 */
static long spin_with_patterns(void) {
  long result;
  __asm__ volatile(
      "movabsq $0x1111111111111111, %%rbx\n\t"
      "movabsq $0x2222222222222222, %%rcx\n\t"
      "movabsq $0x3333333333333333, %%rdx\n\t"
      "movabsq $0x4444444444444444, %%rsi\n\t"
      "movabsq $0x5555555555555555, %%rdi\n\t"
      "movabsq $0x8888888888888888, %%r8\n\t"
      "movabsq $0x9999999999999999, %%r9\n\t"
      "movabsq $0xaaaaaaaaaaaaaaaa, %%r10\n\t"
      "movabsq $0xbbbbbbbbbbbbbbbb, %%r11\n\t"
      "movabsq $0xcccccccccccccccc, %%r12\n\t"
      "movabsq $0xdddddddddddddddd, %%r13\n\t"
      "movabsq $0xeeeeeeeeeeeeeeee, %%r14\n\t"
      "movabsq $0xffffffffffffffff, %%r15\n\t"
      "movabsq $0x0123456789abcdef, %%rax\n\t"
      "movq %%rax, %%xmm0\n\t"
      "movabsq $0x7777777777777777, %%rax\n\t"
      "1: cmpl $0, %[flag]\n\t"
      "je 1b\n\t"
      "movq %%rax, %%xmm1\n\t"  // keep rax's value to check last
      "movabsq $0x1111111111111111, %%rax\n\t cmpq %%rax, %%rbx\n\t movl $1, %%eax\n\t jne 2f\n\t"
      "movabsq $0x2222222222222222, %%rax\n\t cmpq %%rax, %%rcx\n\t movl $2, %%eax\n\t jne 2f\n\t"
      "movabsq $0x3333333333333333, %%rax\n\t cmpq %%rax, %%rdx\n\t movl $3, %%eax\n\t jne 2f\n\t"
      "movabsq $0x4444444444444444, %%rax\n\t cmpq %%rax, %%rsi\n\t movl $4, %%eax\n\t jne 2f\n\t"
      "movabsq $0x5555555555555555, %%rax\n\t cmpq %%rax, %%rdi\n\t movl $5, %%eax\n\t jne 2f\n\t"
      "movabsq $0x8888888888888888, %%rax\n\t cmpq %%rax, %%r8\n\t movl $8, %%eax\n\t jne 2f\n\t"
      "movabsq $0x9999999999999999, %%rax\n\t cmpq %%rax, %%r9\n\t movl $9, %%eax\n\t jne 2f\n\t"
      "movabsq $0xaaaaaaaaaaaaaaaa, %%rax\n\t cmpq %%rax, %%r10\n\t movl $10, %%eax\n\t jne 2f\n\t"
      "movabsq $0xbbbbbbbbbbbbbbbb, %%rax\n\t cmpq %%rax, %%r11\n\t movl $11, %%eax\n\t jne 2f\n\t"
      "movabsq $0xcccccccccccccccc, %%rax\n\t cmpq %%rax, %%r12\n\t movl $12, %%eax\n\t jne 2f\n\t"
      "movabsq $0xdddddddddddddddd, %%rax\n\t cmpq %%rax, %%r13\n\t movl $13, %%eax\n\t jne 2f\n\t"
      "movabsq $0xeeeeeeeeeeeeeeee, %%rax\n\t cmpq %%rax, %%r14\n\t movl $14, %%eax\n\t jne 2f\n\t"
      "movabsq $0xffffffffffffffff, %%rax\n\t cmpq %%rax, %%r15\n\t movl $15, %%eax\n\t jne 2f\n\t"
      "movq %%xmm0, %%rbx\n\t movabsq $0x0123456789abcdef, %%rax\n\t cmpq %%rax, %%rbx\n\t movl $16, %%eax\n\t jne 2f\n\t"
      "movq %%xmm1, %%rbx\n\t movabsq $0x7777777777777777, %%rax\n\t cmpq %%rax, %%rbx\n\t movl $17, %%eax\n\t jne 2f\n\t"
      "xorl %%eax, %%eax\n\t"
      "2:"
      : "=a"(result)
      : [flag] "m"(regs_flag)
      : "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "xmm0", "xmm1",
        "memory", "cc");
  return result;
}

void test_sig_regs(void) {
  static const char *const names[] = {"", "rbx", "rcx", "rdx", "rsi", "rdi", "", "", "r8", "r9", "r10", "r11", "r12",
                                      "r13", "r14", "r15", "xmm0", "rax"};
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1_clobber;
  sigemptyset(&sa.sa_mask);
  LOK(sigaction(SIGUSR1, &sa, NULL));
  // Another process interrupts the spinning loop (the timer preempts it on one CPU).
  for (int round = 0; round < 3; round++) {
    regs_flag = 0;
    pid_t parent = getpid();
    pid_t pid = ut_fork();
    if (pid == 0) {
      struct timespec ts = {0, 20000000};
      nanosleep(&ts, NULL);
      SYS(SYS_kill, parent, SIGUSR1);
      _exit(0);
    }
    long bad = spin_with_patterns();
    CHECKF(bad == 0, "round %d: %s changed across the signal handler", round, names[bad]);
    ut_expect_exit(pid, 0);
  }
}

// ---- masks ----

static volatile int order[8], norder;

static void note(int what) {
  if (norder < 8) order[norder++] = what;
}

static void on_usr1_raise_usr2(int sig, siginfo_t *info, void *ctx) {
  (void)sig, (void)info, (void)ctx;
  note(1);
  if (norder == 1) {
    SYS(SYS_kill, getpid(), SIGUSR2);  // blocked by sa_mask: waits for our return
    SYS(SYS_kill, getpid(), SIGUSR1);  // our own signal: blocked too
  }
  note(2);
}

static void on_usr2_note(int sig, siginfo_t *info, void *ctx) {
  (void)sig, (void)info, (void)ctx;
  note(3);
}

static void on_usr1_count(int sig, siginfo_t *info, void *ctx) {
  (void)sig, (void)info, (void)ctx;
  handled++;
}

void test_sig_mask(void) {
  install(SIGUSR1, on_usr1_count, 0, NULL);
  sigset_t usr1, old, pending, now;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  handled = 0;
  LOK(sigprocmask(SIG_BLOCK, &usr1, &old));
  CHECK(!sigismember(&old, SIGUSR1));
  OK(SYS(SYS_kill, getpid(), SIGUSR1));
  OK(SYS(SYS_kill, getpid(), SIGUSR1));  // standard signals do not queue
  CHECK(handled == 0);
  LOK(sigpending(&pending));
  CHECK(sigismember(&pending, SIGUSR1));
  LOK(sigprocmask(SIG_UNBLOCK, &usr1, NULL));
  CHECKF(handled == 1, "after unblocking the handler ran %d times", (int)handled);
  LOK(sigpending(&pending));
  CHECK(!sigismember(&pending, SIGUSR1));
  // sa_mask and the handler's own signal are blocked while it runs.
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  install(SIGUSR1, on_usr1_raise_usr2, 0, &usr2);
  install(SIGUSR2, on_usr2_note, 0, NULL);
  norder = 0;
  OK(SYS(SYS_kill, getpid(), SIGUSR1));
  // The first handler runs whole (1, 2); then the pending USR1 (1, 2) and
  // USR2 (3) in either order, never nested inside another.
  static const int usr1_first[] = {1, 2, 1, 2, 3}, usr2_first[] = {1, 2, 3, 1, 2};
  bool as_expected = norder == 5;
  for (int i = 0; i < 5 && as_expected; i++) as_expected = order[i] == usr1_first[i];
  if (!as_expected && norder == 5) {
    as_expected = true;
    for (int i = 0; i < 5 && as_expected; i++) as_expected = order[i] == usr2_first[i];
  }
  CHECKF(as_expected, "handler order %d %d %d %d %d (%d entries)", order[0], order[1], order[2], order[3], order[4],
         (int)norder);
  LOK(sigprocmask(SIG_SETMASK, NULL, &now));
  CHECK(!sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2));  // restored by rt_sigreturn
  // SIGKILL and SIGSTOP cannot be caught, blocked or ignored.
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_IGN;
  CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL);
  CHECK(sigaction(SIGSTOP, &sa, NULL) == -1 && errno == EINVAL);
  uint64_t raw_all = ~0ull, raw_now = 0;
  OK(SYS(SYS_rt_sigprocmask, SIG_SETMASK, &raw_all, NULL, 8));
  OK(SYS(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &raw_now, 8));
  CHECKF(!(raw_now & (1ull << (SIGKILL - 1))) && !(raw_now & (1ull << (SIGSTOP - 1))), "mask 0x%llx",
         (unsigned long long)raw_now);
  OK(SYS(SYS_rt_sigprocmask, SIG_SETMASK, &(uint64_t){0}, NULL, 8));
  ERR(SYS(SYS_rt_sigprocmask, SIG_SETMASK, &raw_all, NULL, 4), EINVAL);
  ERR(SYS(SYS_rt_sigprocmask, 3, &raw_all, NULL, 8), EINVAL);
  // Ignored: nothing happens.
  signal(SIGUSR1, SIG_IGN);
  OK(SYS(SYS_kill, getpid(), SIGUSR1));
}

// The write end of a pipe on_usr1_ack answers on (the handler has run).
static int ack_fd = -1;

static void on_usr1_ack(int sig) {
  (void)sig;
  handled++;
  SYS(SYS_write, ack_fd, "a", 1);
}

static void on_usr1_plain(int sig) {
  (void)sig;
  handled++;
}

void test_sig_restart(void) {
  // A read on an empty pipe, interrupted by a handled signal: EINTR without
  // SA_RESTART; with it, the read resumes and returns the data sent later.
  for (int restart = 0; restart <= 1; restart++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1_ack;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigemptyset(&sa.sa_mask);
    LOK(sigaction(SIGUSR1, &sa, NULL));
    int p[2], ack[2];
    OK(SYS(SYS_pipe, p));
    OK(SYS(SYS_pipe, ack));
    ack_fd = ack[1];
    handled = 0;
    pid_t parent = getpid();
    pid_t pid = ut_fork();
    if (pid == 0) {
      // The signal while the parent is blocked in read; the data only once
      // its handler has run (by then the read has failed or will restart).
      if (!ut_wait_sleeping(parent)) _exit(2);
      SYS(SYS_kill, parent, SIGUSR1);
      char a;
      if (SYS(SYS_read, ack[0], &a, 1) != 1) _exit(3);
      SYS(SYS_write, p[1], "d", 1);
      _exit(0);
    }
    char c;
    long r = SYS(SYS_read, p[0], &c, 1);
    if (restart) CHECKF(r == 1 && c == 'd', "with SA_RESTART the read gave %ld", r);
    else ERR(r, EINTR);
    CHECK(handled == 1);
    ut_expect_exit(pid, 0);
    OK(SYS(SYS_close, p[0]));
    OK(SYS(SYS_close, p[1]));
    OK(SYS(SYS_close, ack[0]));
    OK(SYS(SYS_close, ack[1]));
  }
  // nanosleep interrupted: EINTR with the time left (even under SA_RESTART).
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1_plain;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  LOK(sigaction(SIGUSR1, &sa, NULL));
  pid_t parent = getpid();
  pid_t pid = ut_fork();
  if (pid == 0) {
    if (!ut_wait_sleeping(parent)) _exit(2);  // in nanosleep
    SYS(SYS_kill, parent, SIGUSR1);
    _exit(0);
  }
  struct timespec req = {5, 0}, rem = {0, 0};
  uint64_t t0 = monotonic_ns();
  ERR(SYS(SYS_nanosleep, &req, &rem), EINTR);
  uint64_t slept = monotonic_ns() - t0;
  CHECKF(slept < 4000000000u, "nanosleep was not interrupted (%llu ms)", (unsigned long long)(slept / 1000000));
  CHECKF(rem.tv_sec >= 1 && rem.tv_sec <= 5, "remaining %lld s", (long long)rem.tv_sec);
  ut_expect_exit(pid, 0);
}

void test_sigchld(void) {
  install(SIGCHLD, on_signal_info, 0, NULL);
  sigset_t chld, none;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigemptyset(&none);
  LOK(sigprocmask(SIG_BLOCK, &chld, NULL));
  handled = 0;
  pid_t pid = ut_fork();
  if (pid == 0) _exit(23);
  // Wait for the signal without a race: it is blocked until sigsuspend.
  while (!handled) sigsuspend(&none);
  CHECK(handled_signo == SIGCHLD);
  CHECKF(handled_code == CLD_EXITED, "si_code %d", handled_code);
  CHECK(handled_pid == pid);
  CHECK(handled_status == 23);
  ut_expect_exit(pid, 23);  // the handler does not reap it
  // Killed children report CLD_KILLED.
  handled = 0;
  pid = ut_fork();
  if (pid == 0) {
    for (;;) pause();
  }
  OK(SYS(SYS_kill, pid, SIGKILL));
  while (!handled) sigsuspend(&none);
  CHECKF(handled_code == CLD_KILLED && handled_status == SIGKILL, "si_code %d, si_status %d", handled_code,
         handled_status);
  ut_expect_signal(pid, SIGKILL);
  // With the default disposition nothing happens, and the child is still waited for.
  signal(SIGCHLD, SIG_DFL);
  LOK(sigprocmask(SIG_UNBLOCK, &chld, NULL));
  pid = ut_fork();
  if (pid == 0) _exit(1);
  ut_expect_exit(pid, 1);
}

static void write_to_closed_pipe(void *ignore) {
  if (ignore) signal(SIGPIPE, SIG_IGN);
  int p[2];
  OK(SYS(SYS_pipe, p));
  OK(SYS(SYS_close, p[0]));
  ERR(SYS(SYS_write, p[1], "x", 1), EPIPE);
}

void test_sigpipe(void) {
  int st = ut_in_child(write_to_closed_pipe, NULL);
  CHECKF(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "writing to a pipe without readers: %s", ut_status_text(st));
  st = ut_in_child(write_to_closed_pipe, (void *)1);
  CHECKF(WIFEXITED(st) && WEXITSTATUS(st) == 0, "with SIGPIPE ignored: %s", ut_status_text(st));
  // The reader is another process that exits.
  int p[2];
  OK(SYS(SYS_pipe, p));
  pid_t reader = ut_fork();
  if (reader == 0) _exit(0);
  ut_expect_exit(reader, 0);
  OK(SYS(SYS_close, p[0]));
  pid_t writer = ut_fork();
  if (writer == 0) {
    SYS(SYS_write, p[1], "x", 1);
    _exit(0);
  }
  ut_expect_signal(writer, SIGPIPE);
}
