// yes [STRING...]: print the arguments joined by spaces (or "y"), one line
// after another, until a write fails (coreutils' yes): a program that loops
// until a signal or a closed pipe ends it.
#include <string.h>

#include "ulib.h"

int main(int argc, char **argv) {
  set_progname(argv[0]);
  char line[4096];
  size_t n = 0;
  if (argc < 2) {
    line[n++] = 'y';
  } else {
    for (int i = 1; i < argc && n < sizeof(line) - 1; i++) {
      size_t len = strlen(argv[i]);
      if (len > sizeof(line) - 1 - n - (i > 1)) len = sizeof(line) - 1 - n - (i > 1);
      if (i > 1) line[n++] = ' ';
      memcpy(line + n, argv[i], len);
      n += len;
    }
  }
  line[n++] = '\n';
  // A buffer of whole lines: a pipe reader sees complete lines.
  static char buf[8192];
  size_t filled = 0;
  while (filled + n <= sizeof(buf)) {
    memcpy(buf + filled, line, n);
    filled += n;
  }
  for (;;) {
    if (write_all(1, buf, filled) < 0) die_errno(1, "standard output");
  }
}
