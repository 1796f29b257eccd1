// kill [-SIG | -s SIG | -N] PID...  and  kill -l [SIG]: send a signal
// (SIGTERM by default) to processes, or to a process group with a negative
// PID; list signal names as procps kill does.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ulib.h"

/** `kill -l`: the names of signals 1..31, sixteen to a line (procps layout). */
static int list_signals(void) {
  for (int sig = 1; sig < ULIB_NSIG_STD; sig++) {
    printf("%s%c", signal_name(sig), (sig % 16 == 0 || sig == ULIB_NSIG_STD - 1) ? '\n' : ' ');
  }
  return flush_stdout() == 0 ? 0 : 1;
}

/** `kill -l SIG`: the number for a name, the name for a number. */
static int translate_signal(const char *arg) {
  int sig = signal_number(arg);
  if (sig <= 0 || !signal_name(sig)) die_msg(1, "unknown signal name '%s'", arg);
  if (arg[0] >= '0' && arg[0] <= '9') printf("%s\n", signal_name(sig));
  else printf("%d\n", sig);
  return 0;
}

static int parse_signal(const char *spec) {
  int sig = signal_number(spec);
  if (sig < 0) die_msg(1, "unknown signal name '%s'", spec);
  return sig;
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  int sig = SIGTERM;
  int i = 1;
  if (i < argc && strcmp(argv[i], "-l") == 0) {
    if (i + 1 < argc) return translate_signal(argv[i + 1]);
    return list_signals();
  }
  if (i < argc && strcmp(argv[i], "-s") == 0) {
    if (i + 1 >= argc) die_msg(1, "option -s needs a signal");
    sig = parse_signal(argv[i + 1]);
    i += 2;
  } else if (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0 && argv[i][1] != '\0') {
    sig = parse_signal(argv[i] + 1);
    i++;
  }
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  if (i >= argc) {
    fprintf(stderr, "usage: kill [-SIG | -s SIG | -N] PID...  |  kill -l [SIG]\n");
    return 1;
  }
  int status = 0;
  for (; i < argc; i++) {
    char *end;
    errno = 0;
    long pid = strtol(argv[i], &end, 10);
    if (*argv[i] == '\0' || *end != '\0' || errno != 0 || pid != (int)pid) {
      warn_msg("failed to parse argument: '%s'", argv[i]);
      status = 1;
      continue;
    }
    if (kill((pid_t)pid, sig) < 0) {
      warn_errno("(%ld)", pid);
      status = 1;
    }
  }
  return status;
}
