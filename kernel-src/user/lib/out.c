// Error messages: "prog: message" lines on stderr.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ulib.h"

const char *progname = "?";

void set_progname(const char *argv0) {
  if (!argv0 || !*argv0) return;
  const char *slash = strrchr(argv0, '/');
  progname = slash ? slash + 1 : argv0;
}

// Build the whole line, then write it at once: stderr is unbuffered, and one
// write keeps a message whole when several processes share the terminal.
static void vmessage(const char *fmt, va_list ap, int err) {
  char line[1024];
  int n = snprintf(line, sizeof line, "%s: ", progname);
  if (n < 0) return;
  if ((size_t)n < sizeof line) n += vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
  if (err && (size_t)n < sizeof line) n += snprintf(line + n, sizeof line - (size_t)n, ": %s", strerror(err));
  if ((size_t)n >= sizeof line - 1) n = (int)sizeof line - 2;
  line[n++] = '\n';
  fflush(stdout);
  write_all(2, line, (size_t)n);
}

void warn_msg(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage(fmt, ap, 0);
  va_end(ap);
}

void warn_errno(const char *fmt, ...) {
  int err = errno;
  va_list ap;
  va_start(ap, fmt);
  vmessage(fmt, ap, err);
  va_end(ap);
  errno = err;
}

void die_errno(int status, const char *fmt, ...) {
  int err = errno;
  va_list ap;
  va_start(ap, fmt);
  vmessage(fmt, ap, err);
  va_end(ap);
  exit(status);
}

void die_msg(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vmessage(fmt, ap, 0);
  va_end(ap);
  exit(status);
}

int flush_stdout(void) {
  // errno is not cleared first: after a failed write it still says why.
  if (fflush(stdout) == 0 && !ferror(stdout)) return 0;
  if (errno == 0) errno = EIO;
  return -1;
}
