// sh: the oskit shell. One header for the pieces, each in its own file:
//
//   main.c      modes (interactive, -c, script), the read-parse-run loop
//   lexer.c     source text -> tokens (words keep their quotes for expansion)
//   parser.c    tokens -> a list of and-or lists of pipelines of commands
//   expand.c    words -> fields: $VAR, ${VAR}, $?, $$, quotes, splitting, globs
//   exec.c      running the tree: fork/exec, pipes, redirections, builtins
//   jobs.c      the job table: process groups, the terminal, wait statuses
//   builtins.c  cd, pwd, exit, export, unset, jobs, wait, fg, bg, ...
//   vars.c      shell variables and the environment passed to programs
//   lineedit.c  the interactive line editor (VT100 keys, history)
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <termios.h>

// ---- lexer.c ----

enum token_kind {
  T_WORD,
  T_PIPE,     // |
  T_AND,      // &&
  T_OR,       // ||
  T_SEMI,     // ;
  T_AMP,      // &
  T_NEWLINE,  // a newline separates commands like ;
  T_REDIR,    // < > >> <& >& <>, with an optional fd number before it
  T_LPAREN,   // ( and ) are recognised only to be reported as unsupported
  T_RPAREN,
  T_END,
};

enum redir_kind { R_IN, R_OUT, R_APPEND, R_DUP_IN, R_DUP_OUT, R_RDWR };

struct token {
  enum token_kind kind;
  char *text;  // T_WORD: the raw word, quotes included
  int fd;      // T_REDIR: the fd redirected (default 0 or 1)
  enum redir_kind redir;
  size_t start, end;  // offsets in the source, for job descriptions
};

enum lex_result { LEX_OK, LEX_INCOMPLETE };

/** Split `src` into tokens ending with T_END; LEX_INCOMPLETE for an open quote or a trailing backslash. */
enum lex_result lex(const char *src, struct token **tokens, size_t *count);
void free_tokens(struct token *tokens, size_t count);
/** How a token looks in an error message. */
const char *token_display(const struct token *t);

// ---- parser.c ----

struct redirection {
  int fd;
  enum redir_kind kind;
  char *target;  // raw word
};

struct command {
  char **words;  // raw words, NULL-terminated (assignments included)
  size_t nwords;
  struct redirection *redirs;
  size_t nredirs;
};

struct pipeline {
  struct command *commands;
  size_t ncommands;
  bool negate;  // ! pipeline
};

enum and_or_op { OP_AND, OP_OR };

struct and_or {
  struct pipeline *pipelines;
  enum and_or_op *ops;  // ops[i] joins pipelines[i] and pipelines[i + 1]
  size_t npipelines;
  bool background;
  char *text;  // the source text, for job descriptions
};

struct list {
  struct and_or *items;
  size_t count;
};

enum parse_result { PARSE_OK, PARSE_INCOMPLETE, PARSE_ERROR };

/**
 * Parse `src` into `out`. PARSE_INCOMPLETE when more input could complete it
 * (an open quote, a trailing | && ||); PARSE_ERROR after printing the error.
 */
enum parse_result parse(const char *src, struct list *out);
void free_list(struct list *l);

// ---- expand.c ----

struct fields {
  char **v;  // NULL-terminated
  size_t n, cap;
};

void fields_add(struct fields *f, char *s);  // takes ownership
void fields_free(struct fields *f);

/** Expand a raw word into fields (parameters, quotes, field splitting, globbing); false on error. */
bool expand_word(const char *raw, struct fields *out);
/** Expand without splitting or globbing (assignments); a malloc'd string. */
char *expand_string(const char *raw);
/** True when the raw word is an assignment NAME=value; *eq is the '='. */
bool is_assignment(const char *raw, const char **eq);
bool is_valid_name(const char *s, size_t len);

// ---- vars.c ----

void vars_init(char **envp);
const char *var_get(const char *name);
/** Set a variable; it keeps its exported flag (export marks it). */
void var_set(const char *name, const char *value);
void var_set_exported(const char *name, bool exported);
void var_unset(const char *name);
/** The environment for a program: exported variables overridden by `extra` ("NAME=value"). */
char **vars_environ(char *const *extra, size_t nextra);
void free_environ(char **env);
/** Print exported variables as "export NAME='value'" lines. */
void vars_print_exported(void);

// ---- shell state (main.c) ----

struct shell {
  bool interactive;    // reading commands from a terminal
  bool job_control;    // process groups and the terminal's foreground group
  int tty_fd;          // the terminal (a private dup), or -1
  pid_t pid;           // $$: the shell's PID (a forked subshell keeps it)
  pid_t pgid;          // the shell's own process group
  struct termios tmodes;  // the terminal's modes when the shell started
  int last_status;     // $?
  pid_t last_bg_pid;   // $!
  char *arg0;          // $0
  char **params;       // $1..., NULL-terminated
  size_t nparams;
  bool is_subshell;    // a forked child running part of the tree
  char *self_path;     // this shell's executable, for scripts without #!
};

extern struct shell sh;

/** Leave the shell: restore the terminal, exit with `status`. */
_Noreturn void shell_exit(int status);

// ---- exec.c ----

/** Run a parsed list; returns the last status (also in sh.last_status). */
int run_list(const struct list *l);
/** Describe a wait status for a foreground job as bash does (a signal's name), on stderr. */
void report_signal_death(int status);
/** Wait-status to shell status: the exit code, or 128 + signal. */
int status_of(int wait_status);

// ---- jobs.c ----

struct process {
  pid_t pid;
  int status;  // wait status once done
  bool done, stopped;
};

struct job {
  int id;
  pid_t pgid;
  struct process *procs;
  size_t nprocs;
  char *text;
  bool notified;     // its end was reported
  unsigned long seq; // recency: the highest is the current job (+), then -
};

struct job *job_new(const char *text);
void job_add_process(struct job *j, pid_t pid);
/** Wait until the job ends or stops (foreground); its shell status. */
int job_wait_foreground(struct job *j);
/** Reap finished children without blocking and update their jobs. */
void jobs_reap(void);
/** Block until one child changes state and record it; false with errno (EINTR, ECHILD). */
bool jobs_wait_any(void);
/** Whether a job is still running (not done, not stopped). */
bool jobs_any_running(void);
/** Interactive: print "[N]+ Done  text" for jobs that ended, and forget them. */
void jobs_notify(void);
void job_remove(struct job *j);
bool job_is_done(const struct job *j);
bool job_is_stopped(const struct job *j);
/** The shell status of a done job (its last process). */
int job_status(const struct job *j);
/** Look up "%N", "%+", "%-" or a PID; NULL if none. */
struct job *job_find(const char *spec);
struct job *job_current(void);
/** "[1]+ Running  sleep 10 &", "[1]+ Done  sleep 1": the jobs builtin and notifications. */
void job_print(const struct job *j, FILE *out);
/** Give the terminal to `pgid` (the shell takes it back with sh.pgid). */
void terminal_give(pid_t pgid);
void jobs_each(void (*fn)(struct job *));
size_t jobs_count(void);

// ---- builtins.c ----

typedef int (*builtin_fn)(char **argv, size_t argc);
/** The builtin named `name`, or NULL. */
builtin_fn builtin_lookup(const char *name);

// ---- lineedit.c ----

/**
 * Read a line from terminal `fd` with editing, drawn on `out_fd`; a malloc'd
 * string without the newline, or NULL at end of input (^D on an empty
 * line). ^C gives "" and sets *interrupted.
 */
char *lineedit_read(int fd, int out_fd, const char *prompt, bool *interrupted);
void lineedit_history_add(const char *line);

// ---- small helpers (main.c) ----

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
