// forkstress [-p PARENTS] [-c CHILDREN] [-r ROUNDS]: many processes forking
// at once. PARENTS processes start together; each forks CHILDREN children
// that fork and exec /bin/true, and waits for them; ROUNDS times over. Every
// exit status is checked, and MemFree from /proc/meminfo must be the same
// after as before (after one warm-up round). Prints one summary line; exit 0
// only when every process did what it should and no memory went missing.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/ulib.h"

static int opt(const char *flag, int fallback, int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i++) {
        uint64_t v;
        if (strcmp(argv[i], flag) == 0 && parse_u64(argv[i + 1], &v) && v > 0 && v <= 4096)
            return (int)v;
    }
    return fallback;
}

static uint64_t mem_free_kb(void)
{
    // Touched before the read: a buffer page first faulted in by the read
    // itself would be allocated after the kernel counted the free pages,
    // and the next reading would seem to have lost it.
    static char text[4096];
    memset(text, 0, sizeof text);
    uint64_t kb = 0;
    if (read_text_file("/proc/meminfo", text, sizeof text) < 0 || !meminfo_kb(text, "MemFree", &kb))
        die_errno(2, "cannot read MemFree from /proc/meminfo");
    return kb;
}

// One child: fork a grandchild that execs /bin/true, wait for it.
static int child_work(void)
{
    pid_t g = fork();
    if (g < 0)
        return 3;
    if (g == 0) {
        char *args[] = { "/bin/true", NULL };
        execv("/bin/true", args);
        _exit(4);
    }
    int st;
    if (waitpid(g, &st, 0) != g || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return 5;
    return 0;
}

// One parent: CHILDREN children at once, all waited for.
static int parent_work(int children)
{
    int failures = 0;
    for (int i = 0; i < children; i++) {
        pid_t c = fork();
        if (c < 0) {
            failures++;
            continue;
        }
        if (c == 0)
            _exit(child_work());
    }
    for (;;) {
        int st;
        pid_t w = wait(&st);
        if (w < 0) {
            if (errno == ECHILD)
                break;
            failures++;
            break;
        }
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            failures++;
    }
    return failures ? 1 : 0;
}

static int round_of(int parents, int children)
{
    int failures = 0;
    for (int i = 0; i < parents; i++) {
        pid_t p = fork();
        if (p < 0) {
            warn_errno("fork");
            failures++;
            continue;
        }
        if (p == 0)
            _exit(parent_work(children));
    }
    for (;;) {
        int st;
        pid_t w = wait(&st);
        if (w < 0)
            break;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            failures++;
    }
    return failures;
}

int main(int argc, char **argv)
{
    set_progname(argv[0]);
    int parents = opt("-p", 16, argc, argv);
    int children = opt("-c", 8, argc, argv);
    int rounds = opt("-r", 4, argc, argv);
    int failures = round_of(parents, children); // warm-up
    uint64_t start = monotonic_ns();
    uint64_t lowest = ~0ull, highest = 0;
    for (int r = 0; r < rounds; r++) {
        failures += round_of(parents, children);
        uint64_t kb = mem_free_kb();
        lowest = kb < lowest ? kb : lowest;
        highest = kb > highest ? kb : highest;
    }
    uint64_t ms = (monotonic_ns() - start) / 1000000;
    long processes = (long)rounds * parents * (1 + 2L * children);
    printf("forkstress: %ld processes (%d at a time x %d rounds), %d failed, MemFree after the rounds %llu..%llu kB, "
           "%llu ms\n",
           processes, parents * (1 + children), rounds, failures, (unsigned long long)lowest,
           (unsigned long long)highest, (unsigned long long)ms);
    if (flush_stdout() < 0)
        return 2;
    return failures == 0 ? 0 : 1;
}
