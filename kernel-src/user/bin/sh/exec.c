// The executor. A list runs its and-or lists in order; an and-or list runs
// pipelines while && / || allow; a pipeline forks one process per command,
// joined by pipes, in one process group (a job). A lone builtin or a bare
// assignment runs in the shell itself, its redirections undone afterwards.
// Words are expanded in the shell before each fork.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"
#include "ulib.h"

#define DEFAULT_PATH "/bin:/sbin:/usr/bin:/usr/sbin"

int status_of(int ws) {
  if (WIFEXITED(ws)) return WEXITSTATUS(ws);
  if (WIFSIGNALED(ws)) return 128 + WTERMSIG(ws);
  if (WIFSTOPPED(ws)) return 128 + WSTOPSIG(ws);
  return 1;
}

void report_signal_death(int ws) {
  if (!WIFSIGNALED(ws)) return;
  int sig = WTERMSIG(ws);
  // As bash: ^C leaves just a newline (interactive), a broken pipe nothing.
  if (sig == SIGINT) {
    if (sh.interactive) fputc('\n', stderr);
    return;
  }
  if (sig == SIGPIPE) return;
  fprintf(stderr, "%s%s\n", signal_description(sig), WCOREDUMP(ws) ? " (core dumped)" : "");
}

// ---- expansion of a command's words ----

struct expanded {
  struct fields argv;     // the command and its arguments
  struct fields assigns;  // NAME=value words before the command, expanded
};

static void expanded_free(struct expanded *e) {
  fields_free(&e->argv);
  fields_free(&e->assigns);
}

static void expand_command(const struct command *c, struct expanded *e) {
  memset(e, 0, sizeof *e);
  size_t i = 0;
  const char *eq;
  for (; i < c->nwords && is_assignment(c->words[i], &eq); i++) {
    size_t name_len = (size_t)(eq - c->words[i]);
    char *value = expand_string(eq + 1);
    char *entry = xmalloc(name_len + strlen(value) + 2);
    memcpy(entry, c->words[i], name_len + 1);
    strcpy(entry + name_len + 1, value);
    free(value);
    fields_add(&e->assigns, entry);
  }
  for (; i < c->nwords; i++) expand_word(c->words[i], &e->argv);
}

// ---- redirections ----

struct saved_fd {
  int fd, copy;  // copy is -1 when fd was closed before
};

struct saved_fds {
  struct saved_fd v[16];
  size_t n;
};

/** Remember fd's current state so restore_fds can put it back. */
static void save_fd(struct saved_fds *saved, int fd) {
  if (!saved || saved->n == sizeof saved->v / sizeof saved->v[0]) return;
  for (size_t i = 0; i < saved->n; i++)
    if (saved->v[i].fd == fd) return;  // the first state is the one to restore
  int copy = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  saved->v[saved->n++] = (struct saved_fd){fd, copy};
}

static void restore_fds(struct saved_fds *saved) {
  fflush(stdout);
  fflush(stderr);
  while (saved->n > 0) {
    struct saved_fd *s = &saved->v[--saved->n];
    if (s->copy >= 0) {
      dup2(s->copy, s->fd);
      close(s->copy);
    } else {
      close(s->fd);
    }
  }
}

/** Apply a command's redirections in order; false after a message. `saved` (optional) records what to undo. */
static bool apply_redirections(const struct command *c, struct saved_fds *saved) {
  for (size_t i = 0; i < c->nredirs; i++) {
    const struct redirection *r = &c->redirs[i];
    struct fields target = {0};
    expand_word(r->target, &target);
    if (target.n != 1) {
      fprintf(stderr, "sh: %s: ambiguous redirect\n", r->target);
      fields_free(&target);
      return false;
    }
    const char *path = target.v[0];
    int fd = -1;
    if (r->kind == R_DUP_IN || r->kind == R_DUP_OUT) {
      if (strcmp(path, "-") == 0) {
        save_fd(saved, r->fd);
        close(r->fd);
        fields_free(&target);
        continue;
      }
      uint64_t from;
      if (!parse_u64(path, &from) || from > 1023 || fcntl((int)from, F_GETFD) < 0) {
        fprintf(stderr, "sh: %s: %s\n", path, parse_u64(path, &from) ? "Bad file descriptor" : "ambiguous redirect");
        fields_free(&target);
        return false;
      }
      if ((int)from != r->fd) {
        save_fd(saved, r->fd);
        dup2((int)from, r->fd);
      }
      fields_free(&target);
      continue;
    }
    int flags = r->kind == R_IN ? O_RDONLY
              : r->kind == R_OUT ? O_WRONLY | O_CREAT | O_TRUNC
              : r->kind == R_APPEND ? O_WRONLY | O_CREAT | O_APPEND
              : O_RDWR | O_CREAT;
    fd = open(path, flags | O_CLOEXEC, 0666);
    if (fd < 0) {
      fprintf(stderr, "sh: %s: %s\n", path, strerror(errno));
      fields_free(&target);
      return false;
    }
    fields_free(&target);
    save_fd(saved, r->fd);
    if (fd != r->fd) {
      dup2(fd, r->fd);  // dup2 clears FD_CLOEXEC on the new descriptor
      close(fd);
    } else {
      fcntl(fd, F_SETFD, 0);
    }
  }
  return true;
}

// ---- running programs ----

/** execve, falling back to running a file without #! as a shell script (POSIX). */
static void try_exec(const char *path, char **argv, char **env) {
  execve(path, argv, env);
  if (errno != ENOEXEC) return;
  size_t argc = 0;
  while (argv[argc]) argc++;
  char **script_argv = xmalloc((argc + 2) * sizeof *script_argv);
  script_argv[0] = "sh";
  script_argv[1] = (char *)path;
  for (size_t i = 1; i <= argc; i++) script_argv[i + 1] = argv[i];
  execve(sh.self_path, script_argv, env);
  errno = ENOEXEC;
  free(script_argv);
}

/**
 * Replace this process with the program: by path when the name has a '/',
 * else searched in $PATH. Exits 127 when not found, 126 when it cannot run.
 */
static _Noreturn void exec_program(char **argv, struct fields *assigns) {
  char **env = vars_environ(assigns->v, assigns->n);
  const char *name = argv[0];
  int err = ENOENT;
  if (strchr(name, '/')) {
    try_exec(name, argv, env);
    err = errno;
  } else {
    const char *path = var_get("PATH");
    if (!path) path = DEFAULT_PATH;
    bool denied = false;
    for (const char *dir = path;; ) {
      const char *colon = strchr(dir, ':');
      size_t len = colon ? (size_t)(colon - dir) : strlen(dir);
      char full[4096];
      snprintf(full, sizeof full, "%.*s%s%s", (int)len, len ? dir : ".", "/", name);
      try_exec(full, argv, env);
      if (errno == EACCES) denied = true;
      else if (errno != ENOENT && errno != ENOTDIR) {
        err = errno;
        break;
      }
      if (!colon) break;
      dir = colon + 1;
    }
    if (err == ENOENT && denied) err = EACCES;
  }
  if (err == ENOENT || err == ENOTDIR) {
    fprintf(stderr, "sh: %s: not found\n", name);
    _exit(127);
  }
  struct stat st;
  if (err == EACCES && stat(name, &st) == 0 && S_ISDIR(st.st_mode)) err = EISDIR;
  fprintf(stderr, "sh: %s: %s\n", name, strerror(err));
  _exit(126);
}

/** Signal dispositions for a forked child: what the shell ignored comes back. */
static void child_signals(bool background) {
  static const int reset[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};
  for (size_t i = 0; i < sizeof reset / sizeof reset[0]; i++) signal(reset[i], SIG_DFL);
  if (background && !sh.job_control) {
    // POSIX: without job control, asynchronous commands ignore ^C and ^\ and
    // do not read the terminal.
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0 && null != 0) {
      dup2(null, 0);
      close(null);
    }
  }
}

/** Shell state in a forked child: no job control, no terminal handling. */
static void become_subshell(void) {
  sh.is_subshell = true;
  sh.job_control = false;
  sh.interactive = false;
}

/** Run `exec cmd args`, or with no command make the redirections permanent. */
static int run_exec(const struct command *c, struct expanded *e) {
  if (!apply_redirections(c, NULL)) return 1;
  if (e->argv.n <= 1) return 0;
  if (sh.tty_fd >= 0 && sh.interactive) tcsetattr(sh.tty_fd, TCSADRAIN, &sh.tmodes);
  child_signals(false);
  exec_program(e->argv.v + 1, &e->assigns);
}

/** A builtin, a bare assignment or a lone redirection, run in the shell process. */
static int run_in_shell(const struct command *c, struct expanded *e, builtin_fn builtin) {
  struct saved_fds saved = {0};
  int status = 1;
  if (apply_redirections(c, &saved)) {
    if (builtin) {
      status = builtin(e->argv.v, e->argv.n);
    } else {
      for (size_t i = 0; i < e->assigns.n; i++) {
        char *eq = strchr(e->assigns.v[i], '=');
        *eq = '\0';
        var_set(e->assigns.v[i], eq + 1);
        *eq = '=';
      }
      status = 0;
    }
  }
  restore_fds(&saved);
  return status;
}

/** In a forked child: set up its group, fds and signals, then run the command. */
static _Noreturn void run_child(const struct command *c, struct expanded *e, pid_t pgid, bool background, int in, int out, int close_fd) {
  if (sh.job_control) {
    setpgid(0, pgid);
    if (!background) terminal_give(getpgrp());  // SIGTTOU is still ignored here
  }
  child_signals(background);
  become_subshell();
  if (in >= 0) {
    dup2(in, 0);
    close(in);
  }
  if (out >= 0) {
    dup2(out, 1);
    close(out);
  }
  if (close_fd >= 0) close(close_fd);
  if (!apply_redirections(c, NULL)) _exit(1);
  if (e->argv.n == 0) _exit(0);
  builtin_fn builtin = builtin_lookup(e->argv.v[0]);
  if (builtin) {
    int status = builtin(e->argv.v, e->argv.n);
    fflush(stdout);
    _exit(status);
  }
  if (strcmp(e->argv.v[0], "exec") == 0) _exit(run_exec(c, e));
  exec_program(e->argv.v, &e->assigns);
}

static int run_pipeline(const struct pipeline *pl, bool background, const char *text) {
  if (pl->ncommands == 1 && !background) {
    const struct command *c = &pl->commands[0];
    struct expanded e;
    expand_command(c, &e);
    int status = -1;
    builtin_fn builtin = e.argv.n ? builtin_lookup(e.argv.v[0]) : NULL;
    if (e.argv.n == 0 || builtin) status = run_in_shell(c, &e, builtin);
    else if (strcmp(e.argv.v[0], "exec") == 0) status = run_exec(c, &e);
    expanded_free(&e);
    if (status >= 0) return pl->negate ? !status : status;
  }
  struct job *job = job_new(text);
  if (!job) return 1;
  int in = -1;
  bool failed = false;
  for (size_t i = 0; i < pl->ncommands; i++) {
    int p[2] = {-1, -1};
    bool last = i + 1 == pl->ncommands;
    if (!last && pipe2(p, O_CLOEXEC) < 0) {
      fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
      failed = true;
      break;
    }
    struct expanded e;
    expand_command(&pl->commands[i], &e);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) run_child(&pl->commands[i], &e, job->pgid, background, in, p[1], p[0]);
    expanded_free(&e);
    if (pid < 0) {
      fprintf(stderr, "sh: fork: %s\n", strerror(errno));
      if (p[0] >= 0) close(p[0]), close(p[1]);
      failed = true;
      break;
    }
    // Set the group from the parent too: whichever runs first, it exists.
    if (sh.job_control) setpgid(pid, job->pgid ? job->pgid : pid);
    job_add_process(job, pid);
    if (in >= 0) close(in);
    if (p[1] >= 0) close(p[1]);
    in = p[0];
  }
  if (in >= 0) close(in);
  if (job->nprocs == 0) {
    job_remove(job);
    return 1;
  }
  if (background && !failed) {
    sh.last_bg_pid = job->procs[job->nprocs - 1].pid;
    if (sh.interactive) fprintf(stderr, "[%d] %d\n", job->id, (int)sh.last_bg_pid);
    return 0;
  }
  if (!background) terminal_give(job->pgid);
  int status = job_wait_foreground(job);
  if (job_is_done(job)) {
    report_signal_death(job->procs[job->nprocs - 1].status);
    job_remove(job);
  }
  if (failed) return 1;
  return pl->negate ? !status : status;
}

/** Run the pipelines of an and-or list in the foreground, as && and || allow. */
static int run_and_or_foreground(const struct and_or *ao) {
  int status = run_pipeline(&ao->pipelines[0], false, ao->text);
  for (size_t i = 1; i < ao->npipelines; i++) {
    bool run = ao->ops[i - 1] == OP_AND ? status == 0 : status != 0;
    if (run) status = run_pipeline(&ao->pipelines[i], false, ao->text);
  }
  return status;
}

/** `a && b &`: the whole list in a forked shell, as one background job. */
static int run_and_or_background(const struct and_or *ao) {
  struct job *job = job_new(ao->text);
  if (!job) return 1;
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "sh: fork: %s\n", strerror(errno));
    job_remove(job);
    return 1;
  }
  if (pid == 0) {
    if (sh.job_control) setpgid(0, 0);
    child_signals(true);
    become_subshell();
    int status = run_and_or_foreground(ao);
    fflush(stdout);
    _exit(status);
  }
  if (sh.job_control) setpgid(pid, pid);
  job_add_process(job, pid);
  sh.last_bg_pid = pid;
  if (sh.interactive) fprintf(stderr, "[%d] %d\n", job->id, (int)pid);
  return 0;
}

int run_list(const struct list *l) {
  for (size_t i = 0; i < l->count; i++) {
    const struct and_or *ao = &l->items[i];
    if (!ao->background) sh.last_status = run_and_or_foreground(ao);
    else if (ao->npipelines == 1) sh.last_status = run_pipeline(&ao->pipelines[0], true, ao->text);
    else sh.last_status = run_and_or_background(ao);
  }
  return sh.last_status;
}
