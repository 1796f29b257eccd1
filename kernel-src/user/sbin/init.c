// init: process 1. Sets up the console, greets, runs the shell (or the
// program named on its command line) as the terminal's foreground process
// group, reaps every process (orphans are re-parented to it), restarts the
// shell when a signal kills it, and powers the machine off when it exits.
//
//   init                    /bin/sh
//   init PROGRAM [ARGS...]  PROGRAM instead (e.g. init /bin/usertests)
//
// Output: "Welcome to <Hostname>!" (the uname nodename, first letter
// capitalised), a blank line, then /etc/motd. INIT_MOTD=PATH reads another
// file instead, for testing on the host.
//
// Run as anything but PID 1 (a test on the host), it does everything except
// power off: after "Halting system..." it exits with the program's status.
//
// As busybox's init (whose halt, poweroff and reboot applets signal PID 1):
// SIGUSR1 halts, SIGUSR2 powers off, SIGTERM reboots, each after "Halting
// system..." (the machine stops the same way under QEMU's -no-reboot).
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ulib.h"

#define CONSOLE "/dev/console"
#define DEFAULT_PROGRAM "/bin/sh"
#define MOTD "/etc/motd"

static char *const child_env[] = {
  "PATH=/bin:/sbin", "HOME=/", "TERM=linux", "SHELL=/bin/sh", NULL,
};

/** Make fds 0, 1 and 2 refer to the console when they are not open. */
static void open_console(void) {
  for (int fd = 0; fd <= 2; fd++) {
    if (fcntl(fd, F_GETFD) >= 0) continue;
    int c = open(CONSOLE, O_RDWR);
    if (c < 0) return;  // nowhere to write even this message
    if (c != fd) {
      dup2(c, fd);
      close(c);
    }
  }
}

/**
 * Become a session leader with the console as controlling terminal. Opening
 * /dev/console never makes it the controlling terminal on Linux, so ask with
 * TIOCSCTTY. Fails harmlessly when init is not PID 1 (a test).
 */
static void take_terminal(void) {
  setsid();
  if (isatty(0)) ioctl(0, TIOCSCTTY, 0);
}

static void greet(void) {
  struct utsname u;
  char name[sizeof u.nodename] = "Linux";
  if (uname(&u) == 0 && u.nodename[0]) snprintf(name, sizeof name, "%s", u.nodename);
  name[0] = (char)toupper((unsigned char)name[0]);
  printf("Welcome to %s!\n\n", name);
  fflush(stdout);
  const char *motd = getenv("INIT_MOTD");
  int fd = open(motd ? motd : MOTD, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) write_all(1, buf, (size_t)n);
  close(fd);
}

/**
 * Start argv[0] in its own process group, made the terminal's foreground
 * group, with default signal handling and the standard environment.
 */
static pid_t start(char **argv) {
  pid_t pid = fork();
  if (pid < 0) {
    warn_errno("fork");
    return -1;
  }
  if (pid == 0) {
    setpgid(0, 0);
    if (isatty(0)) tcsetpgrp(0, getpid());  // SIGTTOU is still ignored here
    for (int sig = 1; sig < ULIB_NSIG_STD; sig++) signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(argv[0], argv, child_env);
    warn_errno("%s", argv[0]);
    _exit(127);
  }
  // Also from the parent, so the group exists before anyone signals it.
  setpgid(pid, pid);
  if (isatty(0)) tcsetpgrp(0, pid);
  return pid;
}

/** Power off (or halt, or restart); on failure there is nothing left to do but wait (PID 1 must not exit). */
static _Noreturn void power_off(int how) {
  sync();
  reboot(how);
  warn_errno("reboot");
  for (;;) pause();
}

/** SIGUSR1, SIGUSR2, SIGTERM to PID 1: stop the machine from the handler (only system calls: safe there). */
static void on_shutdown_signal(int sig) {
  static const char message[] = "Halting system...\n";
  write(STDOUT_FILENO, message, sizeof message - 1);
  power_off(sig == SIGUSR1 ? RB_HALT_SYSTEM : sig == SIGTERM ? RB_AUTOBOOT : RB_POWER_OFF);
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  bool is_pid1 = getpid() == 1;
  open_console();
  take_terminal();
  // init hands the terminal to its child with tcsetpgrp while in the
  // background: without this it would stop itself.
  signal(SIGTTOU, SIG_IGN);
  if (is_pid1) {
    // Linux already drops signals that PID 1 has no handler for; say so
    // rather than depend on it. Children get default handling back.
    static const int ignored[] = {SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGTTIN};
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) signal(ignored[i], SIG_IGN);
    struct sigaction shutdown = {.sa_handler = on_shutdown_signal};
    sigfillset(&shutdown.sa_mask);
    static const int shutdown_signals[] = {SIGUSR1, SIGUSR2, SIGTERM};
    for (size_t i = 0; i < 3; i++) sigaction(shutdown_signals[i], &shutdown, NULL);
  }
  greet();

  char *default_argv[] = {DEFAULT_PROGRAM, NULL};
  char **program = argc > 1 ? argv + 1 : default_argv;
  pid_t child = start(program);
  time_t started = time(NULL);
  for (;;) {
    int status;
    pid_t pid = child > 0 ? wait(&status) : -1;
    if (pid < 0) {
      if (errno == EINTR) continue;
      if (child > 0) warn_errno("wait");
      // Nothing to wait for (the fork failed): try again in a moment.
      sleep(1);
      child = start(program);
      started = time(NULL);
      continue;
    }
    if (pid != child) continue;  // an orphan, reaped
    if (WIFSIGNALED(status)) {
      int sig = WTERMSIG(status);
      printf("init: %s killed by signal %d (%s); restarting it\n", program[0], sig, signal_description(sig));
      fflush(stdout);
      if (time(NULL) - started < 1) sleep(1);  // a crash loop must not flood the console
      child = start(program);
      started = time(NULL);
      continue;
    }
    printf("Halting system...\n");
    fflush(stdout);
    if (is_pid1) power_off(RB_POWER_OFF);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  }
}
