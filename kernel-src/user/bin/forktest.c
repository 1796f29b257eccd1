// forktest: fork, exec /bin/forkchild in the child, wait, check it exited 0.
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ulib.h"

#define CHILD_PROGRAM "/bin/forkchild"

int main(int argc, char **argv) {
  (void)argc;
  set_progname(argv[0]);
  printf("Parent process: PID %d\n", (int)getpid());
  // Flushed before fork, or the child would inherit the buffered line.
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) die_errno(1, "fork");
  if (pid == 0) {
    char *child_argv[] = {CHILD_PROGRAM, NULL};
    execv(CHILD_PROGRAM, child_argv);
    warn_errno("exec %s", CHILD_PROGRAM);
    _exit(127);
  }
  int status;
  if (waitpid(pid, &status, 0) != pid) die_errno(1, "waitpid");
  if (!WIFEXITED(status)) die_msg(1, "child %d did not exit normally (wait status 0x%x)", (int)pid, status);
  if (WEXITSTATUS(status) != 0) die_msg(1, "child %d exited with status %d", (int)pid, WEXITSTATUS(status));
  printf("Fork and exec working correctly!\n");
  if (flush_stdout() < 0) die_errno(1, "write error");
  return 0;
}
