// Parsing the Linux /proc formats that ps, free, uptime and the tests read.
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ulib.h"

ssize_t read_text_file(const char *path, char *buf, size_t cap) {
  if (cap == 0) {
    errno = EINVAL;
    return -1;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t len = 0;
  while (len < cap - 1) {
    ssize_t n = read(fd, buf + len, cap - 1 - len);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      close(fd);
      errno = err;
      return -1;
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  close(fd);
  buf[len] = '\0';
  return (ssize_t)len;
}

bool meminfo_kb(const char *text, const char *name, uint64_t *kb) {
  size_t name_len = strlen(name);
  for (const char *line = text; *line;) {
    if (strncmp(line, name, name_len) != 0 || line[name_len] != ':') {
      const char *next = strchr(line, '\n');
      if (!next) break;
      line = next + 1;
      continue;
    }
    const char *p = line + name_len + 1;
    while (*p == ' ' || *p == '\t') p++;
    if (*p < '0' || *p > '9') return false;
    uint64_t v = 0;
    while (*p >= '0' && *p <= '9') v = v * 10 + (uint64_t)(*p++ - '0');
    *kb = v;
    return true;
  }
  return false;
}

bool parse_proc_stat(const char *line, struct proc_stat *out) {
  char *end;
  long pid = strtol(line, &end, 10);
  if (end == line || pid <= 0 || end[0] != ' ' || end[1] != '(') return false;
  const char *comm = end + 2;
  const char *close = strrchr(comm, ')');
  if (!close || close[1] != ' ') return false;
  size_t comm_len = (size_t)(close - comm);
  if (comm_len >= sizeof out->comm) comm_len = sizeof out->comm - 1;
  memcpy(out->comm, comm, comm_len);
  out->comm[comm_len] = '\0';
  out->pid = (int)pid;
  const char *p = close + 2;
  if (!*p || p[1] != ' ') return false;
  out->state = *p;
  p += 2;
  out->ppid = (int)strtol(p, &end, 10);
  if (end == p) return false;
  // Fields are 1-based: ppid is field 4, processor field 39.
  out->processor = -1;
  int field = 4;
  p = end;
  while (*p == ' ' && field < 39) {
    p++;
    field++;
    long v = strtol(p, &end, 10);
    if (end == p) return true;
    if (field == 39) out->processor = (int)v;
    p = end;
  }
  return true;
}
