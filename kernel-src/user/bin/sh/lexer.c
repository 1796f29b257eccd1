// The lexer: source text to tokens. A word is kept raw (quotes, backslashes
// and $ intact) for expand.c; the lexer only finds where it ends. Operators:
// | || & && ; newline < > >> <& >& <>, with an fd number glued before a
// redirection ("2>", "2>&1"). A backslash-newline joins lines. '#' at the
// start of a word starts a comment.
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct lexer {
  const char *src;
  size_t pos;
  struct token *tokens;
  size_t count, cap;
};

static struct token *push(struct lexer *lx, enum token_kind kind, size_t start) {
  if (lx->count == lx->cap) {
    lx->cap = lx->cap ? lx->cap * 2 : 16;
    lx->tokens = xrealloc(lx->tokens, lx->cap * sizeof *lx->tokens);
  }
  struct token *t = &lx->tokens[lx->count++];
  memset(t, 0, sizeof *t);
  t->kind = kind;
  t->start = start;
  t->end = lx->pos;
  return t;
}

static bool is_operator_char(char c) {
  return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')' || c == '\n';
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/** A redirection operator at lx->pos, if any; advances past it. */
static bool read_redirection(struct lexer *lx, enum redir_kind *kind) {
  const char *p = lx->src + lx->pos;
  if (p[0] == '>' && p[1] == '>') *kind = R_APPEND, lx->pos += 2;
  else if (p[0] == '>' && p[1] == '&') *kind = R_DUP_OUT, lx->pos += 2;
  else if (p[0] == '>' && p[1] == '|') *kind = R_OUT, lx->pos += 2;
  else if (p[0] == '<' && p[1] == '&') *kind = R_DUP_IN, lx->pos += 2;
  else if (p[0] == '<' && p[1] == '>') *kind = R_RDWR, lx->pos += 2;
  else if (p[0] == '>') *kind = R_OUT, lx->pos += 1;
  else if (p[0] == '<') *kind = R_IN, lx->pos += 1;
  else return false;
  return true;
}

/**
 * Read a word from lx->pos into a new raw string (backslash-newlines
 * dropped). False when a quote is left open or the input ends in a backslash.
 */
static bool read_word(struct lexer *lx, char **out) {
  const char *s = lx->src;
  size_t cap = 32, len = 0;
  char *w = xmalloc(cap);
#define PUT(c)                      \
  do {                              \
    if (len + 2 > cap) w = xrealloc(w, cap *= 2); \
    w[len++] = (c);                 \
  } while (0)
  bool complete = true;
  while (s[lx->pos] && !is_blank(s[lx->pos]) && !is_operator_char(s[lx->pos])) {
    char c = s[lx->pos];
    if (c == '\\') {
      if (s[lx->pos + 1] == '\n') {
        lx->pos += 2;
        continue;
      }
      if (!s[lx->pos + 1]) {
        complete = false;
        lx->pos++;
        break;
      }
      PUT(c);
      PUT(s[lx->pos + 1]);
      lx->pos += 2;
    } else if (c == '\'') {
      PUT(c);
      lx->pos++;
      while (s[lx->pos] && s[lx->pos] != '\'') PUT(s[lx->pos++]);
      if (!s[lx->pos]) {
        complete = false;
        break;
      }
      PUT(s[lx->pos++]);
    } else if (c == '"') {
      PUT(c);
      lx->pos++;
      while (s[lx->pos] && s[lx->pos] != '"') {
        if (s[lx->pos] == '\\' && s[lx->pos + 1] == '\n') {
          lx->pos += 2;
          continue;
        }
        if (s[lx->pos] == '\\' && s[lx->pos + 1]) PUT(s[lx->pos++]);
        PUT(s[lx->pos++]);
      }
      if (!s[lx->pos]) {
        complete = false;
        break;
      }
      PUT(s[lx->pos++]);
    } else if (c == '$' && s[lx->pos + 1] == '{') {
      // ${...} may hold characters that would otherwise end the word.
      while (s[lx->pos] && s[lx->pos] != '}') PUT(s[lx->pos++]);
      if (!s[lx->pos]) {
        complete = false;
        break;
      }
      PUT(s[lx->pos++]);
    } else {
      PUT(c);
      lx->pos++;
    }
  }
#undef PUT
  w[len] = '\0';
  *out = w;
  return complete;
}

enum lex_result lex(const char *src, struct token **tokens, size_t *count) {
  struct lexer lx = {.src = src};
  enum lex_result result = LEX_OK;
  for (;;) {
    while (is_blank(src[lx.pos]) || (src[lx.pos] == '\\' && src[lx.pos + 1] == '\n')) {
      lx.pos += src[lx.pos] == '\\' ? 2 : 1;
    }
    size_t start = lx.pos;
    char c = src[lx.pos];
    if (c == '\0') break;
    if (c == '#') {
      while (src[lx.pos] && src[lx.pos] != '\n') lx.pos++;
      continue;
    }
    if (c == '\n') {
      lx.pos++;
      push(&lx, T_NEWLINE, start);
      continue;
    }
    if (c == '|' || c == '&') {
      bool twice = src[lx.pos + 1] == c;
      lx.pos += twice ? 2 : 1;
      push(&lx, c == '|' ? (twice ? T_OR : T_PIPE) : (twice ? T_AND : T_AMP), start);
      continue;
    }
    if (c == ';' || c == '(' || c == ')') {
      lx.pos++;
      push(&lx, c == ';' ? T_SEMI : c == '(' ? T_LPAREN : T_RPAREN, start);
      continue;
    }
    enum redir_kind kind;
    if (read_redirection(&lx, &kind)) {
      struct token *t = push(&lx, T_REDIR, start);
      t->redir = kind;
      t->fd = (kind == R_IN || kind == R_DUP_IN || kind == R_RDWR) ? 0 : 1;
      continue;
    }
    char *word;
    bool complete = read_word(&lx, &word);
    // "2>": a word of digits right before a redirection names the fd.
    size_t digits = strspn(word, "0123456789");
    if (complete && digits > 0 && digits == strlen(word) && digits <= 4 && read_redirection(&lx, &kind)) {
      struct token *t = push(&lx, T_REDIR, start);
      t->redir = kind;
      t->fd = atoi(word);
      free(word);
      continue;
    }
    struct token *t = push(&lx, T_WORD, start);
    t->text = word;
    if (!complete) {
      result = LEX_INCOMPLETE;
      break;
    }
  }
  push(&lx, T_END, lx.pos);
  *tokens = lx.tokens;
  *count = lx.count;
  return result;
}

void free_tokens(struct token *tokens, size_t count) {
  for (size_t i = 0; i < count; i++) free(tokens[i].text);
  free(tokens);
}

const char *token_display(const struct token *t) {
  switch (t->kind) {
    case T_WORD: return t->text;
    case T_PIPE: return "|";
    case T_AND: return "&&";
    case T_OR: return "||";
    case T_SEMI: return ";";
    case T_AMP: return "&";
    case T_NEWLINE: return "newline";
    case T_LPAREN: return "(";
    case T_RPAREN: return ")";
    case T_END: return "newline";
    case T_REDIR:
      switch (t->redir) {
        case R_IN: return "<";
        case R_OUT: return ">";
        case R_APPEND: return ">>";
        case R_DUP_IN: return "<&";
        case R_DUP_OUT: return ">&";
        case R_RDWR: return "<>";
      }
  }
  return "?";
}
