// Signal names (kill -l, kill -SIG) and descriptions (what bash prints when a
// job dies by a signal). Linux x86-64 numbering.
#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ulib.h"

struct signal_info {
  const char *name;
  const char *description;  // glibc's strsignal(), which bash prints
};

// Indexed by signal number; 1..31 as procps `kill -l` lists them.
static const struct signal_info signals[ULIB_NSIG_STD] = {
  [SIGHUP] = {"HUP", "Hangup"},
  [SIGINT] = {"INT", "Interrupt"},
  [SIGQUIT] = {"QUIT", "Quit"},
  [SIGILL] = {"ILL", "Illegal instruction"},
  [SIGTRAP] = {"TRAP", "Trace/breakpoint trap"},
  [SIGABRT] = {"ABRT", "Aborted"},
  [SIGBUS] = {"BUS", "Bus error"},
  [SIGFPE] = {"FPE", "Floating point exception"},
  [SIGKILL] = {"KILL", "Killed"},
  [SIGUSR1] = {"USR1", "User defined signal 1"},
  [SIGSEGV] = {"SEGV", "Segmentation fault"},
  [SIGUSR2] = {"USR2", "User defined signal 2"},
  [SIGPIPE] = {"PIPE", "Broken pipe"},
  [SIGALRM] = {"ALRM", "Alarm clock"},
  [SIGTERM] = {"TERM", "Terminated"},
  [SIGSTKFLT] = {"STKFLT", "Stack fault"},
  [SIGCHLD] = {"CHLD", "Child exited"},
  [SIGCONT] = {"CONT", "Continued"},
  [SIGSTOP] = {"STOP", "Stopped (signal)"},
  [SIGTSTP] = {"TSTP", "Stopped"},
  [SIGTTIN] = {"TTIN", "Stopped (tty input)"},
  [SIGTTOU] = {"TTOU", "Stopped (tty output)"},
  [SIGURG] = {"URG", "Urgent I/O condition"},
  [SIGXCPU] = {"XCPU", "CPU time limit exceeded"},
  [SIGXFSZ] = {"XFSZ", "File size limit exceeded"},
  [SIGVTALRM] = {"VTALRM", "Virtual timer expired"},
  [SIGPROF] = {"PROF", "Profiling timer expired"},
  [SIGWINCH] = {"WINCH", "Window changed"},
  [SIGPOLL] = {"POLL", "I/O possible"},
  [SIGPWR] = {"PWR", "Power failure"},
  [SIGSYS] = {"SYS", "Bad system call"},
};

const char *signal_name(int sig) {
  if (sig <= 0 || sig >= ULIB_NSIG_STD) return NULL;
  return signals[sig].name;
}

int signal_number(const char *name) {
  if (!name || !*name) return -1;
  if (isdigit((unsigned char)*name)) {
    uint64_t n;
    if (!parse_u64(name, &n) || n >= 65) return -1;
    return (int)n;
  }
  if (strncasecmp(name, "SIG", 3) == 0) name += 3;
  for (int sig = 1; sig < ULIB_NSIG_STD; sig++) {
    if (strcasecmp(name, signals[sig].name) == 0) return sig;
  }
  // Aliases Linux tools accept.
  if (strcasecmp(name, "IOT") == 0) return SIGABRT;
  if (strcasecmp(name, "IO") == 0) return SIGIO;
  if (strcasecmp(name, "CLD") == 0) return SIGCHLD;
  return -1;
}

const char *signal_description(int sig) {
  if (sig > 0 && sig < ULIB_NSIG_STD) return signals[sig].description;
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) return "Real-time signal";
  return "Unknown signal";
}
