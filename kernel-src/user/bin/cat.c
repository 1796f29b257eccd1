// cat [files...]: copy files (standard input for none or "-") to standard output.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "ulib.h"

/** Copy fd to standard output; 0, or -1 after a message naming `name`. */
static int copy(int fd, const char *name) {
  static char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      warn_errno("%s", name);
      return -1;
    }
    if (n == 0) return 0;
    if (write_all(1, buf, (size_t)n) < 0) die_errno(1, "write error");
  }
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  int first = 1;
  if (argc > 1 && strcmp(argv[1], "--") == 0) first = 2;
  if (first >= argc) return copy(0, "-") < 0 ? 1 : 0;
  int status = 0;
  for (int i = first; i < argc; i++) {
    if (strcmp(argv[i], "-") == 0) {
      if (copy(0, "-") < 0) status = 1;
      continue;
    }
    int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      warn_errno("%s", argv[i]);
      status = 1;
      continue;
    }
    if (copy(fd, argv[i]) < 0) status = 1;
    close(fd);
  }
  return status;
}
