// echo [-n] [-e|-E] args: print the arguments separated by spaces. As
// coreutils echo: only a first argument made wholly of the option letters is
// an option; -e interprets backslash escapes (\n \t \\ \c ...), -E (the
// default) does not, -n drops the newline.
#include <stdio.h>
#include <string.h>

#include "ulib.h"

static bool is_option(const char *arg) {
  if (arg[0] != '-' || arg[1] == '\0') return false;
  return strspn(arg + 1, "neE") == strlen(arg + 1);
}

/** Print with escapes; false when \c asked to stop all output. */
static bool print_escaped(const char *s) {
  for (; *s; s++) {
    if (*s != '\\' || s[1] == '\0') {
      putchar(*s);
      continue;
    }
    char c = *++s;
    switch (c) {
      case 'a': putchar('\a'); break;
      case 'b': putchar('\b'); break;
      case 'c': return false;
      case 'e': putchar('\033'); break;
      case 'f': putchar('\f'); break;
      case 'n': putchar('\n'); break;
      case 'r': putchar('\r'); break;
      case 't': putchar('\t'); break;
      case 'v': putchar('\v'); break;
      case '\\': putchar('\\'); break;
      case '0': {  // \0NNN: up to three octal digits
        int v = 0;
        for (int i = 0; i < 3 && s[1] >= '0' && s[1] <= '7'; i++) v = v * 8 + (*++s - '0');
        putchar(v);
        break;
      }
      default:
        putchar('\\');
        putchar(c);
    }
  }
  return true;
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  bool newline = true, escapes = false;
  int i = 1;
  for (; i < argc && is_option(argv[i]); i++) {
    for (const char *p = argv[i] + 1; *p; p++) {
      if (*p == 'n') newline = false;
      else if (*p == 'e') escapes = true;
      else escapes = false;
    }
  }
  for (int first = i; i < argc; i++) {
    if (i > first) putchar(' ');
    if (escapes) {
      if (!print_escaped(argv[i])) {
        newline = false;
        break;
      }
    } else {
      fputs(argv[i], stdout);
    }
  }
  if (newline) putchar('\n');
  if (flush_stdout() < 0) die_errno(1, "write error");
  return 0;
}
