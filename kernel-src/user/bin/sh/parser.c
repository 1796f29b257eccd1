// The parser: tokens to a tree, by recursive descent over this grammar
// (POSIX's, without compound commands):
//
//   list      := and_or ((';' | '&' | newline) and_or)* [';' | '&']
//   and_or    := pipeline (('&&' | '||') newline* pipeline)*
//   pipeline  := ['!'] command ('|' newline* command)*
//   command   := (WORD | REDIRECTION WORD)+
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct parser {
  const char *src;
  struct token *t;
  size_t pos, count;
  enum parse_result result;
};

static const struct token *peek(struct parser *p) { return &p->t[p->pos]; }

static void skip_newlines(struct parser *p) {
  while (peek(p)->kind == T_NEWLINE) p->pos++;
}

/** Report an unexpected token, or note that more input could complete the text. */
static void fail(struct parser *p) {
  if (p->result != PARSE_OK) return;
  const struct token *t = peek(p);
  if (t->kind == T_END) {
    p->result = PARSE_INCOMPLETE;
    return;
  }
  if (t->kind == T_LPAREN || t->kind == T_RPAREN) {
    fprintf(stderr, "sh: syntax error near unexpected token `%s' (subshells are not supported)\n", token_display(t));
  } else {
    fprintf(stderr, "sh: syntax error near unexpected token `%s'\n", token_display(t));
  }
  p->result = PARSE_ERROR;
}

static bool parse_command(struct parser *p, struct command *cmd) {
  memset(cmd, 0, sizeof *cmd);
  size_t word_cap = 0, redir_cap = 0;
  for (;;) {
    const struct token *t = peek(p);
    if (t->kind == T_WORD) {
      if (cmd->nwords + 2 > word_cap) {
        word_cap = word_cap ? word_cap * 2 : 8;
        cmd->words = xrealloc(cmd->words, word_cap * sizeof *cmd->words);
      }
      cmd->words[cmd->nwords++] = xstrdup(t->text);
      cmd->words[cmd->nwords] = NULL;
      p->pos++;
    } else if (t->kind == T_REDIR) {
      const struct token *target = &p->t[p->pos + 1];
      if (target->kind != T_WORD) {
        p->pos++;
        // "ls >" is an error even at the end of the input, as in bash.
        if (peek(p)->kind == T_END) {
          fprintf(stderr, "sh: syntax error near unexpected token `newline'\n");
          p->result = PARSE_ERROR;
        } else {
          fail(p);
        }
        return false;
      }
      if (cmd->nredirs == redir_cap) {
        redir_cap = redir_cap ? redir_cap * 2 : 4;
        cmd->redirs = xrealloc(cmd->redirs, redir_cap * sizeof *cmd->redirs);
      }
      cmd->redirs[cmd->nredirs++] = (struct redirection){.fd = t->fd, .kind = t->redir, .target = xstrdup(target->text)};
      p->pos += 2;
    } else {
      break;
    }
  }
  if (cmd->nwords == 0 && cmd->nredirs == 0) {
    fail(p);
    return false;
  }
  return true;
}

static void free_command(struct command *c) {
  for (size_t i = 0; i < c->nwords; i++) free(c->words[i]);
  free(c->words);
  for (size_t i = 0; i < c->nredirs; i++) free(c->redirs[i].target);
  free(c->redirs);
}

static bool parse_pipeline(struct parser *p, struct pipeline *pl) {
  memset(pl, 0, sizeof *pl);
  if (peek(p)->kind == T_WORD && strcmp(peek(p)->text, "!") == 0) {
    pl->negate = true;
    p->pos++;
  }
  for (;;) {
    pl->commands = xrealloc(pl->commands, (pl->ncommands + 1) * sizeof *pl->commands);
    if (!parse_command(p, &pl->commands[pl->ncommands])) {
      free_command(&pl->commands[pl->ncommands]);
      return false;
    }
    pl->ncommands++;
    if (peek(p)->kind != T_PIPE) return true;
    p->pos++;
    skip_newlines(p);
  }
}

static void free_pipeline(struct pipeline *pl) {
  for (size_t i = 0; i < pl->ncommands; i++) free_command(&pl->commands[i]);
  free(pl->commands);
}

static bool parse_and_or(struct parser *p, struct and_or *ao) {
  memset(ao, 0, sizeof *ao);
  size_t start = peek(p)->start;
  for (;;) {
    ao->pipelines = xrealloc(ao->pipelines, (ao->npipelines + 1) * sizeof *ao->pipelines);
    ao->ops = xrealloc(ao->ops, (ao->npipelines + 1) * sizeof *ao->ops);
    if (!parse_pipeline(p, &ao->pipelines[ao->npipelines])) {
      free_pipeline(&ao->pipelines[ao->npipelines]);
      return false;
    }
    ao->npipelines++;
    size_t end = p->t[p->pos - 1].end;
    enum token_kind k = peek(p)->kind;
    if (k != T_AND && k != T_OR) {
      ao->text = xstrndup(p->src + start, end - start);
      return true;
    }
    ao->ops[ao->npipelines - 1] = k == T_AND ? OP_AND : OP_OR;
    p->pos++;
    skip_newlines(p);
  }
}

static void free_and_or(struct and_or *ao) {
  for (size_t i = 0; i < ao->npipelines; i++) free_pipeline(&ao->pipelines[i]);
  free(ao->pipelines);
  free(ao->ops);
  free(ao->text);
}

enum parse_result parse(const char *src, struct list *out) {
  memset(out, 0, sizeof *out);
  struct token *tokens;
  size_t count;
  enum lex_result lexed = lex(src, &tokens, &count);
  if (lexed == LEX_INCOMPLETE) {
    free_tokens(tokens, count);
    return PARSE_INCOMPLETE;
  }
  struct parser p = {.src = src, .t = tokens, .count = count, .result = PARSE_OK};
  skip_newlines(&p);
  while (peek(&p)->kind != T_END) {
    out->items = xrealloc(out->items, (out->count + 1) * sizeof *out->items);
    struct and_or *ao = &out->items[out->count];
    if (!parse_and_or(&p, ao)) {
      free_and_or(ao);
      break;
    }
    out->count++;
    enum token_kind k = peek(&p)->kind;
    if (k == T_AMP) ao->background = true;
    if (k == T_SEMI || k == T_AMP || k == T_NEWLINE) {
      p.pos++;
      skip_newlines(&p);
    } else if (k != T_END) {
      fail(&p);
      break;
    }
  }
  free_tokens(tokens, count);
  if (p.result != PARSE_OK) free_list(out);
  return p.result;
}

void free_list(struct list *l) {
  for (size_t i = 0; i < l->count; i++) free_and_or(&l->items[i]);
  free(l->items);
  l->items = NULL;
  l->count = 0;
}
