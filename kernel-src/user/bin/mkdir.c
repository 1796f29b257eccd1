// mkdir [-p] DIR...: make directories (mode 0777 less the umask). -p makes
// missing parents and accepts directories that exist.
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ulib.h"

/** mkdir that accepts an existing directory; false (errno set) otherwise. */
static bool ensure_dir(const char *path, mode_t mode) {
  if (mkdir(path, mode) == 0) return true;
  if (errno != EEXIST) return false;
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return true;
  errno = ENOTDIR;  // a file is in the way, as coreutils reports it
  return false;
}

/** mkdir -p: each missing component in turn; the failing prefix is named. */
static bool make_parents(const char *path) {
  char buf[PATH_MAX];
  if (strlen(path) >= sizeof buf) {
    errno = ENAMETOOLONG;
    warn_errno("cannot create directory '%s'", path);
    return false;
  }
  strcpy(buf, path);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/' || p[-1] == '/') continue;
    *p = '\0';
    // Intermediate directories get u+wx so that the next one can be made inside.
    bool ok = ensure_dir(buf, 0777);
    if (!ok) {
      warn_errno("cannot create directory '%s'", buf);
      return false;
    }
    *p = '/';
  }
  if (!ensure_dir(buf, 0777)) {
    warn_errno("cannot create directory '%s'", path);
    return false;
  }
  return true;
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  bool parents = false;
  int opt;
  while ((opt = getopt(argc, argv, "p")) != -1) {
    if (opt != 'p') {
      fprintf(stderr, "usage: mkdir [-p] DIR...\n");
      return 1;
    }
    parents = true;
  }
  if (optind >= argc) die_msg(1, "missing operand");
  int status = 0;
  for (int i = optind; i < argc; i++) {
    if (parents) {
      if (!make_parents(argv[i])) status = 1;
    } else if (mkdir(argv[i], 0777) < 0) {
      warn_errno("cannot create directory '%s'", argv[i]);
      status = 1;
    }
  }
  return status;
}
