// grep [-F] [-v] [-c] [-i] [-n] STRING [files...]: print the lines that contain
// STRING (a fixed string, as grep -F; -F is accepted, and changes nothing). With several files each line is
// prefixed by its file's name. Exit 0 when a line was selected, 1 when none
// was, 2 on an error (even if something matched), as GNU grep.
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ulib.h"

static bool invert, count_only, ignore_case, line_numbers, with_names;
static const char *pattern;
static size_t pattern_len;

static bool contains(const char *line, size_t len) {
  if (pattern_len == 0) return true;
  if (len < pattern_len) return false;
  for (size_t i = 0; i + pattern_len <= len; i++) {
    size_t j = 0;
    if (ignore_case) {
      while (j < pattern_len && tolower((unsigned char)line[i + j]) == tolower((unsigned char)pattern[j])) j++;
    } else {
      while (j < pattern_len && line[i + j] == pattern[j]) j++;
    }
    if (j == pattern_len) return true;
  }
  return false;
}

/** Search one stream; the number of selected lines, or -1 on a read error. */
static long search(FILE *in, const char *name) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  long selected = 0;
  unsigned long long number = 0;
  while ((len = getline(&line, &cap, in)) >= 0) {
    number++;
    size_t text_len = (size_t)len;
    if (text_len > 0 && line[text_len - 1] == '\n') text_len--;
    if (contains(line, text_len) == invert) continue;
    selected++;
    if (count_only) continue;
    if (with_names) printf("%s:", name);
    if (line_numbers) printf("%llu:", number);
    fwrite(line, 1, text_len, stdout);
    putchar('\n');
  }
  bool failed = ferror(in);
  int err = errno;
  free(line);
  if (failed) {
    errno = err;
    warn_errno("%s", name);
    return -1;
  }
  if (count_only) {
    if (with_names) printf("%s:", name);
    printf("%ld\n", selected);
  }
  return selected;
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  int opt;
  while ((opt = getopt(argc, argv, "Fvcin")) != -1) {
    switch (opt) {
      case 'F': break;  // the only kind of pattern there is
      case 'v': invert = true; break;
      case 'c': count_only = true; break;
      case 'i': ignore_case = true; break;
      case 'n': line_numbers = true; break;
      default:
        fprintf(stderr, "usage: grep [-F] [-v] [-c] [-i] [-n] STRING [files...]\n");
        return 2;
    }
  }
  if (optind >= argc) {
    fprintf(stderr, "usage: grep [-F] [-v] [-c] [-i] [-n] STRING [files...]\n");
    return 2;
  }
  pattern = argv[optind++];
  pattern_len = strlen(pattern);
  int nfiles = argc - optind;
  with_names = nfiles > 1;
  bool matched = false, error = false;
  if (nfiles == 0) {
    long n = search(stdin, "(standard input)");
    matched = n > 0;
    error = n < 0;
  }
  for (int i = optind; i < argc; i++) {
    bool is_stdin = strcmp(argv[i], "-") == 0;
    FILE *in = is_stdin ? stdin : fopen(argv[i], "re");
    const char *name = is_stdin ? "(standard input)" : argv[i];
    if (!in) {
      warn_errno("%s", argv[i]);
      error = true;
      continue;
    }
    long n = search(in, name);
    if (n > 0) matched = true;
    if (n < 0) error = true;
    if (!is_stdin) fclose(in);
  }
  if (flush_stdout() < 0) die_errno(2, "write error");
  return error ? 2 : matched ? 0 : 1;
}
