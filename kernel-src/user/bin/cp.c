// cp [-r] SRC DST, cp [-r] SRC... DIR: copy files (into DIR when the last
// operand is a directory). A new file gets the source's permission bits; -r
// copies directories and their contents.
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ulib.h"

static bool recursive;

/** "dir/basename(src)" into out; false when too long. */
static bool target_in_dir(const char *dir, const char *src, char *out, size_t cap) {
  char copy[PATH_MAX];
  snprintf(copy, sizeof copy, "%s", src);
  int n = snprintf(out, cap, "%s/%s", dir, basename(copy));
  return n >= 0 && (size_t)n < cap;
}

static bool copy_one(const char *src, const char *dst) {
  struct stat s, d;
  if (stat(src, &s) < 0) {
    warn_errno("cannot stat '%s'", src);
    return false;
  }
  if (S_ISDIR(s.st_mode) && !recursive) {
    warn_msg("-r not specified; omitting directory '%s'", src);
    return false;
  }
  if (stat(dst, &d) == 0 && d.st_dev == s.st_dev && d.st_ino == s.st_ino) {
    warn_msg("'%s' and '%s' are the same file", src, dst);
    return false;
  }
  return (S_ISDIR(s.st_mode) ? copy_tree(src, dst) : copy_file(src, dst)) == 0;
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  int opt;
  while ((opt = getopt(argc, argv, "rR")) != -1) {
    if (opt != 'r' && opt != 'R') {
      fprintf(stderr, "usage: cp [-r] SRC DST | cp [-r] SRC... DIR\n");
      return 1;
    }
    recursive = true;
  }
  int n = argc - optind;
  if (n == 0) die_msg(1, "missing file operand");
  if (n == 1) die_msg(1, "missing destination file operand after '%s'", argv[optind]);
  const char *last = argv[argc - 1];
  struct stat st;
  bool into_dir = stat(last, &st) == 0 && S_ISDIR(st.st_mode);
  if (!into_dir && n > 2) die_msg(1, "target '%s' is not a directory", last);
  int status = 0;
  for (int i = optind; i < argc - 1; i++) {
    char target[PATH_MAX];
    const char *dst = last;
    if (into_dir) {
      if (!target_in_dir(last, argv[i], target, sizeof target)) {
        warn_msg("'%s': name too long", argv[i]);
        status = 1;
        continue;
      }
      dst = target;
    }
    if (!copy_one(argv[i], dst)) status = 1;
  }
  return status;
}
