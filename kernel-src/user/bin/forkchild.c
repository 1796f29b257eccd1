// forkchild: what forktest's child execs; proves the line comes from a new image.
#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("Child process: PID %d\n", (int)getpid());
  return fflush(stdout) == 0 ? 0 : 1;
}
