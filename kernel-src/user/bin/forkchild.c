// forkchild: what forktest's child execs; proves the line comes from a new image.
#include <stdio.h>
#include <unistd.h>

#include "ulib.h"

int main(void) {
  printf("Child process: PID %d\n", (int)getpid());
  return flush_stdout() == 0 ? 0 : 1;
}
