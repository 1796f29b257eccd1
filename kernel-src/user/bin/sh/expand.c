// Word expansion: a raw word (as the lexer kept it) to zero or more fields.
// In order: tilde (~, ~/...), parameters ($NAME ${NAME} $? $$ $! $# $0-$9 $@
// $*), quote removal, field splitting of unquoted expansions on blanks, and
// pathname expansion (glob) of unquoted * ? [. Not supported: command
// substitution, arithmetic, ${NAME:-word} and friends.
#include <ctype.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

void fields_add(struct fields *f, char *s) {
  if (f->n + 2 > f->cap) {
    f->cap = f->cap ? f->cap * 2 : 8;
    f->v = xrealloc(f->v, f->cap * sizeof *f->v);
  }
  f->v[f->n++] = s;
  f->v[f->n] = NULL;
}

void fields_free(struct fields *f) {
  for (size_t i = 0; i < f->n; i++) free(f->v[i]);
  free(f->v);
  memset(f, 0, sizeof *f);
}

bool is_valid_name(const char *s, size_t len) {
  if (len == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return false;
  for (size_t i = 1; i < len; i++)
    if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) return false;
  return true;
}

bool is_assignment(const char *raw, const char **eq) {
  const char *e = strchr(raw, '=');
  if (!e || !is_valid_name(raw, (size_t)(e - raw))) return false;
  *eq = e;
  return true;
}

// A field under construction: characters, each marked quoted or not (only
// unquoted glob characters are special to pathname expansion).
struct builder {
  char *chars;
  bool *quoted;
  size_t len, cap;
  bool exists;    // a quoted part makes even an empty field exist ("")
  bool has_glob;  // an unquoted * ? or [
  bool split;     // field splitting and globbing on (off for assignments)
  struct fields done;
  struct fields glob_patterns;  // parallel to done: pattern or NULL
};

static void put(struct builder *b, char c, bool quoted) {
  if (b->len + 2 > b->cap) {
    b->cap = b->cap ? b->cap * 2 : 32;
    b->chars = xrealloc(b->chars, b->cap);
    b->quoted = xrealloc(b->quoted, b->cap * sizeof *b->quoted);
  }
  b->chars[b->len] = c;
  b->quoted[b->len] = quoted;
  b->len++;
  b->exists = true;
  if (!quoted && (c == '*' || c == '?' || c == '[')) b->has_glob = true;
}

/** The current field as a glob pattern: quoted special characters escaped. */
static char *glob_pattern(const struct builder *b) {
  char *pat = xmalloc(b->len * 2 + 1);
  size_t n = 0;
  for (size_t i = 0; i < b->len; i++) {
    char c = b->chars[i];
    if (b->quoted[i] && strchr("*?[]\\", c)) pat[n++] = '\\';
    else if (!b->quoted[i] && c == '\\') pat[n++] = '\\';
    pat[n++] = c;
  }
  pat[n] = '\0';
  return pat;
}

/** End the current field; `force` keeps it even when empty. */
static void finish(struct builder *b, bool force) {
  if (b->exists || force) {
    fields_add(&b->done, xstrndup(b->chars ? b->chars : "", b->len));
    fields_add(&b->glob_patterns, b->split && b->has_glob ? glob_pattern(b) : NULL);
  }
  b->len = 0;
  b->exists = b->has_glob = false;
}

/** Append an expansion's value: quoted, or split on blanks when unquoted. */
static void put_value(struct builder *b, const char *v, bool quoted) {
  for (; *v; v++) {
    if (!quoted && b->split && (*v == ' ' || *v == '\t' || *v == '\n')) {
      finish(b, false);
      continue;
    }
    put(b, *v, quoted);
  }
}

static char *positional_joined(void) {
  size_t len = 1;
  for (size_t i = 0; i < sh.nparams; i++) len += strlen(sh.params[i]) + 1;
  char *s = xmalloc(len);
  s[0] = '\0';
  for (size_t i = 0; i < sh.nparams; i++) {
    if (i) strcat(s, " ");
    strcat(s, sh.params[i]);
  }
  return s;
}

/** The value of a special or named parameter (malloc'd), or NULL when unset. */
static char *parameter(const char *name, size_t len) {
  char buf[32];
  if (len == 1) {
    switch (name[0]) {
      case '?': snprintf(buf, sizeof buf, "%d", sh.last_status); return xstrdup(buf);
      case '$': snprintf(buf, sizeof buf, "%d", (int)sh.pid); return xstrdup(buf);
      case '!':
        if (!sh.last_bg_pid) return NULL;
        snprintf(buf, sizeof buf, "%d", (int)sh.last_bg_pid);
        return xstrdup(buf);
      case '#': snprintf(buf, sizeof buf, "%zu", sh.nparams); return xstrdup(buf);
      case '@':
      case '*': return positional_joined();
      case '0': return xstrdup(sh.arg0);
      default: break;
    }
  }
  if (isdigit((unsigned char)name[0])) {
    size_t n = (size_t)atoi(name);
    return n >= 1 && n <= sh.nparams ? xstrdup(sh.params[n - 1]) : NULL;
  }
  char *key = xstrndup(name, len);
  const char *v = var_get(key);
  free(key);
  return v ? xstrdup(v) : NULL;
}

/**
 * At raw[*i] == '$': expand the parameter into the builder and advance.
 * A '$' not followed by a name is literal.
 */
static void expand_dollar(struct builder *b, const char *raw, size_t *i, bool in_quotes) {
  const char *p = raw + *i + 1;
  const char *name;
  size_t len;
  const char *close = *p == '{' ? strchr(p, '}') : NULL;
  if (close && close > p + 1) {
    name = p + 1;
    len = (size_t)(close - name);
    *i += len + 3;
  } else if (*p && strchr("?$!#@*", *p)) {
    name = p, len = 1;
    *i += 2;
  } else if (isdigit((unsigned char)*p)) {
    name = p, len = 1;  // $10 is $1 followed by 0, as POSIX says
    *i += 2;
  } else if (isalpha((unsigned char)*p) || *p == '_') {
    name = p, len = 1;
    while (isalnum((unsigned char)p[len]) || p[len] == '_') len++;
    *i += len + 1;
  } else {
    put(b, '$', in_quotes);
    *i += 1;
    return;
  }
  if (len == 1 && *name == '@' && in_quotes) {
    // "$@": one field per parameter.
    for (size_t k = 0; k < sh.nparams; k++) {
      if (k) finish(b, true);
      put_value(b, sh.params[k], true);
      b->exists = true;
    }
    return;
  }
  char *v = parameter(name, len);
  if (v) put_value(b, v, in_quotes);
  free(v);
}

static void expand_into(struct builder *b, const char *raw) {
  size_t i = 0;
  // ~ and ~/...: the home directory.
  if (raw[0] == '~' && (raw[1] == '\0' || raw[1] == '/')) {
    const char *home = var_get("HOME");
    put_value(b, home ? home : "~", true);
    i = 1;
  }
  bool in_dq = false;
  while (raw[i]) {
    char c = raw[i];
    if (c == '\'' && !in_dq) {
      b->exists = true;
      for (i++; raw[i] && raw[i] != '\''; i++) put(b, raw[i], true);
      if (raw[i]) i++;
    } else if (c == '"') {
      b->exists = true;
      in_dq = !in_dq;
      i++;
    } else if (c == '\\' && raw[i + 1]) {
      // In double quotes a backslash escapes only $ ` " \; elsewhere anything.
      if (in_dq && !strchr("$`\"\\", raw[i + 1])) put(b, '\\', true);
      put(b, raw[i + 1], true);
      i += 2;
    } else if (c == '$') {
      expand_dollar(b, raw, &i, in_dq);
    } else {
      put(b, c, in_dq);
      i++;
    }
  }
}

bool expand_word(const char *raw, struct fields *out) {
  struct builder b = {.split = true};
  expand_into(&b, raw);
  finish(&b, false);
  for (size_t k = 0; k < b.done.n; k++) {
    char *pattern = b.glob_patterns.v[k];
    glob_t g;
    if (pattern && glob(pattern, 0, NULL, &g) == 0) {  // sorted by glob
      for (size_t m = 0; m < g.gl_pathc; m++) fields_add(out, xstrdup(g.gl_pathv[m]));
      globfree(&g);
      free(b.done.v[k]);
    } else {
      fields_add(out, b.done.v[k]);  // no match: the word stays as it is
    }
    free(pattern);
  }
  free(b.done.v);
  free(b.glob_patterns.v);
  free(b.chars);
  free(b.quoted);
  return true;
}

char *expand_string(const char *raw) {
  struct builder b = {.split = false};
  expand_into(&b, raw);
  char *s = xstrndup(b.chars ? b.chars : "", b.len);
  free(b.chars);
  free(b.quoted);
  fields_free(&b.done);
  fields_free(&b.glob_patterns);
  return s;
}
