// fault KIND: fault on purpose, for the kernel's tests. Prints one line
// "fault: KIND" and then faults; the expected end is death by the signal
// `usertests` checks for the same kind. Exit 0 means the fault did NOT
// happen, which is a failure of the kernel under test; 2 is a usage error.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ulib.h"

static void usage(void) {
  fprintf(stderr, "usage: fault KIND\nkinds:");
  for (int i = 0; fault_kinds[i]; i++) fprintf(stderr, " %s", fault_kinds[i]);
  fprintf(stderr, "\n");
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  if (argc != 2 || fault_expected_signal(argv[1]) == 0) {
    usage();
    return 2;
  }
  char line[64];
  int n = snprintf(line, sizeof line, "fault: %s\n", argv[1]);
  write_all(1, line, (size_t)n);
  fault_trigger(argv[1]);
  warn_msg("%s: no fault happened", argv[1]);
  return 0;
}
