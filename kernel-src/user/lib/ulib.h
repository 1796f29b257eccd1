// ulib: the small library linked into every user program (kernel-src/user/).
// Output and error helpers, /proc parsing, signal names and descriptions,
// file tree copying and removal, deliberate faults, and the monotonic clock.
// Everything here is plain C11 over musl and Linux system calls, so a program
// that works on the host Linux works unchanged on oskit.
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

// ---- output and errors (out.c, write.c, parse.c) ----

/** The program's name for messages: basename of argv[0]. */
extern const char *progname;
void set_progname(const char *argv0);

/** Write all `len` bytes (retrying short writes and EINTR); 0, or -1 with errno. */
int write_all(int fd, const void *buf, size_t len);
/** write_all of a NUL-terminated string. */
int write_str(int fd, const char *s);

/** "progname: <message>\n" on stderr. */
void warn_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** "progname: <message>: strerror(errno)\n" on stderr (errno as it was on entry). */
void warn_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** warn_errno, then exit(status). */
_Noreturn void die_errno(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** warn_msg, then exit(status). */
_Noreturn void die_msg(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * Flush stdout and report whether everything written to it arrived: 0, or
 * -1 with errno. (musl's fflush returns 0 when an earlier line-buffered
 * write already failed, so the error flag is checked too.)
 */
int flush_stdout(void);

/** Parse a decimal non-negative integer that fills the whole string; false on junk or overflow. */
bool parse_u64(const char *s, uint64_t *out);

// ---- time (time.c) ----

/** CLOCK_MONOTONIC in nanoseconds. */
uint64_t monotonic_ns(void);

// ---- /proc parsing (proc.c) ----

/**
 * Read a whole (small) file into buf, NUL-terminated; the length read, or -1
 * with errno. /proc files report size 0, so this reads until EOF.
 */
ssize_t read_text_file(const char *path, char *buf, size_t cap);

/** The value of "Name:   N kB" in /proc/meminfo text; false when absent. */
bool meminfo_kb(const char *text, const char *name, uint64_t *kb);

/** The fields of /proc/<pid>/stat that ps and the tests use. */
struct proc_stat {
  int pid;
  char comm[64];
  char state;
  int ppid;
  int processor;  // field 39: the CPU it last ran on
};

/**
 * Parse a /proc/<pid>/stat line "pid (comm) state ppid ...". The command name
 * may hold spaces and parentheses, so it ends at the last ')'. Fields after
 * ppid that are missing leave processor at -1. False when malformed.
 */
bool parse_proc_stat(const char *line, struct proc_stat *out);

/** Whole mebibytes in `kb` kibibytes (rounded down). */
static inline uint64_t kb_to_mb(uint64_t kb) { return kb / 1024; }

// ---- signals (signals.c) ----

/** Number of the first signal after the standard ones (SIGRTMIN is 34 on Linux). */
#define ULIB_NSIG_STD 32

/** Signal name without "SIG" ("KILL"), or NULL for an unknown number. */
const char *signal_name(int sig);
/** Number for "KILL", "SIGKILL", "kill" or "9"; -1 when unknown. */
int signal_number(const char *name);
/**
 * What bash prints when a job dies by `sig` ("Segmentation fault",
 * "Killed", ...); glibc's strsignal() text, which bash uses.
 */
const char *signal_description(int sig);

// ---- file trees (fsutil.c) ----

/**
 * Copy regular file `src` to `dst` (created or truncated), the new file
 * getting src's permission bits; 0, or -1 with errno (a message printed with
 * the failing path).
 */
int copy_file(const char *src, const char *dst);

/**
 * Copy `src` to `dst` recursively: directories, regular files and symbolic
 * links. 0, or -1 after printing what failed.
 */
int copy_tree(const char *src, const char *dst);

/**
 * Remove `path` and, if it is a directory, everything under it (rm -r). With
 * `quiet_missing`, a missing path is not an error. 0, or -1 after printing
 * "cannot remove" messages like coreutils.
 */
int remove_tree(const char *path, bool quiet_missing);

// ---- deliberate faults (faults.c) ----

/** The kinds `fault` and usertests know, in a fixed order, NULL-terminated. */
extern const char *const fault_kinds[];
/** The signal Linux delivers for a kind (SIGSEGV, SIGILL, SIGFPE), or 0 if unknown. */
int fault_expected_signal(const char *kind);
/** Perform the fault; returns only if it did not happen (or the kind is unknown: -1). */
int fault_trigger(const char *kind);
