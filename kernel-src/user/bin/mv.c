// mv SRC DST, mv SRC... DIR: rename(2); across file systems (EXDEV) copy,
// then remove the source.
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ulib.h"

static bool move_one(const char *src, const char *dst) {
  struct stat st;
  if (lstat(src, &st) < 0) {
    warn_errno("cannot stat '%s'", src);
    return false;
  }
  if (rename(src, dst) == 0) return true;
  if (errno != EXDEV) {
    warn_errno("cannot move '%s' to '%s'", src, dst);
    return false;
  }
  // Another file system: the destination must be replaced, as rename would.
  struct stat old;
  if (lstat(dst, &old) == 0 && remove_tree(dst, true) < 0) return false;
  if (copy_tree(src, dst) < 0) return false;
  return remove_tree(src, false) == 0;
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "--") != 0) {
    fprintf(stderr, "usage: mv SRC DST | mv SRC... DIR\n");
    return 1;
  }
  int first = argc > 1 && strcmp(argv[1], "--") == 0 ? 2 : 1;
  int n = argc - first;
  if (n == 0) die_msg(1, "missing file operand");
  if (n == 1) die_msg(1, "missing destination file operand after '%s'", argv[first]);
  const char *last = argv[argc - 1];
  struct stat st;
  bool into_dir = stat(last, &st) == 0 && S_ISDIR(st.st_mode);
  if (!into_dir && n > 2) die_msg(1, "target '%s' is not a directory", last);
  int status = 0;
  for (int i = first; i < argc - 1; i++) {
    char target[PATH_MAX];
    const char *dst = last;
    if (into_dir) {
      char copy[PATH_MAX];
      snprintf(copy, sizeof copy, "%s", argv[i]);
      int len = snprintf(target, sizeof target, "%s/%s", last, basename(copy));
      if (len < 0 || (size_t)len >= sizeof target) {
        warn_msg("'%s': name too long", argv[i]);
        status = 1;
        continue;
      }
      dst = target;
    }
    if (!move_one(argv[i], dst)) status = 1;
  }
  return status;
}
