// Complete writes, without stdio (hello and the tests use them alone).
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ulib.h"

int write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int write_str(int fd, const char *s) { return write_all(fd, s, strlen(s)); }
