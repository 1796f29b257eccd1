// stty size | stty rows N cols N: the terminal's window size on standard
// input, read (TIOCGWINSZ: "ROWS COLS", as coreutils' `stty size`) or set
// (TIOCSWINSZ, which sends SIGWINCH to the foreground group). Only the
// window size: the line discipline's modes are the shell's business.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "ulib.h"

static unsigned short number(const char *arg) {
  char *end;
  errno = 0;
  unsigned long v = strtoul(arg, &end, 10);
  if (!*arg || *end || errno || v > 65535) die_msg(1, "invalid integer argument: '%s'", arg);
  return (unsigned short)v;
}

int main(int argc, char **argv) {
  set_progname(argv[0]);
  struct winsize ws;
  if (ioctl(0, TIOCGWINSZ, &ws) < 0) die_errno(1, "'standard input'");
  if (argc == 2 && strcmp(argv[1], "size") == 0) {
    printf("%u %u\n", ws.ws_row, ws.ws_col);
    return flush_stdout() ? 1 : 0;
  }
  if (argc < 2) die_msg(1, "usage: stty size | stty [rows N] [cols N]");
  for (int i = 1; i < argc; i++) {
    if (i + 1 < argc && strcmp(argv[i], "rows") == 0) ws.ws_row = number(argv[++i]);
    else if (i + 1 < argc && (strcmp(argv[i], "cols") == 0 || strcmp(argv[i], "columns") == 0)) ws.ws_col = number(argv[++i]);
    else die_msg(1, "invalid argument '%s'", argv[i]);
  }
  if (ioctl(0, TIOCSWINSZ, &ws) < 0) die_errno(1, "'standard input'");
  return 0;
}
