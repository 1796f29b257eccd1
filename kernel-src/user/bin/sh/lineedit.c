// The line editor, for a shell reading a terminal. The terminal is put in
// non-canonical mode without echo or signals while a line is edited (so ^C
// arrives as a byte and only discards the line), then restored.
//
// Keys (VT100/xterm sequences): printable characters insert; Backspace
// (DEL or ^H) and Delete (ESC [ 3 ~, or ^D on a non-empty line) erase;
// Left/Right (ESC [ D / ESC [ C, ^B/^F) move; Home (ESC [ H, ESC [ 1 ~,
// ESC O H, ^A) and End (ESC [ F, ESC [ 4 ~, ESC O F, ^E); Up/Down (ESC [ A /
// ESC [ B, ^P/^N) walk the history; ^U, ^K, ^W cut; ^L clears the screen;
// ^C discards the line; ^D on an empty line ends the input; Enter accepts.
//
// Output uses only: "\r", "\b \b", ESC [ K (erase to end of line), ESC [ n D
// and ESC [ n C (cursor left/right), and ESC [ H ESC [ 2 J for ^L. The line is
// assumed to fit on one screen row.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sh.h"
#include "ulib.h"

#define HISTORY_MAX 100

static char *history[HISTORY_MAX];
static size_t history_len;

void lineedit_history_add(const char *line) {
  if (!line[0]) return;
  if (history_len > 0 && strcmp(history[history_len - 1], line) == 0) return;
  if (history_len == HISTORY_MAX) {
    free(history[0]);
    memmove(history, history + 1, (HISTORY_MAX - 1) * sizeof *history);
    history_len--;
  }
  history[history_len++] = xstrdup(line);
}

struct editor {
  int fd;  // where the line is drawn
  const char *prompt;
  char *buf;
  size_t len, cap, cursor;
  size_t hist_index;  // history_len while editing a new line
  char *scratch;      // the new line, kept while browsing history
};

static void out(struct editor *e, const char *s, size_t n) { write_all(e->fd, s, n); }
static void outs(struct editor *e, const char *s) { out(e, s, strlen(s)); }

/** Redraw the whole line and put the cursor back in place. */
static void refresh(struct editor *e) {
  size_t n = strlen(e->prompt) + e->len + 32;
  char *s = xmalloc(n);
  int k = snprintf(s, n, "\r%s%.*s\033[K", e->prompt, (int)e->len, e->buf);
  if (e->cursor < e->len) k += snprintf(s + k, n - (size_t)k, "\033[%zuD", e->len - e->cursor);
  out(e, s, (size_t)k);
  free(s);
}

static void set_text(struct editor *e, const char *text) {
  size_t n = strlen(text);
  if (n + 1 > e->cap) {
    e->cap = n + 64;
    e->buf = xrealloc(e->buf, e->cap);
  }
  memcpy(e->buf, text, n);
  e->len = e->cursor = n;
  refresh(e);
}

static void insert(struct editor *e, char c) {
  if (e->len + 2 > e->cap) {
    e->cap *= 2;
    e->buf = xrealloc(e->buf, e->cap);
  }
  memmove(e->buf + e->cursor + 1, e->buf + e->cursor, e->len - e->cursor);
  e->buf[e->cursor++] = c;
  e->len++;
  if (e->cursor == e->len) out(e, &c, 1);  // typing at the end: just echo
  else refresh(e);
}

/** Delete `n` characters starting at `at`. */
static void erase(struct editor *e, size_t at, size_t n) {
  if (n == 0 || at >= e->len) return;
  if (at + n > e->len) n = e->len - at;
  bool at_end = at + n == e->len && e->cursor == e->len && n == 1;
  memmove(e->buf + at, e->buf + at + n, e->len - at - n);
  e->len -= n;
  if (e->cursor > at) e->cursor = e->cursor >= at + n ? e->cursor - n : at;
  if (at_end) outs(e, "\b \b");
  else refresh(e);
}

static void move_to(struct editor *e, size_t pos) {
  if (pos > e->len) pos = e->len;
  char s[32];
  if (pos < e->cursor) snprintf(s, sizeof s, "\033[%zuD", e->cursor - pos);
  else if (pos > e->cursor) snprintf(s, sizeof s, "\033[%zuC", pos - e->cursor);
  else return;
  e->cursor = pos;
  outs(e, s);
}

static void history_step(struct editor *e, int dir) {
  if (dir < 0 && e->hist_index == 0) return;
  if (dir > 0 && e->hist_index >= history_len) return;
  if (e->hist_index == history_len) {
    free(e->scratch);
    e->scratch = xstrndup(e->buf, e->len);
  }
  e->hist_index = (size_t)((long)e->hist_index + dir);
  set_text(e, e->hist_index == history_len ? (e->scratch ? e->scratch : "") : history[e->hist_index]);
}

/** One byte from the terminal; -1 at end of input or on an error. */
static int read_byte(int fd) {
  unsigned char c;
  for (;;) {
    ssize_t n = read(fd, &c, 1);
    if (n == 1) return c;
    if (n < 0 && errno == EINTR) continue;
    return -1;
  }
}

enum key { K_NONE, K_UP, K_DOWN, K_LEFT, K_RIGHT, K_HOME, K_END, K_DELETE };

/** After ESC: decode "[" params final, or "O" final. */
static enum key read_escape(int fd) {
  int c = read_byte(fd);
  if (c == 'O') {
    switch (read_byte(fd)) {
      case 'A': return K_UP;
      case 'B': return K_DOWN;
      case 'C': return K_RIGHT;
      case 'D': return K_LEFT;
      case 'H': return K_HOME;
      case 'F': return K_END;
      default: return K_NONE;
    }
  }
  if (c != '[') return K_NONE;
  int param = 0;
  for (;;) {
    c = read_byte(fd);
    if (c < 0) return K_NONE;
    if (c >= '0' && c <= '9') {
      param = param * 10 + (c - '0');
      continue;
    }
    if (c == ';') continue;
    break;  // the final byte
  }
  switch (c) {
    case 'A': return K_UP;
    case 'B': return K_DOWN;
    case 'C': return K_RIGHT;
    case 'D': return K_LEFT;
    case 'H': return K_HOME;
    case 'F': return K_END;
    case '~':
      if (param == 1 || param == 7) return K_HOME;
      if (param == 4 || param == 8) return K_END;
      if (param == 3) return K_DELETE;
      return K_NONE;
    default: return K_NONE;
  }
}

#define CTRL(c) ((c) & 0x1f)

char *lineedit_read(int fd, int out_fd, const char *prompt, bool *interrupted) {
  *interrupted = false;
  struct termios saved, raw;
  if (tcgetattr(fd, &saved) < 0) return NULL;
  raw = saved;
  raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
  raw.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IXON);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  // TCSANOW, not TCSAFLUSH: keys typed ahead must not be lost.
  tcsetattr(fd, TCSANOW, &raw);

  struct editor e = {.fd = out_fd, .prompt = prompt, .cap = 128, .hist_index = history_len};
  e.buf = xmalloc(e.cap);
  outs(&e, prompt);
  char *result = NULL;
  for (;;) {
    int c = read_byte(fd);
    if (c < 0) break;  // end of input: like ^D
    if (c == '\r' || c == '\n') {
      outs(&e, "\r\n");
      result = xstrndup(e.buf, e.len);
      break;
    }
    if (c == CTRL('C')) {
      outs(&e, "^C\r\n");
      *interrupted = true;
      result = xstrdup("");
      break;
    }
    if (c == CTRL('D')) {
      if (e.len == 0) break;
      erase(&e, e.cursor, 1);
      continue;
    }
    if (c == 0x7f || c == CTRL('H')) {
      if (e.cursor > 0) erase(&e, e.cursor - 1, 1);
      continue;
    }
    if (c == 0x1b) {
      switch (read_escape(fd)) {
        case K_UP: history_step(&e, -1); break;
        case K_DOWN: history_step(&e, +1); break;
        case K_LEFT: if (e.cursor > 0) move_to(&e, e.cursor - 1); break;
        case K_RIGHT: move_to(&e, e.cursor + 1); break;
        case K_HOME: move_to(&e, 0); break;
        case K_END: move_to(&e, e.len); break;
        case K_DELETE: erase(&e, e.cursor, 1); break;
        case K_NONE: break;
      }
      continue;
    }
    switch (c) {
      case CTRL('A'): move_to(&e, 0); continue;
      case CTRL('E'): move_to(&e, e.len); continue;
      case CTRL('B'): if (e.cursor > 0) move_to(&e, e.cursor - 1); continue;
      case CTRL('F'): move_to(&e, e.cursor + 1); continue;
      case CTRL('P'): history_step(&e, -1); continue;
      case CTRL('N'): history_step(&e, +1); continue;
      case CTRL('U'): erase(&e, 0, e.cursor); continue;
      case CTRL('K'): erase(&e, e.cursor, e.len - e.cursor); continue;
      case CTRL('W'): {
        size_t start = e.cursor;
        while (start > 0 && e.buf[start - 1] == ' ') start--;
        while (start > 0 && e.buf[start - 1] != ' ') start--;
        erase(&e, start, e.cursor - start);
        continue;
      }
      case CTRL('L'):
        outs(&e, "\033[H\033[2J");
        refresh(&e);
        continue;
      default:
        break;
    }
    if (c >= 0x20) insert(&e, (char)c);  // other control keys (Tab too) do nothing
  }
  tcsetattr(fd, TCSANOW, &saved);
  free(e.buf);
  free(e.scratch);
  return result;
}
