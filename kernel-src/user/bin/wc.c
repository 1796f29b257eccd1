// wc [-l] [-w] [-c] [files...]: count lines, words and bytes, in coreutils'
// format: the counts right-aligned to a common width (the digits of the
// total size of the regular files, at least 7 when an input is not a
// regular file, 1 for a single count of a single input), then the name; a
// "total" line for several files.
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ulib.h"

struct counts {
  unsigned long long lines, words, bytes;
};

static bool want_lines, want_words, want_bytes;

/** Count fd; false after a message naming `name`. */
static bool count(int fd, const char *name, struct counts *c) {
  static unsigned char buf[65536];
  bool in_word = false;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      warn_errno("%s", name);
      return false;
    }
    if (n == 0) break;
    c->bytes += (unsigned long long)n;
    for (ssize_t i = 0; i < n; i++) {
      unsigned char ch = buf[i];
      if (ch == '\n') c->lines++;
      // As coreutils 9.1 in the C locale: white space ends a word, a
      // printable character is part of one, anything else is neither.
      if (isspace(ch)) {
        if (in_word) c->words++;
        in_word = false;
      } else if (isprint(ch)) {
        in_word = true;
      }
    }
  }
  if (in_word) c->words++;
  return true;
}

static void print_counts(const struct counts *c, int width, const char *name) {
  const char *sep = "";
  if (want_lines) printf("%s%*llu", sep, width, c->lines), sep = " ";
  if (want_words) printf("%s%*llu", sep, width, c->words), sep = " ";
  if (want_bytes) printf("%s%*llu", sep, width, c->bytes), sep = " ";
  if (name) printf(" %s", name);
  putchar('\n');
}

static int number_width(int nfiles, char **files) {
  if (nfiles == 1 && want_lines + want_words + want_bytes == 1) return 1;
  unsigned long long regular_total = 0;
  int minimum = 1;
  for (int i = 0; i < nfiles; i++) {
    struct stat st;
    int r = (!files[i] || strcmp(files[i], "-") == 0) ? fstat(0, &st) : stat(files[i], &st);
    if (r < 0) continue;  // it will be reported when opened
    if (S_ISREG(st.st_mode)) regular_total += (unsigned long long)st.st_size;
    else minimum = 7;
  }
  int width = 1;
  for (; regular_total >= 10; regular_total /= 10) width++;
  return width < minimum ? minimum : width;
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  int opt;
  while ((opt = getopt(argc, argv, "lwc")) != -1) {
    switch (opt) {
      case 'l': want_lines = true; break;
      case 'w': want_words = true; break;
      case 'c': want_bytes = true; break;
      default:
        fprintf(stderr, "usage: wc [-l] [-w] [-c] [files...]\n");
        return 1;
    }
  }
  if (!want_lines && !want_words && !want_bytes) want_lines = want_words = want_bytes = true;
  static char *stdin_only[] = {NULL};
  char **files = optind < argc ? argv + optind : stdin_only;
  int nfiles = optind < argc ? argc - optind : 1;
  int width = number_width(nfiles, files);
  struct counts total = {0};
  int status = 0;
  for (int i = 0; i < nfiles; i++) {
    struct counts c = {0};
    const char *name = files[i];
    bool ok;
    if (!name || strcmp(name, "-") == 0) {
      ok = count(0, name ? name : "-", &c);
    } else {
      int fd = open(name, O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        warn_errno("%s", name);
        status = 1;
        continue;
      }
      ok = count(fd, name, &c);
      close(fd);
    }
    if (!ok) status = 1;
    print_counts(&c, width, name);
    total.lines += c.lines;
    total.words += c.words;
    total.bytes += c.bytes;
  }
  if (nfiles > 1) print_counts(&total, width, "total");
  if (flush_stdout() < 0) die_errno(1, "write error");
  return status;
}
