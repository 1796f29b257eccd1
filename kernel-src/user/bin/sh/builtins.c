// Builtins: commands that must change the shell itself (cd, exit, export,
// unset, wait, fg, bg) or that ask about it (pwd, jobs, help, kill %JOB),
// plus true, false and ':'. Each takes argv/argc and returns its status; output goes
// through stdio (flushed by the executor).
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"
#include "ulib.h"

static int builtin_true(char **argv, size_t argc) {
  (void)argv, (void)argc;
  return 0;
}

static int builtin_false(char **argv, size_t argc) {
  (void)argv, (void)argc;
  return 1;
}

static int builtin_cd(char **argv, size_t argc) {
  const char *dir = argc > 1 ? argv[1] : var_get("HOME");
  bool print = false;
  if (argc > 2) {
    fprintf(stderr, "sh: cd: too many arguments\n");
    return 1;
  }
  if (!dir) {
    fprintf(stderr, "sh: cd: HOME not set\n");
    return 1;
  }
  if (strcmp(dir, "-") == 0) {
    dir = var_get("OLDPWD");
    if (!dir) {
      fprintf(stderr, "sh: cd: OLDPWD not set\n");
      return 1;
    }
    print = true;
  }
  char old[PATH_MAX];
  bool have_old = getcwd(old, sizeof old) != NULL;
  if (chdir(dir) < 0) {
    fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
    return 1;
  }
  if (have_old) var_set("OLDPWD", old);
  char now[PATH_MAX];
  if (getcwd(now, sizeof now)) {
    var_set("PWD", now);
    if (print) printf("%s\n", now);
  }
  return 0;
}

static int builtin_pwd(char **argv, size_t argc) {
  (void)argv, (void)argc;
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) {
    fprintf(stderr, "sh: pwd: %s\n", strerror(errno));
    return 1;
  }
  printf("%s\n", cwd);
  return 0;
}

static int builtin_exit(char **argv, size_t argc) {
  int status = sh.last_status;
  if (argc > 2) {
    fprintf(stderr, "sh: exit: too many arguments\n");
    return 1;
  }
  if (argc == 2) {
    char *end;
    long v = strtol(argv[1], &end, 10);
    if (!*argv[1] || *end) {
      fprintf(stderr, "sh: exit: %s: numeric argument required\n", argv[1]);
      status = 2;
    } else {
      status = (int)(v & 0xff);
    }
  }
  fflush(stdout);
  shell_exit(status);
}

static int builtin_export(char **argv, size_t argc) {
  if (argc == 1 || (argc == 2 && strcmp(argv[1], "-p") == 0)) {
    vars_print_exported();
    return 0;
  }
  int status = 0;
  for (size_t i = 1; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
    if (!is_valid_name(argv[i], len)) {
      fprintf(stderr, "sh: export: `%s': not a valid identifier\n", argv[i]);
      status = 1;
      continue;
    }
    char *name = xstrndup(argv[i], len);
    if (eq) var_set(name, eq + 1);
    var_set_exported(name, true);
    free(name);
  }
  return status;
}

static int builtin_unset(char **argv, size_t argc) {
  for (size_t i = 1; i < argc; i++) var_unset(argv[i]);
  return 0;
}

static void print_job(struct job *j) {
  job_print(j, stdout);
  // A finished job is reported once, then forgotten (as bash).
  if (job_is_done(j)) job_remove(j);
  else if (job_is_stopped(j)) j->notified = true;
}

static void forget_if_done(struct job *j) {
  if (job_is_done(j)) job_remove(j);
}

static int builtin_jobs(char **argv, size_t argc) {
  (void)argv, (void)argc;
  jobs_reap();
  jobs_each(print_job);
  return 0;
}

static volatile sig_atomic_t wait_interrupted;

static void on_wait_interrupt(int sig) {
  (void)sig;
  wait_interrupted = 1;
}

/**
 * Block until `j` (or, for NULL, every running job) has finished or
 * stopped. ^C interrupts the wait (status 130) though the shell otherwise
 * ignores SIGINT.
 */
static int wait_for(struct job *j) {
  struct sigaction sa = {.sa_handler = on_wait_interrupt}, old;
  sigemptyset(&sa.sa_mask);  // no SA_RESTART: waitpid returns EINTR
  sigaction(SIGINT, &sa, &old);
  wait_interrupted = 0;
  int result = 0;
  for (;;) {
    bool pending = j ? !job_is_done(j) && !job_is_stopped(j) : jobs_any_running();
    if (!pending) break;
    if (!jobs_wait_any()) {
      if (errno == EINTR && wait_interrupted) {
        if (sh.interactive) fputc('\n', stderr);  // after the terminal's ^C
        result = 128 + SIGINT;
        break;
      }
      if (errno != EINTR) break;  // ECHILD: nothing left to wait for
    }
  }
  sigaction(SIGINT, &old, NULL);
  if (result == 0 && j && job_is_done(j)) result = job_status(j);
  return result;
}

static int builtin_wait(char **argv, size_t argc) {
  jobs_reap();
  if (argc == 1) {
    int status = wait_for(NULL);
    // Without job control nobody reports them: they are collected now.
    if (!sh.interactive) jobs_each(forget_if_done);
    return status;
  }
  int status = 0;
  for (size_t i = 1; i < argc; i++) {
    struct job *j = job_find(argv[i]);
    if (!j) {
      fprintf(stderr, "sh: wait: %s: no such job\n", argv[i]);
      status = 127;
      continue;
    }
    status = wait_for(j);
    if (!sh.interactive && job_is_done(j)) job_remove(j);
  }
  return status;
}

/**
 * kill [-SIG | -s SIG] TARGET...: as /bin/kill, and TARGET may be a job
 * (%N, %+, %-), which means its whole process group.
 */
static int builtin_kill(char **argv, size_t argc) {
  size_t i = 1;
  int sig = SIGTERM;
  if (i < argc && strcmp(argv[i], "-l") == 0) {
    for (int n = 1; n < ULIB_NSIG_STD; n++) printf("%s%c", signal_name(n), n % 16 == 0 || n == ULIB_NSIG_STD - 1 ? '\n' : ' ');
    return 0;
  }
  if (i + 1 < argc && strcmp(argv[i], "-s") == 0) {
    sig = signal_number(argv[i + 1]);
    i += 2;
  } else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0) {
    sig = signal_number(argv[i] + 1);
    i++;
  }
  if (sig < 0) {
    fprintf(stderr, "sh: kill: %s: invalid signal specification\n", argv[i - 1]);
    return 1;
  }
  if (i < argc && strcmp(argv[i], "--") == 0) i++;
  if (i >= argc) {
    fprintf(stderr, "sh: kill: usage: kill [-SIG | -s SIG] PID|%%JOB...\n");
    return 2;
  }
  int status = 0;
  for (; i < argc; i++) {
    if (argv[i][0] == '%') {
      struct job *j = job_find(argv[i]);
      if (!j) {
        fprintf(stderr, "sh: kill: %s: no such job\n", argv[i]);
        status = 1;
        continue;
      }
      // Under job control the job is a process group; without, its processes one by one.
      int r = 0;
      if (sh.job_control) {
        r = kill(-j->pgid, sig);
      } else {
        for (size_t k = 0; k < j->nprocs; k++)
          if (!j->procs[k].done && kill(j->procs[k].pid, sig) < 0) r = -1;
      }
      if (r < 0) {
        fprintf(stderr, "sh: kill: (%s) - %s\n", argv[i], strerror(errno));
        status = 1;
      }
      continue;
    }
    char *end;
    long pid = strtol(argv[i], &end, 10);
    if (!*argv[i] || *end) {
      fprintf(stderr, "sh: kill: %s: arguments must be process or job IDs\n", argv[i]);
      status = 1;
      continue;
    }
    if (kill((pid_t)pid, sig) < 0) {
      fprintf(stderr, "sh: kill: (%s) - %s\n", argv[i], strerror(errno));
      status = 1;
    }
  }
  return status;
}

/** fg [job]: continue a job in the foreground and wait for it. */
static int builtin_fg(char **argv, size_t argc) {
  struct job *j = argc > 1 ? job_find(argv[1]) : job_current();
  if (!j || job_is_done(j)) {
    fprintf(stderr, "sh: fg: %s: no such job\n", argc > 1 ? argv[1] : "current");
    return 1;
  }
  printf("%s\n", j->text);
  fflush(stdout);
  terminal_give(j->pgid);
  for (size_t k = 0; k < j->nprocs; k++) j->procs[k].stopped = false;
  kill(-j->pgid, SIGCONT);
  int status = job_wait_foreground(j);
  if (job_is_done(j)) {
    report_signal_death(j->procs[j->nprocs - 1].status);
    job_remove(j);
  }
  return status;
}

/** bg [job]: continue a stopped job in the background. */
static int builtin_bg(char **argv, size_t argc) {
  struct job *j = argc > 1 ? job_find(argv[1]) : job_current();
  if (!j || job_is_done(j)) {
    fprintf(stderr, "sh: bg: %s: no such job\n", argc > 1 ? argv[1] : "current");
    return 1;
  }
  for (size_t k = 0; k < j->nprocs; k++) j->procs[k].stopped = false;
  kill(-j->pgid, SIGCONT);
  fprintf(stderr, "[%d] %s &\n", j->id, j->text);
  return 0;
}

static int builtin_help(char **argv, size_t argc) {
  (void)argv, (void)argc;
  fputs("oskit sh: builtins\n"
        "  cd [DIR|-]       change directory (default $HOME)\n"
        "  pwd              print the working directory\n"
        "  exit [N]         leave the shell\n"
        "  export [NAME[=VALUE]...]   export variables (no arguments: list them)\n"
        "  unset NAME...    remove variables\n"
        "  jobs             list jobs\n"
        "  wait [JOB|PID]   wait for background jobs\n"
        "  fg [JOB], bg [JOB]  continue a stopped job\n"
        "  kill [-SIG] PID|%JOB...   send a signal (to a job's process group for %JOB)\n"
        "  exec [CMD [ARGS]]   replace the shell, or redirect its own fds\n"
        "  true, false, :   exit statuses 0, 1, 0\n"
        "  help             this text\n"
        "syntax: cmd args; a | b | c; a && b; a || b; cmd &; < > >> 2> 2>&1;\n"
        "        'single' \"double\" \\x quotes; $VAR ${VAR} $? $$ $! $# $1 $@; * ? [..] globs\n",
        stdout);
  return 0;
}

struct builtin {
  const char *name;
  builtin_fn fn;
};

static const struct builtin builtins[] = {
  {"cd", builtin_cd},     {"pwd", builtin_pwd},   {"exit", builtin_exit},     {"export", builtin_export},
  {"unset", builtin_unset}, {"jobs", builtin_jobs}, {"wait", builtin_wait},   {"fg", builtin_fg},
  {"bg", builtin_bg},     {"help", builtin_help}, {"true", builtin_true},     {"false", builtin_false},
  {":", builtin_true},    {"kill", builtin_kill},
};

builtin_fn builtin_lookup(const char *name) {
  for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
    if (strcmp(builtins[i].name, name) == 0) return builtins[i].fn;
  return NULL;
}
