// sleep NUMBER[s|m|h|d]...: pause for the sum of the durations; fractions
// allowed ("0.2"). Uses nanosleep(2), resumed after interruptions.
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ulib.h"

/** Seconds in one argument, or a negative number when it is malformed. */
static double parse_duration(const char *arg) {
  char *end;
  double v = strtod(arg, &end);
  if (end == arg || !(v >= 0) || isinf(v)) return -1;
  double unit = 1;
  switch (*end) {
    case '\0': break;
    case 's': unit = 1; end++; break;
    case 'm': unit = 60; end++; break;
    case 'h': unit = 3600; end++; break;
    case 'd': unit = 86400; end++; break;
    default: return -1;
  }
  return *end ? -1 : v * unit;
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  if (argc < 2) die_msg(1, "missing operand");
  double total = 0;
  for (int i = 1; i < argc; i++) {
    double s = parse_duration(argv[i]);
    if (s < 0) die_msg(1, "invalid time interval '%s'", argv[i]);
    total += s;
  }
  if (total > 1e15) total = 1e15;
  struct timespec left;
  left.tv_sec = (time_t)total;
  left.tv_nsec = (long)((total - (double)left.tv_sec) * 1e9);
  if (left.tv_nsec >= 1000000000) left.tv_nsec = 999999999;
  while (nanosleep(&left, &left) < 0) {
    if (errno != EINTR) die_errno(1, "nanosleep");
  }
  return 0;
}
