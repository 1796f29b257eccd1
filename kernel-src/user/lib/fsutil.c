// Copying and removing files and trees, shared by cp, mv and rm. Messages
// follow coreutils ("cannot stat", "cannot create regular file", "cannot
// remove"), prefixed with the running program's name.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ulib.h"

int copy_file(const char *src, const char *dst) {
  int in = open(src, O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    warn_errno("cannot open '%s' for reading", src);
    return -1;
  }
  struct stat st;
  if (fstat(in, &st) < 0) {
    warn_errno("cannot stat '%s'", src);
    close(in);
    return -1;
  }
  int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 07777);
  if (out < 0) {
    warn_errno("cannot create regular file '%s'", dst);
    close(in);
    return -1;
  }
  char buf[65536];
  int status = 0;
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      warn_errno("error reading '%s'", src);
      status = -1;
      break;
    }
    if (n == 0) break;
    if (write_all(out, buf, (size_t)n) < 0) {
      warn_errno("error writing '%s'", dst);
      status = -1;
      break;
    }
  }
  close(in);
  if (close(out) < 0 && status == 0) {
    warn_errno("error writing '%s'", dst);
    status = -1;
  }
  return status;
}

/** "dir/name" into buf; false (and a message) when it does not fit. */
static bool join_path(char *buf, size_t cap, const char *dir, const char *name) {
  int n = snprintf(buf, cap, "%s/%s", dir, name);
  if (n < 0 || (size_t)n >= cap) {
    errno = ENAMETOOLONG;
    warn_errno("'%s/%s'", dir, name);
    return false;
  }
  return true;
}

int copy_tree(const char *src, const char *dst) {
  struct stat st;
  if (lstat(src, &st) < 0) {
    warn_errno("cannot stat '%s'", src);
    return -1;
  }
  if (S_ISREG(st.st_mode)) return copy_file(src, dst);
  if (S_ISLNK(st.st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlink(src, target, sizeof target - 1);
    if (n < 0) {
      warn_errno("cannot read symbolic link '%s'", src);
      return -1;
    }
    target[n] = '\0';
    if (symlink(target, dst) < 0) {
      warn_errno("cannot create symbolic link '%s'", dst);
      return -1;
    }
    return 0;
  }
  if (!S_ISDIR(st.st_mode)) {
    warn_msg("cannot copy special file '%s'", src);
    return -1;
  }
  // Owner write and search while filling it; the source's mode at the end.
  if (mkdir(dst, (st.st_mode & 07777) | 0700) < 0) {
    warn_errno("cannot create directory '%s'", dst);
    return -1;
  }
  DIR *dir = opendir(src);
  if (!dir) {
    warn_errno("cannot access '%s'", src);
    return -1;
  }
  int status = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char from[PATH_MAX], to[PATH_MAX];
    if (!join_path(from, sizeof from, src, e->d_name) || !join_path(to, sizeof to, dst, e->d_name)) {
      status = -1;
      continue;
    }
    if (copy_tree(from, to) < 0) status = -1;
  }
  closedir(dir);
  if (chmod(dst, st.st_mode & 07777) < 0) {
    warn_errno("setting permissions for '%s'", dst);
    status = -1;
  }
  return status;
}

/** The names in a directory except "." and ".." (malloc'd); 0, or -1 with errno. */
static int list_names(const char *path, char ***names_out, size_t *count_out) {
  DIR *dir = opendir(path);
  if (!dir) return -1;
  char **names = NULL;
  size_t count = 0, cap = 0;
  struct dirent *e;
  errno = 0;
  while ((e = readdir(dir)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (count == cap) {
      cap = cap ? cap * 2 : 16;
      char **bigger = realloc(names, cap * sizeof *names);
      if (!bigger) goto fail;
      names = bigger;
    }
    if (!(names[count] = strdup(e->d_name))) goto fail;
    count++;
  }
  if (errno != 0) goto fail;
  closedir(dir);
  *names_out = names;
  *count_out = count;
  return 0;
fail:;
  int err = errno ? errno : ENOMEM;
  for (size_t i = 0; i < count; i++) free(names[i]);
  free(names);
  closedir(dir);
  errno = err;
  return -1;
}

int remove_tree(const char *path, bool quiet_missing) {
  struct stat st;
  if (lstat(path, &st) < 0) {
    if (errno == ENOENT && quiet_missing) return 0;
    warn_errno("cannot remove '%s'", path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) {
    if (unlink(path) < 0) {
      warn_errno("cannot remove '%s'", path);
      return -1;
    }
    return 0;
  }
  // Read every name before removing any: a kernel whose directory offsets
  // are positions in a list would otherwise skip entries as the list shrinks.
  char **names = NULL;
  size_t count = 0;
  if (list_names(path, &names, &count) < 0) {
    warn_errno("cannot remove '%s'", path);
    return -1;
  }
  int status = 0;
  for (size_t i = 0; i < count; i++) {
    char child[PATH_MAX];
    if (!join_path(child, sizeof child, path, names[i]) || remove_tree(child, quiet_missing) < 0) status = -1;
    free(names[i]);
  }
  free(names);
  if (status == 0 && rmdir(path) < 0) {
    warn_errno("cannot remove '%s'", path);
    status = -1;
  }
  return status;
}
