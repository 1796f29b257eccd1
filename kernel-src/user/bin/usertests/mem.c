// Memory tests: anonymous and private file mappings, munmap, mprotect (a
// write to a read-only page kills only a child, with SIGSEGV), brk, copy on
// write across fork, and requests far beyond memory (ENOMEM, the break stays
// put, the process lives).
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ulib.h"
#include "usertests.h"

#define PAGE 4096ul

static char *map_anon(size_t len, int prot) {
  long r = OK(SYS(SYS_mmap, NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  CHECKF(r % (long)PAGE == 0, "mmap returned unaligned 0x%lx", r);
  return (char *)r;
}

static void touch_write(void *p) { *(volatile char *)p = 1; }
static void touch_read(void *p) { (void)*(volatile char *)p; }

void test_mmap_anon(void) {
  const size_t pages = 16;
  char *p = map_anon(pages * PAGE, PROT_READ | PROT_WRITE);
  for (size_t i = 0; i < pages * PAGE; i++) CHECKF(p[i] == 0, "byte %zu of a new mapping is %d", i, p[i]);
  for (size_t i = 0; i < pages; i++) memset(p + i * PAGE, (int)i + 1, PAGE);
  for (size_t i = 0; i < pages; i++) CHECK(p[i * PAGE + 123] == (char)(i + 1));
  // A hole in the middle: that page faults, its neighbours keep their data.
  OK(SYS(SYS_munmap, p + 5 * PAGE, PAGE));
  int st = ut_in_child(touch_read, p + 5 * PAGE);
  CHECKF(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "reading an unmapped page: %s", ut_status_text(st));
  CHECK(p[4 * PAGE] == 5 && p[6 * PAGE] == 7);
  // MAP_FIXED maps a fresh zero page over the hole.
  long r = OK(SYS(SYS_mmap, p + 5 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
  CHECK(r == (long)(p + 5 * PAGE));
  CHECK(p[5 * PAGE] == 0);
  // And over mapped pages, replacing their contents.
  OK(SYS(SYS_mmap, p, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
  CHECK(p[0] == 0 && p[PAGE] == 0 && p[2 * PAGE] == 3);
  ERR(SYS(SYS_mmap, p + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
  ERR(SYS(SYS_mmap, NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
  OK(SYS(SYS_munmap, p, pages * PAGE));
  OK(SYS(SYS_munmap, p, pages * PAGE));  // unmapping nothing is not an error
  st = ut_in_child(touch_write, p);
  CHECKF(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "writing after munmap: %s", ut_status_text(st));
  // A large, sparsely used mapping.
  char *big = map_anon(64ul << 20, PROT_READ | PROT_WRITE);
  for (size_t off = 0; off < (64ul << 20); off += 1ul << 20) big[off] = 'x';
  CHECK(big[63ul << 20] == 'x' && big[(63ul << 20) + 1] == 0);
  OK(SYS(SYS_munmap, big, 64ul << 20));
}

void test_mmap_file(void) {
  // Three pages and 100 bytes of a pattern.
  const size_t size = 3 * PAGE + 100;
  static char data[3 * 4096 + 100];
  for (size_t i = 0; i < size; i++) data[i] = (char)('a' + i % 23 + i / PAGE);
  ut_write_file("f", data, size, 0644);
  int fd = (int)OK(SYS(SYS_open, "f", O_RDONLY));
  char *p = (char *)OK(SYS(SYS_mmap, NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0));
  CHECK(memcmp(p, data, size) == 0);
  for (size_t i = size; i < 4 * PAGE; i++) CHECKF(p[i] == 0, "byte %zu past the end of the file is %d", i, p[i]);
  // At an offset.
  char *q = (char *)OK(SYS(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE));
  CHECK(memcmp(q, data + PAGE, PAGE) == 0);
  // Closing the file does not end the mapping.
  OK(SYS(SYS_close, fd));
  CHECK(memcmp(p + 2 * PAGE, data + 2 * PAGE, 100) == 0);
  OK(SYS(SYS_munmap, p, 4 * PAGE));
  OK(SYS(SYS_munmap, q, PAGE));
  // Writes to a private mapping stay in it.
  fd = (int)OK(SYS(SYS_open, "f", O_RDWR));
  p = (char *)OK(SYS(SYS_mmap, NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0));
  memset(p + 10, 'X', 20);
  p[PAGE + 1] = 'Y';
  CHECK(p[10] == 'X' && p[PAGE + 1] == 'Y');
  char back[32];
  CHECK(SYS(SYS_pread64, fd, back, 20, 10) == 20);
  CHECK(memcmp(back, data + 10, 20) == 0);
  OK(SYS(SYS_munmap, p, 2 * PAGE));
  p = (char *)OK(SYS(SYS_mmap, NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0));
  CHECK(memcmp(p, data, 2 * PAGE) == 0);
  // A child's writes to its copy do not reach the parent's.
  pid_t pid = ut_fork();
  if (pid == 0) {
    OK(SYS(SYS_mprotect, p, PAGE, PROT_READ | PROT_WRITE));
    p[0] = 'C';
    _exit(p[0] == 'C' ? 0 : 1);
  }
  ut_expect_exit(pid, 0);
  CHECK(p[0] == data[0]);
  ERR(SYS(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);  // unaligned offset
  int wo = (int)OK(SYS(SYS_open, "f", O_WRONLY));
  ERR(SYS(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
}

/*
 * Private mappings of a file the page cache shares (on oskit the initrd's
 * programs: every mapping of a page maps one cached page read-only): a
 * write, direct or after mprotect, goes to a copy; the file, other
 * mappings and other processes keep the file's bytes. This program's own
 * file is such a file.
 */
void test_mmap_page_cache(void) {
  int fd = (int)OK(SYS(SYS_open, "/proc/self/exe", O_RDONLY));
  char *a = (char *)OK(SYS(SYS_mmap, NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0));
  char *b = (char *)OK(SYS(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0));
  CHECK(memcmp(a, "\177ELF", 4) == 0 && memcmp(b, "\177ELF", 4) == 0);
  a[1] = 'X';
  CHECK(a[1] == 'X' && b[1] == 'E');
  pid_t pid = ut_fork();
  if (pid == 0) {
    char *c = (char *)SYS(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    _exit(c != MAP_FAILED && c[1] == 'E' && b[1] == 'E' && a[1] == 'X' ? 0 : 1);
  }
  ut_expect_exit(pid, 0);
  // Read-only first (the shared page mapped), then writable: still a copy.
  OK(SYS(SYS_mprotect, b, PAGE, PROT_READ | PROT_WRITE));
  b[2] = 'Y';
  CHECK(b[2] == 'Y' && a[2] == 'L');
  char head[4];
  CHECK(SYS(SYS_pread64, fd, head, 4, 0) == 4 && memcmp(head, "\177ELF", 4) == 0);
  OK(SYS(SYS_munmap, a, PAGE));
  OK(SYS(SYS_munmap, b, PAGE));
  a = (char *)OK(SYS(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0));
  CHECK(memcmp(a, "\177ELF", 4) == 0);
  OK(SYS(SYS_munmap, a, PAGE));
  OK(SYS(SYS_close, fd));
}

void test_mprotect(void) {
  char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);
  p[0] = 'a';
  p[PAGE] = 'b';
  OK(SYS(SYS_mprotect, p, PAGE, PROT_READ));
  CHECK(p[0] == 'a');
  int st = ut_in_child(touch_write, p);
  CHECKF(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "writing a PROT_READ page: %s", ut_status_text(st));
  p[PAGE] = 'c';  // the next page is still writable
  OK(SYS(SYS_mprotect, p, PAGE, PROT_NONE));
  st = ut_in_child(touch_read, p);
  CHECKF(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "reading a PROT_NONE page: %s", ut_status_text(st));
  OK(SYS(SYS_mprotect, p, PAGE, PROT_READ | PROT_WRITE));
  CHECK(p[0] == 'a');  // the data survived
  p[0] = 'z';
  CHECK(p[0] == 'z' && p[PAGE] == 'c');
  ERR(SYS(SYS_mprotect, p + 1, PAGE, PROT_READ), EINVAL);
  OK(SYS(SYS_munmap, p, 2 * PAGE));
  ERR(SYS(SYS_mprotect, p, PAGE, PROT_READ), ENOMEM);  // nothing mapped there
}

void test_brk(void) {
  // No malloc in here: musl may keep its own idea of the break.
  long start = SYS(SYS_brk, 0);
  CHECK(start > 0);
  CHECK(SYS(SYS_brk, 0) == start);
  const long grow = 1 << 20;
  CHECKF(SYS(SYS_brk, start + grow) == start + grow, "brk did not grow by 1 MiB");
  char *p = (char *)start;
  for (long i = 0; i < grow; i += (long)PAGE) CHECKF(p[i] == 0, "new break memory at +%ld is not zero", i);
  for (long i = 0; i < grow; i += (long)PAGE) p[i] = (char)(i >> 12);
  for (long i = 0; i < grow; i += (long)PAGE) CHECK(p[i] == (char)(i >> 12));
  CHECK(SYS(SYS_brk, start + (long)PAGE) == start + (long)PAGE);  // shrink
  CHECK(p[0] == 0);
  int st = ut_in_child(touch_write, p + 2 * PAGE);
  CHECKF(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "writing above a lowered break: %s", ut_status_text(st));
  // Growing again gives zeroed memory, not the old contents.
  CHECK(SYS(SYS_brk, start + grow) == start + grow);
  CHECKF(p[5 * PAGE] == 0, "memory freed by brk came back with old data");
  CHECK(SYS(SYS_brk, start) == start);
}

void test_cow(void) {
  // 4 MiB the parent fills with 'P'; after fork each side writes its own
  // letter to every page and must see only its own.
  const size_t size = 4ul << 20;
  char *a = map_anon(size, PROT_READ | PROT_WRITE);
  memset(a, 'P', size);
  static int global = 1;
  int local = 2;
  int to_parent[2], to_child[2];
  OK(SYS(SYS_pipe, to_parent));
  OK(SYS(SYS_pipe, to_child));
  pid_t pid = ut_fork();
  if (pid == 0) {
    for (size_t i = 0; i < size; i += PAGE) CHECKF(a[i] == 'P' && a[i + PAGE - 1] == 'P', "child: page %zu changed", i / PAGE);
    for (size_t i = 0; i < size; i += PAGE) a[i] = 'C';
    global = 100;
    local = 200;
    CHECK(SYS(SYS_write, to_parent[1], "w", 1) == 1);
    char c;
    CHECK(SYS(SYS_read, to_child[0], &c, 1) == 1);  // the parent has written its pages
    for (size_t i = 0; i < size; i += PAGE) CHECKF(a[i] == 'C', "child: page %zu is '%c'", i / PAGE, a[i]);
    CHECK(a[1] == 'P' && global == 100 && local == 200);
    _exit(0);
  }
  char c;
  CHECK(SYS(SYS_read, to_parent[0], &c, 1) == 1);
  for (size_t i = 0; i < size; i += PAGE) CHECKF(a[i] == 'P', "parent: page %zu is '%c' after the child wrote", i / PAGE, a[i]);
  CHECK(global == 1 && local == 2);
  for (size_t i = 0; i < size; i += PAGE) a[i] = 'Q';
  CHECK(SYS(SYS_write, to_child[1], "w", 1) == 1);
  ut_expect_exit(pid, 0);
  for (size_t i = 0; i < size; i += PAGE) CHECK(a[i] == 'Q');
}

void test_oom(void) {
  // More than the whole user address space, and a length that wraps.
  ERR(SYS(SYS_mmap, NULL, 1ul << 48, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
  ERR(SYS(SYS_mmap, NULL, -PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
  // A break beyond memory and the address space is refused: it stays put.
  long start = SYS(SYS_brk, 0);
  CHECK(SYS(SYS_brk, start + (1l << 47)) == start);
  CHECK(SYS(SYS_brk, 0) == start);
  // Still alive, and memory still works.
  char *p = map_anon(PAGE, PROT_READ | PROT_WRITE);
  p[0] = 1;
  OK(SYS(SYS_munmap, p, PAGE));
}
