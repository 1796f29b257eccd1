// The job table. A job is one pipeline (or one backgrounded and-or list) run
// in its own process group; under job control the foreground job's group
// owns the terminal while it runs, so ^C and ^Z reach the job, never the
// shell. Statuses come from waitpid(-1, WUNTRACED): whichever child changes,
// its job is updated, so background jobs are reaped while waiting for others.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"
#include "ulib.h"

#define MAX_JOBS 256

static struct job *jobs[MAX_JOBS];
static size_t njobs;
static unsigned long next_seq = 1;

struct job *job_new(const char *text) {
  if (njobs == MAX_JOBS) {
    // Forget the oldest finished job rather than refuse to run.
    for (size_t i = 0; i < njobs; i++) {
      if (job_is_done(jobs[i])) {
        job_remove(jobs[i]);
        break;
      }
    }
    if (njobs == MAX_JOBS) {
      fprintf(stderr, "sh: too many jobs\n");
      return NULL;
    }
  }
  struct job *j = xmalloc(sizeof *j);
  memset(j, 0, sizeof *j);
  int id = 1;
  for (size_t i = 0; i < njobs; i++)
    if (jobs[i]->id >= id) id = jobs[i]->id + 1;
  j->id = id;
  j->text = xstrdup(text ? text : "");
  j->seq = next_seq++;
  jobs[njobs++] = j;
  return j;
}

void job_add_process(struct job *j, pid_t pid) {
  j->procs = xrealloc(j->procs, (j->nprocs + 1) * sizeof *j->procs);
  j->procs[j->nprocs++] = (struct process){.pid = pid};
  if (!j->pgid) j->pgid = pid;
}

void job_remove(struct job *j) {
  for (size_t i = 0; i < njobs; i++) {
    if (jobs[i] != j) continue;
    memmove(&jobs[i], &jobs[i + 1], (njobs - i - 1) * sizeof *jobs);
    njobs--;
    free(j->procs);
    free(j->text);
    free(j);
    return;
  }
}

bool job_is_done(const struct job *j) {
  for (size_t i = 0; i < j->nprocs; i++)
    if (!j->procs[i].done) return false;
  return true;
}

bool job_is_stopped(const struct job *j) {
  bool any_stopped = false;
  for (size_t i = 0; i < j->nprocs; i++) {
    if (!j->procs[i].done && !j->procs[i].stopped) return false;
    if (j->procs[i].stopped) any_stopped = true;
  }
  return any_stopped;
}

int job_status(const struct job *j) {
  return j->nprocs ? status_of(j->procs[j->nprocs - 1].status) : 0;
}

/** Record a wait status for `pid` in whichever job it belongs to. */
static void record(pid_t pid, int status) {
  for (size_t i = 0; i < njobs; i++) {
    for (size_t k = 0; k < jobs[i]->nprocs; k++) {
      struct process *p = &jobs[i]->procs[k];
      if (p->pid != pid) continue;
      if (WIFSTOPPED(status)) {
        p->stopped = true;
        jobs[i]->seq = next_seq++;
        jobs[i]->notified = false;
      } else if (WIFCONTINUED(status)) {
        p->stopped = false;
      } else {
        p->done = true;
        p->stopped = false;
        p->status = status;
        jobs[i]->notified = false;  // its end is news, even if its stop was reported
      }
      return;
    }
  }
}

void terminal_give(pid_t pgid) {
  if (sh.job_control && sh.tty_fd >= 0) tcsetpgrp(sh.tty_fd, pgid);
}

int job_wait_foreground(struct job *j) {
  while (!job_is_done(j) && !job_is_stopped(j)) {
    int status;
    pid_t pid = waitpid(-1, &status, WUNTRACED);
    if (pid < 0) {
      if (errno == EINTR) continue;
      // ECHILD: someone else reaped them; nothing more will come.
      for (size_t k = 0; k < j->nprocs; k++) j->procs[k].done = true;
      break;
    }
    record(pid, status);
  }
  if (sh.job_control) {
    terminal_give(sh.pgid);
    if (sh.tty_fd >= 0) tcsetattr(sh.tty_fd, TCSADRAIN, &sh.tmodes);
  }
  if (job_is_stopped(j)) {
    fputc('\n', stderr);
    j->notified = true;
    job_print(j, stderr);
    return 128 + SIGTSTP;
  }
  return job_status(j);
}

bool jobs_wait_any(void) {
  int status;
  pid_t pid = waitpid(-1, &status, WUNTRACED);
  if (pid < 0) return false;
  record(pid, status);
  return true;
}

bool jobs_any_running(void) {
  for (size_t i = 0; i < njobs; i++)
    if (!job_is_done(jobs[i]) && !job_is_stopped(jobs[i])) return true;
  return false;
}

void jobs_reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG | WUNTRACED)) > 0) record(pid, status);
}

/** '+' for the current job, '-' for the previous one, ' ' otherwise. */
static char mark(const struct job *j) {
  unsigned long first = 0, second = 0;
  for (size_t i = 0; i < njobs; i++) {
    unsigned long s = jobs[i]->seq;
    if (s > first) second = first, first = s;
    else if (s > second) second = s;
  }
  return j->seq == first ? '+' : j->seq == second ? '-' : ' ';
}

/** "Done", "Exit 3", "Terminated", "Stopped" or "Running". */
static void state_text(const struct job *j, char *buf, size_t cap) {
  if (job_is_done(j)) {
    int st = j->procs[j->nprocs - 1].status;
    if (WIFSIGNALED(st)) snprintf(buf, cap, "%s", signal_description(WTERMSIG(st)));
    else if (WEXITSTATUS(st) != 0) snprintf(buf, cap, "Exit %d", WEXITSTATUS(st));
    else snprintf(buf, cap, "Done");
  } else if (job_is_stopped(j)) {
    snprintf(buf, cap, "Stopped");
  } else {
    snprintf(buf, cap, "Running");
  }
}

void job_print(const struct job *j, FILE *out) {
  char state[64];
  state_text(j, state, sizeof state);
  bool running = !job_is_done(j) && !job_is_stopped(j);
  fprintf(out, "[%d]%c %s  %s%s\n", j->id, mark(j), state, j->text, running ? " &" : "");
}

void jobs_notify(void) {
  jobs_reap();
  for (size_t i = 0; i < njobs;) {
    struct job *j = jobs[i];
    if (job_is_done(j)) {
      if (!j->notified) job_print(j, stderr);
      job_remove(j);
      continue;
    }
    if (job_is_stopped(j) && !j->notified) {
      job_print(j, stderr);
      j->notified = true;
    }
    i++;
  }
}

struct job *job_current(void) {
  struct job *best = NULL;
  for (size_t i = 0; i < njobs; i++)
    if (!best || jobs[i]->seq > best->seq) best = jobs[i];
  return best;
}

struct job *job_find(const char *spec) {
  if (spec[0] == '%') {
    if (strcmp(spec, "%%") == 0 || strcmp(spec, "%+") == 0 || spec[1] == '\0') return job_current();
    if (strcmp(spec, "%-") == 0) {
      for (size_t i = 0; i < njobs; i++)
        if (mark(jobs[i]) == '-') return jobs[i];
      return NULL;
    }
    int id = atoi(spec + 1);
    for (size_t i = 0; i < njobs; i++)
      if (jobs[i]->id == id) return jobs[i];
    return NULL;
  }
  pid_t pid = (pid_t)atoi(spec);
  for (size_t i = 0; i < njobs; i++)
    for (size_t k = 0; k < jobs[i]->nprocs; k++)
      if (jobs[i]->procs[k].pid == pid) return jobs[i];
  return NULL;
}

void jobs_each(void (*fn)(struct job *)) {
  // fn may remove the job it is given: iterate over a copy.
  struct job *copy[MAX_JOBS];
  size_t n = njobs;
  memcpy(copy, jobs, n * sizeof *copy);
  for (size_t i = 0; i < n; i++) fn(copy[i]);
}

size_t jobs_count(void) { return njobs; }
