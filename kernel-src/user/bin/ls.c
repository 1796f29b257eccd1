// ls [-a] [-l] [paths...]: list directory contents.
//
// The default format is the seed's: names sorted (C locale), directories
// marked with a trailing '/', all on one line separated by two spaces (what
// coreutils prints for `ls -p -x -w0`). -l prints one entry per line as
// coreutils `ls -lp` does (mode, links, owner, group, size, date, name). -a
// includes names starting with '.'. Exit status: 0, 1 for trouble inside a
// directory, 2 when an operand cannot be accessed, as coreutils.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "ulib.h"

struct entry {
  char *name;
  struct stat st;
  char *link_target;  // -l and a symbolic link
};

struct listing {
  struct entry *items;
  size_t count, cap;
};

static bool show_all, long_format;
static int exit_status;
static time_t now;

static void set_status(int s) {
  if (s > exit_status) exit_status = s;
}

static void add(struct listing *l, const char *name, const struct stat *st, const char *link_target) {
  if (l->count == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 32;
    l->items = realloc(l->items, l->cap * sizeof *l->items);
    if (!l->items) die_errno(2, "out of memory");
  }
  struct entry *e = &l->items[l->count++];
  e->name = strdup(name);
  e->st = *st;
  e->link_target = link_target ? strdup(link_target) : NULL;
  if (!e->name || (link_target && !e->link_target)) die_errno(2, "out of memory");
}

static void clear(struct listing *l) {
  for (size_t i = 0; i < l->count; i++) {
    free(l->items[i].name);
    free(l->items[i].link_target);
  }
  l->count = 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/** "drwxr-xr-x" for a mode. */
static void mode_string(mode_t m, char out[11]) {
  out[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
  static const char rwx[] = "rwxrwxrwx";
  for (int i = 0; i < 9; i++) out[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
  if (m & S_ISUID) out[3] = (m & S_IXUSR) ? 's' : 'S';
  if (m & S_ISGID) out[6] = (m & S_IXGRP) ? 's' : 'S';
  if (m & S_ISVTX) out[9] = (m & S_IXOTH) ? 't' : 'T';
  out[10] = '\0';
}

/** There is no user database on oskit: root by name, anyone else by number. */
static void id_name(unsigned id, char *out, size_t cap) {
  if (id == 0) snprintf(out, cap, "root");
  else snprintf(out, cap, "%u", id);
}

/** "Nov 22 03:47" within six months of now, "Nov 22  2023" otherwise (coreutils). */
static void date_string(time_t t, char *out, size_t cap) {
  const time_t six_months = 31556952 / 2;  // half a Gregorian year, as coreutils
  struct tm tm;
  if (!localtime_r(&t, &tm)) {
    snprintf(out, cap, "?");
    return;
  }
  bool recent = t > now - six_months && t <= now;
  strftime(out, cap, recent ? "%b %e %H:%M" : "%b %e  %Y", &tm);
}

static void size_string(const struct stat *st, char *out, size_t cap) {
  if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
    snprintf(out, cap, "%u, %u", major(st->st_rdev), minor(st->st_rdev));
  else
    snprintf(out, cap, "%lld", (long long)st->st_size);
}

static int digits(unsigned long long v) {
  int n = 1;
  while (v >= 10) {
    v /= 10;
    n++;
  }
  return n;
}

struct widths {
  int links, owner, group, size;
};

static void widen(struct widths *w, const struct listing *l) {
  char buf[64];
  for (size_t i = 0; i < l->count; i++) {
    const struct stat *st = &l->items[i].st;
    int n = digits((unsigned long long)st->st_nlink);
    if (n > w->links) w->links = n;
    id_name(st->st_uid, buf, sizeof buf);
    if ((int)strlen(buf) > w->owner) w->owner = (int)strlen(buf);
    id_name(st->st_gid, buf, sizeof buf);
    if ((int)strlen(buf) > w->group) w->group = (int)strlen(buf);
    size_string(st, buf, sizeof buf);
    if ((int)strlen(buf) > w->size) w->size = (int)strlen(buf);
  }
}

/**
 * -l lines for a listing. Column widths come from the listing and, for the
 * operands that are files, from the directory operands too (as coreutils).
 */
static void print_long(const struct listing *l, const struct listing *also, bool with_total) {
  struct widths w = {1, 1, 1, 1};
  widen(&w, l);
  if (also) widen(&w, also);
  unsigned long long blocks = 0;
  for (size_t i = 0; i < l->count; i++) blocks += (unsigned long long)l->items[i].st.st_blocks;
  // st_blocks counts 512-byte units; the total is in KiB, rounded up.
  if (with_total) printf("total %llu\n", (blocks + 1) / 2);
  for (size_t i = 0; i < l->count; i++) {
    const struct entry *e = &l->items[i];
    char mode[11], owner[32], group[32], size[64], date[32];
    mode_string(e->st.st_mode, mode);
    id_name(e->st.st_uid, owner, sizeof owner);
    id_name(e->st.st_gid, group, sizeof group);
    size_string(&e->st, size, sizeof size);
    date_string(e->st.st_mtime, date, sizeof date);
    printf("%s %*llu %-*s %-*s %*s %s %s%s", mode, w.links, (unsigned long long)e->st.st_nlink, w.owner, owner, w.group,
           group, w.size, size, date, e->name, S_ISDIR(e->st.st_mode) ? "/" : "");
    if (e->link_target) printf(" -> %s", e->link_target);
    putchar('\n');
  }
}

static void print_short(const struct listing *l) {
  for (size_t i = 0; i < l->count; i++) {
    const struct entry *e = &l->items[i];
    printf("%s%s%s", i ? "  " : "", e->name, S_ISDIR(e->st.st_mode) ? "/" : "");
  }
  if (l->count > 0) putchar('\n');
}

static void print_listing(struct listing *l, const struct listing *widths_also, bool with_total) {
  qsort(l->items, l->count, sizeof *l->items, by_name);
  if (long_format) print_long(l, widths_also, with_total);
  else print_short(l);
}

/** The target of symbolic link `name` in `dirfd`, or NULL. */
static char *link_target(int dirfd, const char *name, char *buf, size_t cap) {
  ssize_t n = readlinkat(dirfd, name, buf, cap - 1);
  if (n < 0) return NULL;
  buf[n] = '\0';
  return buf;
}

static void list_directory(const char *path) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
  if (!dir) {
    warn_errno("cannot open directory '%s'", path);
    if (fd >= 0) close(fd);
    set_status(2);
    return;
  }
  struct listing l = {0};
  struct dirent *d;
  errno = 0;
  while ((d = readdir(dir)) != NULL) {
    if (d->d_name[0] == '.' && !show_all) continue;
    struct stat st;
    if (fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
      warn_errno("cannot access '%s/%s'", path, d->d_name);
      set_status(1);
      continue;
    }
    char target[PATH_MAX];
    add(&l, d->d_name, &st, long_format && S_ISLNK(st.st_mode) ? link_target(fd, d->d_name, target, sizeof target) : NULL);
    errno = 0;
  }
  if (errno != 0) {
    warn_errno("reading directory '%s'", path);
    set_status(2);
  }
  closedir(dir);
  print_listing(&l, NULL, true);
  clear(&l);
  free(l.items);
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  int opt;
  while ((opt = getopt(argc, argv, "al")) != -1) {
    switch (opt) {
      case 'a': show_all = true; break;
      case 'l': long_format = true; break;
      default:
        fprintf(stderr, "usage: ls [-a] [-l] [paths...]\n");
        return 2;
    }
  }
  now = time(NULL);
  char *dot[] = {".", NULL};
  char **operands = optind < argc ? argv + optind : dot;
  int n_operands = optind < argc ? argc - optind : 1;

  // Operands that are not directories are listed first, together; then each
  // directory. Under -l a symbolic link operand is shown, not followed.
  struct listing files = {0}, dirs = {0};
  for (int i = 0; i < n_operands; i++) {
    struct stat st;
    int r = long_format ? lstat(operands[i], &st) : stat(operands[i], &st);
    if (r < 0 && !long_format && errno == ENOENT) r = lstat(operands[i], &st);  // dangling link
    if (r < 0) {
      warn_errno("cannot access '%s'", operands[i]);
      set_status(2);
      continue;
    }
    char target[PATH_MAX];
    if (S_ISDIR(st.st_mode)) add(&dirs, operands[i], &st, NULL);
    else add(&files, operands[i], &st, long_format && S_ISLNK(st.st_mode) ? link_target(AT_FDCWD, operands[i], target, sizeof target) : NULL);
  }
  bool printed = files.count > 0;
  if (printed) print_listing(&files, &dirs, false);
  qsort(dirs.items, dirs.count, sizeof *dirs.items, by_name);
  bool headers = printed || n_operands > 1 || dirs.count > 1;
  for (size_t i = 0; i < dirs.count; i++) {
    if (headers) {
      if (printed) putchar('\n');
      printf("%s:\n", dirs.items[i].name);
    }
    list_directory(dirs.items[i].name);
    printed = true;
  }
  if (flush_stdout() < 0) die_errno(2, "write error");
  return exit_status;
}
