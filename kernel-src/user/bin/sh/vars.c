// Shell variables. Each has a value and an exported flag; programs get the
// exported ones as their environment (plus any NAME=value words before the
// command). Imported from the shell's own environment at start, exported.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct var {
  char *name;
  char *value;
  bool exported;
};

static struct var *vars;
static size_t nvars, cap;

static struct var *find(const char *name) {
  for (size_t i = 0; i < nvars; i++)
    if (strcmp(vars[i].name, name) == 0) return &vars[i];
  return NULL;
}

static struct var *find_or_add(const char *name) {
  struct var *v = find(name);
  if (v) return v;
  if (nvars == cap) {
    cap = cap ? cap * 2 : 32;
    vars = xrealloc(vars, cap * sizeof *vars);
  }
  v = &vars[nvars++];
  *v = (struct var){.name = xstrdup(name)};
  return v;
}

void vars_init(char **envp) {
  for (char **e = envp; e && *e; e++) {
    const char *eq = strchr(*e, '=');
    if (!eq || !is_valid_name(*e, (size_t)(eq - *e))) continue;
    char *name = xstrndup(*e, (size_t)(eq - *e));
    var_set(name, eq + 1);
    var_set_exported(name, true);
    free(name);
  }
}

const char *var_get(const char *name) {
  struct var *v = find(name);
  return v ? v->value : NULL;
}

void var_set(const char *name, const char *value) {
  struct var *v = find_or_add(name);
  char *copy = xstrdup(value);
  free(v->value);
  v->value = copy;
}

void var_set_exported(const char *name, bool exported) {
  struct var *v = find_or_add(name);
  v->exported = exported;
}

void var_unset(const char *name) {
  struct var *v = find(name);
  if (!v) return;
  free(v->name);
  free(v->value);
  *v = vars[--nvars];
}

/** Whether `entry` ("NAME=value") sets the variable `name`. */
static bool sets(const char *entry, const char *name) {
  size_t len = strlen(name);
  return strncmp(entry, name, len) == 0 && entry[len] == '=';
}

char **vars_environ(char *const *extra, size_t nextra) {
  char **env = xmalloc((nvars + nextra + 1) * sizeof *env);
  size_t n = 0;
  for (size_t i = 0; i < nvars; i++) {
    const struct var *v = &vars[i];
    if (!v->exported || !v->value) continue;
    bool overridden = false;
    for (size_t k = 0; k < nextra && !overridden; k++) overridden = sets(extra[k], v->name);
    if (overridden) continue;
    size_t len = strlen(v->name) + strlen(v->value) + 2;
    env[n] = xmalloc(len);
    snprintf(env[n], len, "%s=%s", v->name, v->value);
    n++;
  }
  for (size_t k = 0; k < nextra; k++) env[n++] = xstrdup(extra[k]);
  env[n] = NULL;
  return env;
}

void free_environ(char **env) {
  for (char **e = env; *e; e++) free(*e);
  free(env);
}

static int by_name(const void *a, const void *b) {
  return strcmp(((const struct var *)a)->name, ((const struct var *)b)->name);
}

void vars_print_exported(void) {
  qsort(vars, nvars, sizeof *vars, by_name);
  for (size_t i = 0; i < nvars; i++) {
    if (!vars[i].exported) continue;
    printf("export %s", vars[i].name);
    if (vars[i].value) {
      // Single quotes, with ' written as '\''.
      printf("='");
      for (const char *c = vars[i].value; *c; c++) {
        if (*c == '\'') fputs("'\\''", stdout);
        else putchar(*c);
      }
      putchar('\'');
    }
    putchar('\n');
  }
}
