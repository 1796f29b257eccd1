// ps: one line per process, read from /proc/<pid>/stat (the Linux format).
//
//   PID   STATE     CPU  CMD
//   1     SLEEPING  0    init
//
// CPU is field 39 (the CPU the process last ran on). Sorted by PID.
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ulib.h"

static const char *state_name(char state) {
  switch (state) {
    case 'R': return "RUNNING";
    case 'S': return "SLEEPING";
    case 'D': return "WAITING";
    case 'Z': return "ZOMBIE";
    case 'T':
    case 't': return "STOPPED";
    case 'I': return "IDLE";  // Linux kernel threads
    case 'X': return "DEAD";
    default: return NULL;
  }
}

static int by_pid(const void *a, const void *b) {
  return ((const struct proc_stat *)a)->pid - ((const struct proc_stat *)b)->pid;
}

static bool all_digits(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (!isdigit((unsigned char)*s)) return false;
  return true;
}

int main(int argc, char **argv) {
  (void)argc;
  set_progname(argv[0]);
  DIR *proc = opendir("/proc");
  if (!proc) die_errno(1, "/proc");
  struct proc_stat *procs = NULL;
  size_t count = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(proc)) != NULL) {
    if (!all_digits(e->d_name)) continue;
    char path[300], text[1024];
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    // A process that exited since readdir is simply not listed.
    if (read_text_file(path, text, sizeof text) < 0) continue;
    struct proc_stat ps;
    if (!parse_proc_stat(text, &ps)) {
      warn_msg("%s: unexpected format", path);
      continue;
    }
    if (count == cap) {
      cap = cap ? cap * 2 : 64;
      procs = realloc(procs, cap * sizeof *procs);
      if (!procs) die_errno(1, "out of memory");
    }
    procs[count++] = ps;
  }
  closedir(proc);
  qsort(procs, count, sizeof *procs, by_pid);
  printf("%-6s%-10s%-5s%s\n", "PID", "STATE", "CPU", "CMD");
  for (size_t i = 0; i < count; i++) {
    const struct proc_stat *p = &procs[i];
    char pid[16], cpu[16], state[2] = {p->state, '\0'};
    snprintf(pid, sizeof pid, "%d", p->pid);
    if (p->processor >= 0) snprintf(cpu, sizeof cpu, "%d", p->processor);
    else snprintf(cpu, sizeof cpu, "?");
    const char *name = state_name(p->state);
    printf("%-6s%-10s%-5s%s\n", pid, name ? name : state, cpu, p->comm);
  }
  free(procs);
  if (flush_stdout() < 0) die_errno(1, "write error");
  return 0;
}
