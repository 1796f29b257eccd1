// sh: the oskit shell.
//
//   sh                  commands from standard input: interactive (prompt
//                       "host:cwd$ ", line editing, job control) when it is a
//                       terminal, else read plainly line by line
//   sh -c 'CMDS' [NAME [ARGS...]]   run CMDS with $0=NAME, $1...=ARGS
//   sh SCRIPT [ARGS...]             run a file of commands
//   sh -i               interactive even when standard input is not a terminal
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sh.h"
#include "ulib.h"

struct shell sh;

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    write_str(2, "sh: out of memory\n");
    _exit(2);
  }
  return p;
}

void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) {
    write_str(2, "sh: out of memory\n");
    _exit(2);
  }
  return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
  char *d = xmalloc(n + 1);
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

void shell_exit(int status) {
  fflush(stdout);
  if (!sh.is_subshell && sh.interactive && sh.tty_fd >= 0) tcsetattr(sh.tty_fd, TCSADRAIN, &sh.tmodes);
  exit(status);
}

// ---- reading commands ----

/** Where non-interactive input comes from: a file descriptor, read line by line. */
struct input {
  int fd;
  bool unbuffered;  // standard input: read byte by byte so that the commands get the rest
  char buf[4096];
  size_t len, pos;
  bool eof;
};

static int input_byte(struct input *in) {
  if (in->pos == in->len) {
    if (in->eof) return -1;
    ssize_t n;
    do n = read(in->fd, in->buf, in->unbuffered ? 1 : sizeof in->buf);
    while (n < 0 && errno == EINTR);
    if (n <= 0) {
      in->eof = true;
      return -1;
    }
    in->len = (size_t)n;
    in->pos = 0;
  }
  return (unsigned char)in->buf[in->pos++];
}

/** The next line without its newline (malloc'd), or NULL at end of input. */
static char *input_line(struct input *in) {
  size_t cap = 128, len = 0;
  char *line = xmalloc(cap);
  int c;
  while ((c = input_byte(in)) >= 0 && c != '\n') {
    if (len + 2 > cap) line = xrealloc(line, cap *= 2);
    line[len++] = (char)c;
  }
  if (c < 0 && len == 0) {
    free(line);
    return NULL;
  }
  line[len] = '\0';
  return line;
}

/** "host:/cwd$ " */
static char *prompt(void) {
  struct utsname u;
  char cwd[PATH_MAX];
  const char *host = uname(&u) == 0 ? u.nodename : "?";
  if (!getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, "?");
  size_t n = strlen(host) + strlen(cwd) + 4;
  char *p = xmalloc(n);
  snprintf(p, n, "%s:%s$ ", host, cwd);
  return p;
}

/** Read one line for an interactive shell: edited on a terminal, else plain after a prompt. */
static char *interactive_line(struct input *in, const char *text, bool *interrupted) {
  *interrupted = false;
  if (sh.tty_fd >= 0 && isatty(0)) return lineedit_read(0, 2, text, interrupted);
  write_str(2, text);
  return input_line(in);
}

static char *join_lines(char *a, char *b) {
  size_t la = strlen(a), lb = strlen(b);
  a = xrealloc(a, la + lb + 2);
  a[la] = '\n';
  memcpy(a + la + 1, b, lb + 1);
  free(b);
  return a;
}

/** Parse and run one text; the parse result. */
static enum parse_result run_text(const char *text) {
  struct list l;
  enum parse_result r = parse(text, &l);
  if (r == PARSE_OK) {
    run_list(&l);
    free_list(&l);
  } else if (r == PARSE_ERROR) {
    sh.last_status = 2;
  }
  return r;
}

static _Noreturn void run_interactive(struct input *in) {
  for (;;) {
    jobs_notify();
    char *p = prompt();
    bool interrupted;
    char *text = interactive_line(in, p, &interrupted);
    free(p);
    if (!text) {
      write_str(2, "exit\n");
      shell_exit(sh.last_status);
    }
    if (interrupted) {
      sh.last_status = 128 + SIGINT;
      free(text);
      continue;
    }
    enum parse_result r;
    while ((r = run_text(text)) == PARSE_INCOMPLETE) {
      char *more = interactive_line(in, "> ", &interrupted);
      if (!more || interrupted) {
        if (!more) fprintf(stderr, "sh: syntax error: unexpected end of file\n");
        sh.last_status = more ? 128 + SIGINT : 2;
        free(more);
        break;
      }
      text = join_lines(text, more);
    }
    lineedit_history_add(text);
    free(text);
  }
}

static _Noreturn void run_stream(struct input *in) {
  char *text;
  while ((text = input_line(in)) != NULL) {
    enum parse_result r;
    while ((r = run_text(text)) == PARSE_INCOMPLETE) {
      char *more = input_line(in);
      if (!more) {
        fprintf(stderr, "sh: syntax error: unexpected end of file\n");
        shell_exit(2);
      }
      text = join_lines(text, more);
    }
    free(text);
    if (r == PARSE_ERROR) shell_exit(2);
  }
  shell_exit(sh.last_status);
}

// ---- start-up ----

/** The terminal, job control and signal handling of an interactive shell. */
static void setup_interactive(void) {
  sh.interactive = true;
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  if (!isatty(0)) return;
  sh.tty_fd = fcntl(0, F_DUPFD_CLOEXEC, 10);
  tcgetattr(sh.tty_fd, &sh.tmodes);
  // Started in the background: wait to be brought to the foreground.
  pid_t fg;
  while ((fg = tcgetpgrp(sh.tty_fd)) >= 0 && fg != getpgrp()) kill(-getpgrp(), SIGTTIN);
  if (fg < 0) return;  // no controlling terminal: no job control
  signal(SIGTSTP, SIG_IGN);
  signal(SIGTTIN, SIG_IGN);
  signal(SIGTTOU, SIG_IGN);
  if (getpgrp() != getpid()) setpgid(0, 0);  // a session leader already leads its group
  sh.pgid = getpgrp();
  sh.job_control = tcsetpgrp(sh.tty_fd, sh.pgid) == 0;
}

/** This executable's path, to run scripts that have no #! line. */
static char *find_self(const char *argv0) {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) return xstrndup(buf, (size_t)n);
  if (argv0[0] == '/') return xstrdup(argv0);
  if (strchr(argv0, '/') && getcwd(buf, sizeof buf)) {
    size_t len = strlen(buf) + strlen(argv0) + 2;
    char *p = xmalloc(len);
    snprintf(p, len, "%s/%s", buf, argv0);
    return p;
  }
  return xstrdup("/bin/sh");
}

static void usage(void) {
  fprintf(stderr, "usage: sh [-i] | sh -c COMMANDS [NAME [ARGS...]] | sh SCRIPT [ARGS...]\n");
  exit(2);
}

extern char **environ;

int main(int argc, char **argv) {
  set_progname("sh");
  sh.pid = getpid();
  sh.pgid = getpgrp();
  sh.tty_fd = -1;
  sh.self_path = find_self(argv[0]);
  sh.arg0 = argv[0];
  vars_init(environ);
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd)) var_set("PWD", cwd);

  int i = 1;
  bool force_interactive = false;
  const char *command = NULL;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    if (strcmp(argv[i], "-c") == 0) {
      if (i + 1 >= argc) usage();
      command = argv[++i];
    } else if (strcmp(argv[i], "-i") == 0) {
      force_interactive = true;
    } else if (strcmp(argv[i], "-s") != 0) {
      usage();
    }
  }
  if (command) {
    // sh -c CMDS NAME ARGS...: NAME is $0.
    if (i < argc) sh.arg0 = argv[i++];
    sh.params = argv + i;
    sh.nparams = (size_t)(argc - i);
    enum parse_result r = run_text(command);
    if (r == PARSE_INCOMPLETE) {
      fprintf(stderr, "sh: -c: syntax error: unexpected end of file\n");
      shell_exit(2);
    }
    shell_exit(sh.last_status);
  }
  struct input in = {.fd = 0, .unbuffered = true};
  if (i < argc) {
    // sh SCRIPT ARGS...: commands from the file, on a descriptor out of the way.
    int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      fprintf(stderr, "sh: %s: %s\n", argv[i], strerror(errno));
      return errno == ENOENT ? 127 : 126;
    }
    int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    if (high >= 0) {
      close(fd);
      fd = high;
    }
    in.fd = fd;
    in.unbuffered = false;
    sh.arg0 = argv[i++];
    sh.params = argv + i;
    sh.nparams = (size_t)(argc - i);
    run_stream(&in);
  }
  sh.params = argv + i;
  sh.nparams = (size_t)(argc - i);
  if (force_interactive || (isatty(0) && isatty(2))) {
    setup_interactive();
    run_interactive(&in);
  }
  run_stream(&in);
}
