// uptime: time since boot from /proc/uptime and the tick count from the
// "timestamp N" line of /proc/schedstat (jiffies on Linux, the timer tick
// count on oskit):
//
//   System uptime: 0d 0h 5m 23s
//   Tick count: 32300
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ulib.h"

int main(int argc, char **argv) {
  (void)argc;
  set_progname(argv[0]);
  char text[4096];
  if (read_text_file("/proc/uptime", text, sizeof text) < 0) die_errno(1, "/proc/uptime");
  char *end;
  unsigned long long seconds = strtoull(text, &end, 10);  // whole seconds; the fraction is dropped
  if (end == text) die_msg(1, "/proc/uptime: unexpected format");
  printf("System uptime: %llud %lluh %llum %llus\n", seconds / 86400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
  fflush(stdout);
  if (read_text_file("/proc/schedstat", text, sizeof text) < 0) die_errno(1, "/proc/schedstat");
  const char *line = text;
  while (line && strncmp(line, "timestamp ", 10) != 0) {
    line = strchr(line, '\n');
    if (line) line++;
  }
  if (!line) die_msg(1, "/proc/schedstat: no timestamp line");
  printf("Tick count: %llu\n", strtoull(line + 10, NULL, 10));
  if (flush_stdout() < 0) die_errno(1, "write error");
  return 0;
}
