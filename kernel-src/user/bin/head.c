// head [-n N | -N] [files...]: the first N lines (default 10) of each file;
// with several files, each is introduced by "==> name <==" as coreutils does.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ulib.h"

/** Copy the first `lines` lines of fd to standard output; false after a message. */
static bool head(int fd, const char *name, uint64_t lines) {
  static char buf[65536];
  while (lines > 0) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      warn_errno("error reading '%s'", name);
      return false;
    }
    if (n == 0) break;
    size_t take = 0;
    while (take < (size_t)n && lines > 0) {
      if (buf[take++] == '\n') lines--;
    }
    if (write_all(1, buf, take) < 0) die_errno(1, "write error");
  }
  return true;
}

static void usage(void) {
  fprintf(stderr, "usage: head [-n N] [files...]\n");
  _exit(1);
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  uint64_t lines = 10;
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--") == 0) {
      i++;
      break;
    }
    const char *value;
    if (strncmp(arg, "-n", 2) == 0) {
      value = arg[2] ? arg + 2 : (i + 1 < argc ? argv[++i] : NULL);
      if (!value) usage();
    } else {
      value = arg + 1;  // the old -N form
    }
    if (!parse_u64(value, &lines)) die_msg(1, "invalid number of lines: '%s'", value);
  }
  int nfiles = argc - i;
  if (nfiles == 0) return head(0, "standard input", lines) ? 0 : 1;
  int status = 0;
  bool first = true;
  for (; i < argc; i++) {
    const char *name = argv[i];
    bool is_stdin = strcmp(name, "-") == 0;
    int fd = is_stdin ? 0 : open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      warn_errno("cannot open '%s' for reading", name);
      status = 1;
      continue;
    }
    if (nfiles > 1) {
      char header[4200];
      int n = snprintf(header, sizeof header, "%s==> %s <==\n", first ? "" : "\n", is_stdin ? "standard input" : name);
      write_all(1, header, (size_t)n < sizeof header ? (size_t)n : sizeof header - 1);
    }
    first = false;
    if (!head(fd, is_stdin ? "standard input" : name, lines)) status = 1;
    if (!is_stdin) close(fd);
  }
  return status;
}
