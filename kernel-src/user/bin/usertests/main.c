// usertests [-l] [NAME...]: run every test (or the named ones), one line
// each, then "usertests: N passed, M failed"; exit 0 only when all passed.
// -l lists the test names. Run it as an unprivileged user on Linux (root
// ignores RLIMIT_NPROC there), e.g.
//   setpriv --reuid=nobody --regid=nogroup --clear-groups usertests
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ulib.h"
#include "usertests.h"

struct test {
  const char *name;
  void (*fn)(void);
  int timeout_s;
};

#define UT_ENTRY(name, timeout) {#name, test_##name, timeout},
static const struct test tests[] = {UT_TESTS(UT_ENTRY)};
#undef UT_ENTRY
#define NTESTS (sizeof tests / sizeof tests[0])

const char *ut_self = "/bin/usertests";
const char *ut_current = "";
char ut_dir[PATH_MAX];
pid_t ut_runner;
static int reason_fd = -1;  // the test child's report pipe to the runner
static char root_dir[64];  // /tmp/usertests-PID

// ---- raw system calls and checks ----

long ut_syscall(long nr, long a, long b, long c, long d, long e, long f) {
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}

static const struct {
  int err;
  const char *name;
} errno_names[] = {
  {EPERM, "EPERM"},     {ENOENT, "ENOENT"},   {ESRCH, "ESRCH"},         {EINTR, "EINTR"},
  {EIO, "EIO"},         {ENXIO, "ENXIO"},     {E2BIG, "E2BIG"},         {ENOEXEC, "ENOEXEC"},
  {EBADF, "EBADF"},     {ECHILD, "ECHILD"},   {EAGAIN, "EAGAIN"},       {ENOMEM, "ENOMEM"},
  {EACCES, "EACCES"},   {EFAULT, "EFAULT"},   {EBUSY, "EBUSY"},         {EEXIST, "EEXIST"},
  {EXDEV, "EXDEV"},     {ENODEV, "ENODEV"},   {ENOTDIR, "ENOTDIR"},     {EISDIR, "EISDIR"},
  {EINVAL, "EINVAL"},   {ENFILE, "ENFILE"},   {EMFILE, "EMFILE"},       {ENOTTY, "ENOTTY"},
  {ETXTBSY, "ETXTBSY"}, {EFBIG, "EFBIG"},     {ENOSPC, "ENOSPC"},       {ESPIPE, "ESPIPE"},
  {EROFS, "EROFS"},     {EMLINK, "EMLINK"},   {EPIPE, "EPIPE"},         {ERANGE, "ERANGE"},
  {ENAMETOOLONG, "ENAMETOOLONG"}, {ENOSYS, "ENOSYS"}, {ENOTEMPTY, "ENOTEMPTY"}, {ELOOP, "ELOOP"},
  {EOVERFLOW, "EOVERFLOW"}, {EOPNOTSUPP, "EOPNOTSUPP"},
};

const char *ut_errno_name(int err) {
  for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++)
    if (errno_names[i].err == err) return errno_names[i].name;
  static char buf[32];
  snprintf(buf, sizeof buf, "errno %d", err);
  return buf;
}

static const char *base(const char *file) {
  const char *slash = strrchr(file, '/');
  return slash ? slash + 1 : file;
}

void ut_fail(const char *file, int line, const char *fmt, ...) {
  char msg[512];
  int n = snprintf(msg, sizeof msg, "%s:%d: ", base(file), line);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg + n, sizeof msg - (size_t)n - 1, fmt, ap);
  va_end(ap);
  size_t len = strlen(msg);
  msg[len++] = '\n';
  fflush(stdout);
  if (reason_fd >= 0) write_all(reason_fd, msg, len);
  else write_all(2, msg, len);
  _exit(1);
}

/** "-ENOENT" for negative errno values, else the number. */
static const char *result_text(long r) {
  static char buf[64];
  if (r < 0 && r >= -4095) snprintf(buf, sizeof buf, "%s", ut_errno_name((int)-r));
  else snprintf(buf, sizeof buf, "%ld", r);
  return buf;
}

long ut_ok(long r, const char *call, const char *file, int line) {
  if (r < 0 && r >= -4095) ut_fail(file, line, "%s: %s", call, ut_errno_name((int)-r));
  return r;
}

long ut_lok(long r, const char *call, const char *file, int line) {
  if (r == -1) ut_fail(file, line, "%s: %s", call, ut_errno_name(errno));
  return r;
}

void ut_err(long r, int err, const char *call, const char *file, int line) {
  if (r != -err) ut_fail(file, line, "%s: expected %s, got %s", call, ut_errno_name(err), result_text(r));
}

// ---- processes ----

pid_t ut_fork(void) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) FAIL("fork: %s", ut_errno_name(errno));
  return pid;
}

int ut_wait(pid_t pid) {
  int status;
  pid_t r;
  while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
  }
  if (r != pid) FAIL("waitpid(%d): %s", (int)pid, r < 0 ? ut_errno_name(errno) : "wrong pid");
  return status;
}

const char *ut_status_text(int status) {
  static char buf[96];
  if (WIFEXITED(status)) snprintf(buf, sizeof buf, "exited %d", WEXITSTATUS(status));
  else if (WIFSIGNALED(status))
    snprintf(buf, sizeof buf, "killed by signal %d (%s)", WTERMSIG(status), signal_description(WTERMSIG(status)));
  else if (WIFSTOPPED(status)) snprintf(buf, sizeof buf, "stopped by signal %d", WSTOPSIG(status));
  else snprintf(buf, sizeof buf, "wait status 0x%x", status);
  return buf;
}

void ut_expect_exit(pid_t pid, int code) {
  int st = ut_wait(pid);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != code) FAIL("child %s, expected exit %d", ut_status_text(st), code);
}

void ut_expect_signal(pid_t pid, int sig) {
  int st = ut_wait(pid);
  if (!WIFSIGNALED(st) || WTERMSIG(st) != sig)
    FAIL("child %s, expected death by signal %d (%s)", ut_status_text(st), sig, signal_description(sig));
}

int ut_in_child(void (*fn)(void *), void *arg) {
  pid_t pid = ut_fork();
  if (pid == 0) {
    fn(arg);
    _exit(0);
  }
  return ut_wait(pid);
}

bool ut_wait_sleeping(pid_t pid) {
  char path[32];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  for (int i = 0; i < 10000; i++) {
    char buf[256];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return false;
    buf[n] = 0;
    const char *paren = strrchr(buf, ')');  // the name may hold spaces and parentheses
    if (paren && paren[1] == ' ' && paren[2] == 'S') return true;
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
  return false;
}

// ---- files and output ----

void ut_write_file(const char *path, const void *data, size_t len, mode_t mode) {
  int fd = (int)OK(SYS(SYS_open, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (write_all(fd, data, len) < 0) FAIL("writing %s: %s", path, ut_errno_name(errno));
  OK(SYS(SYS_close, fd));
}

size_t ut_read_all(int fd, char *buf, size_t cap) {
  size_t len = 0;
  while (len + 1 < cap) {
    long n = SYS(SYS_read, fd, buf + len, cap - 1 - len);
    if (n == -EINTR) continue;
    OK(n);
    if (n == 0) break;
    len += (size_t)n;
  }
  buf[len] = '\0';
  return len;
}

void ut_info(const char *fmt, ...) {
  char msg[512];
  int n = snprintf(msg, sizeof msg, "usertests: %s: ", ut_current);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg + n, sizeof msg - (size_t)n - 1, fmt, ap);
  va_end(ap);
  size_t len = strlen(msg);
  msg[len++] = '\n';
  fflush(stdout);
  write_all(1, msg, len);
}

uint64_t ut_mem_free_kb(void) {
  // Touched first: a stack page faulted in by the read itself would be
  // taken after the kernel counted MemFree, and the next reading would seem
  // to have lost it.
  char text[8192];
  memset(text, 0, sizeof text);
  uint64_t kb;
  if (read_text_file("/proc/meminfo", text, sizeof text) < 0) FAIL("/proc/meminfo: %s", ut_errno_name(errno));
  if (!meminfo_kb(text, "MemFree", &kb)) FAIL("/proc/meminfo has no MemFree line");
  return kb;
}

bool ut_is_oskit(void) {
  struct utsname u;
  return uname(&u) == 0 && strcmp(u.sysname, "oskit") == 0;
}

// ---- the runner ----

/** Run one test in a child; true when it passed, else `reason` says why. */
static bool run_test(const struct test *t, char *reason, size_t cap) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) < 0) {
    snprintf(reason, cap, "pipe: %s", strerror(errno));
    return false;
  }
  snprintf(ut_dir, sizeof ut_dir, "%s/%s", root_dir, t->name);
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(reason, cap, "fork: %s", strerror(errno));
    close(report[0]);
    close(report[1]);
    return false;
  }
  if (pid == 0) {
    close(report[0]);
    reason_fd = report[1];
    ut_current = t->name;
    alarm((unsigned)t->timeout_s);
    umask(022);
    if (mkdir(ut_dir, 0755) < 0 || chdir(ut_dir) < 0) FAIL("scratch directory %s: %s", ut_dir, strerror(errno));
    t->fn();
    fflush(stdout);
    _exit(0);
  }
  close(report[1]);
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      snprintf(reason, cap, "waitpid: %s", strerror(errno));
      close(report[0]);
      return false;
    }
  }
  // The report was written before the child exited; read what is there
  // without waiting for processes the test may have left behind.
  fcntl(report[0], F_SETFL, O_NONBLOCK);
  char text[512];
  ssize_t n = read(report[0], text, sizeof text - 1);
  close(report[0]);
  text[n > 0 ? n : 0] = '\0';
  char *nl = strchr(text, '\n');
  if (nl) *nl = '\0';
  remove_tree(ut_dir, true);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !text[0]) return true;
  if (text[0]) snprintf(reason, cap, "%s", text);
  else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) snprintf(reason, cap, "timed out after %d s", t->timeout_s);
  else snprintf(reason, cap, "test process %s", ut_status_text(status));
  return false;
}

static const struct test *find_test(const char *name) {
  for (size_t i = 0; i < NTESTS; i++)
    if (strcmp(tests[i].name, name) == 0) return &tests[i];
  return NULL;
}

/** Our own absolute path, to exec ourselves from any directory. */
static void find_self(const char *argv0) {
  static char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n > 0) {
    path[n] = '\0';
  } else if (argv0[0] == '/') {
    snprintf(path, sizeof path, "%s", argv0);
  } else if (strchr(argv0, '/') && getcwd(path, sizeof path)) {
    size_t len = strlen(path);
    snprintf(path + len, sizeof path - len, "/%s", argv0);
  } else {
    return;  // found through PATH: /bin/usertests
  }
  ut_self = path;
}

int main(int argc, char **argv) {
  set_progname("usertests");
  int helper = ut_helper_main(argc, argv);
  if (helper >= 0) return helper;
  if (argc == 2 && strcmp(argv[1], "-l") == 0) {
    for (size_t i = 0; i < NTESTS; i++) printf("%s\n", tests[i].name);
    return 0;
  }
  for (int i = 1; i < argc; i++) {
    if (!find_test(argv[i])) {
      fprintf(stderr, "usertests: no test named '%s' (usertests -l lists them)\n", argv[i]);
      return 2;
    }
  }
  find_self(argv[0]);
  ut_runner = getpid();
  // Faulting tests must not leave core files behind.
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  snprintf(root_dir, sizeof root_dir, "/tmp/usertests-%d", (int)getpid());
  if (mkdir(root_dir, 0755) < 0) die_errno(1, "cannot create %s", root_dir);
  setvbuf(stdout, NULL, _IOLBF, 0);

  int passed = 0, failed = 0;
  for (size_t i = 0; i < NTESTS; i++) {
    const struct test *t = &tests[i];
    if (argc > 1) {
      bool wanted = false;
      for (int k = 1; k < argc && !wanted; k++) wanted = strcmp(argv[k], t->name) == 0;
      if (!wanted) continue;
    }
    char reason[512];
    if (run_test(t, reason, sizeof reason)) {
      printf("usertests: %s ... ok\n", t->name);
      passed++;
    } else {
      printf("usertests: %s ... FAILED: %s\n", t->name, reason);
      failed++;
    }
  }
  remove_tree(root_dir, true);
  printf("usertests: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
