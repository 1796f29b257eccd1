// rm [-r] [-f] PATH...: remove files; -r directories and their contents; -f
// ignores missing paths. Refuses ".", ".." and "/" like coreutils.
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ulib.h"

/** True for ".", "..", "x/." and "x/.." (after trailing slashes). */
static bool is_dot_or_dotdot(const char *path) {
  char copy[PATH_MAX];
  snprintf(copy, sizeof copy, "%s", path);
  const char *base = basename(copy);
  return strcmp(base, ".") == 0 || strcmp(base, "..") == 0;
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  bool recursive = false, force = false;
  int opt;
  while ((opt = getopt(argc, argv, "rRf")) != -1) {
    switch (opt) {
      case 'r':
      case 'R': recursive = true; break;
      case 'f': force = true; break;
      default:
        fprintf(stderr, "usage: rm [-r] [-f] PATH...\n");
        return 1;
    }
  }
  if (optind >= argc) {
    if (force) return 0;
    die_msg(1, "missing operand");
  }
  int status = 0;
  for (int i = optind; i < argc; i++) {
    const char *path = argv[i];
    if (recursive && is_dot_or_dotdot(path)) {
      warn_msg("refusing to remove '.' or '..' directory: skipping '%s'", path);
      status = 1;
      continue;
    }
    if (recursive && strspn(path, "/") == strlen(path)) {
      warn_msg("it is dangerous to operate recursively on '/'");
      status = 1;
      continue;
    }
    struct stat st;
    if (lstat(path, &st) < 0) {
      if (!(force && errno == ENOENT)) {
        warn_errno("cannot remove '%s'", path);
        status = 1;
      }
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      if (!recursive) {
        errno = EISDIR;
        warn_errno("cannot remove '%s'", path);
        status = 1;
      } else if (remove_tree(path, force) < 0) {
        status = 1;
      }
    } else if (unlink(path) < 0) {
      warn_errno("cannot remove '%s'", path);
      status = 1;
    }
  }
  return status;
}
