// File-system and file-descriptor tests: read/write and their vector and
// positioned forms, open/openat/close, lseek, the stat family, access,
// getdents64, the working directory, mkdir/rmdir/unlink/rename/readlink,
// pipes, dup/fcntl/ioctl, tmpfs behaviour in /tmp, the umask, and the error
// paths every call shares (EFAULT, EBADF, EINVAL, EMFILE).
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ulib.h"
#include "usertests.h"

#define O_FLAGS_RW (O_RDWR | O_CREAT | O_TRUNC)

/** A file "f" (or `name`) with `text`, opened read-write at offset 0. */
static int make_file(const char *name, const char *text) {
  int fd = (int)OK(SYS(SYS_open, name, O_FLAGS_RW, 0644));
  size_t len = strlen(text);
  CHECKF(SYS(SYS_write, fd, text, len) == (long)len, "write to %s", name);
  OK(SYS(SYS_lseek, fd, 0, SEEK_SET));
  return fd;
}

void test_write(void) {
  int p[2];
  OK(SYS(SYS_pipe, p));
  CHECK(SYS(SYS_write, p[1], "abc", 3) == 3);
  CHECK(SYS(SYS_write, p[1], "", 0) == 0);
  char buf[8] = {0};
  CHECK(SYS(SYS_read, p[0], buf, sizeof buf) == 3);
  CHECK(memcmp(buf, "abc", 3) == 0);
  ERR(SYS(SYS_write, p[0], "x", 1), EBADF);  // the read end
  ERR(SYS(SYS_write, -1, "x", 1), EBADF);
  ERR(SYS(SYS_write, p[1], KERNEL_ADDRESS, 1), EFAULT);
  ERR(SYS(SYS_write, p[1], BAD_ADDRESS, 4), EFAULT);
  int fd = make_file("f", "data");
  OK(SYS(SYS_close, fd));
  fd = (int)OK(SYS(SYS_open, "f", O_RDONLY));
  ERR(SYS(SYS_write, fd, "x", 1), EBADF);  // opened read-only
  OK(SYS(SYS_close, fd));
  // A write at the end extends the file; one in the middle overwrites.
  fd = (int)OK(SYS(SYS_open, "f", O_RDWR));
  OK(SYS(SYS_lseek, fd, 2, SEEK_SET));
  CHECK(SYS(SYS_write, fd, "TA++", 4) == 4);
  OK(SYS(SYS_lseek, fd, 0, SEEK_SET));
  CHECK(SYS(SYS_read, fd, buf, sizeof buf) == 6);
  CHECK(memcmp(buf, "daTA++", 6) == 0);
}

void test_read(void) {
  int fd = make_file("f", "hello world");
  char buf[32];
  CHECK(SYS(SYS_read, fd, buf, 5) == 5);
  CHECK(memcmp(buf, "hello", 5) == 0);
  CHECK(SYS(SYS_read, fd, buf, sizeof buf) == 6);
  CHECK(memcmp(buf, " world", 6) == 0);
  CHECK(SYS(SYS_read, fd, buf, sizeof buf) == 0);  // end of file
  CHECK(SYS(SYS_read, fd, buf, 0) == 0);
  OK(SYS(SYS_lseek, fd, 0, SEEK_SET));
  ERR(SYS(SYS_read, fd, BAD_ADDRESS, 5), EFAULT);
  ERR(SYS(SYS_read, fd, KERNEL_ADDRESS, 5), EFAULT);
  OK(SYS(SYS_close, fd));
  fd = (int)OK(SYS(SYS_open, "f", O_WRONLY));
  ERR(SYS(SYS_read, fd, buf, 1), EBADF);  // opened write-only
  OK(SYS(SYS_close, fd));
  fd = (int)OK(SYS(SYS_open, ".", O_RDONLY | O_DIRECTORY));
  ERR(SYS(SYS_read, fd, buf, 1), EISDIR);
  OK(SYS(SYS_close, fd));
  ERR(SYS(SYS_read, 999, buf, 1), EBADF);
}

void test_readv_writev(void) {
  int fd = make_file("f", "");
  struct iovec w[3] = {{"ab", 2}, {"", 0}, {"cdef", 4}};
  CHECK(SYS(SYS_writev, fd, w, 3) == 6);
  OK(SYS(SYS_lseek, fd, 0, SEEK_SET));
  char a[3], b[10];
  struct iovec r[2] = {{a, sizeof a}, {b, sizeof b}};
  CHECK(SYS(SYS_readv, fd, r, 2) == 6);
  CHECK(memcmp(a, "abc", 3) == 0 && memcmp(b, "def", 3) == 0);
  ERR(SYS(SYS_writev, fd, w, -1), EINVAL);
  ERR(SYS(SYS_writev, fd, w, 1025), EINVAL);  // more than UIO_MAXIOV
  ERR(SYS(SYS_readv, fd, BAD_ADDRESS, 1), EFAULT);
  OK(SYS(SYS_lseek, fd, 0, SEEK_SET));
  struct iovec bad = {BAD_ADDRESS, 4};
  ERR(SYS(SYS_readv, fd, &bad, 1), EFAULT);
  ERR(SYS(SYS_writev, 999, w, 3), EBADF);
  CHECK(SYS(SYS_writev, fd, w, 0) == 0);
}

void test_pread_pwrite(void) {
  int fd = make_file("f", "0123456789");
  OK(SYS(SYS_lseek, fd, 10, SEEK_SET));
  CHECK(SYS(SYS_pwrite64, fd, "XY", 2, 3) == 2);
  CHECK(SYS(SYS_lseek, fd, 0, SEEK_CUR) == 10);  // the offset did not move
  char buf[8];
  CHECK(SYS(SYS_pread64, fd, buf, 4, 2) == 4);
  CHECK(memcmp(buf, "2XY5", 4) == 0);
  CHECK(SYS(SYS_lseek, fd, 0, SEEK_CUR) == 10);
  CHECK(SYS(SYS_pread64, fd, buf, 4, 100) == 0);  // past the end
  ERR(SYS(SYS_pread64, fd, buf, 4, -1), EINVAL);
  ERR(SYS(SYS_pwrite64, fd, buf, 4, -1), EINVAL);
  int p[2];
  OK(SYS(SYS_pipe, p));
  ERR(SYS(SYS_pread64, p[0], buf, 1, 0), ESPIPE);
  ERR(SYS(SYS_pwrite64, p[1], buf, 1, 0), ESPIPE);
}

void test_open_close(void) {
  ERR(SYS(SYS_open, "missing", O_RDONLY), ENOENT);
  ERR(SYS(SYS_open, "", O_RDONLY), ENOENT);
  int fd = (int)OK(SYS(SYS_open, "f", O_WRONLY | O_CREAT | O_EXCL, 0644));
  ERR(SYS(SYS_open, "f", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
  ERR(SYS(SYS_open, ".", O_WRONLY), EISDIR);
  ERR(SYS(SYS_open, ".", O_RDWR), EISDIR);
  ERR(SYS(SYS_open, "f", O_RDONLY | O_DIRECTORY), ENOTDIR);
  ERR(SYS(SYS_open, "f/x", O_RDONLY), ENOTDIR);
  ERR(SYS(SYS_open, "missing/x", O_WRONLY | O_CREAT, 0644), ENOENT);
  char long_name[NAME_MAX + 2];
  memset(long_name, 'n', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = '\0';
  ERR(SYS(SYS_open, long_name, O_RDONLY), ENAMETOOLONG);
  // The lowest free descriptor is used.
  int a = (int)OK(SYS(SYS_open, "f", O_RDONLY));
  int b = (int)OK(SYS(SYS_open, "f", O_RDONLY));
  CHECK(b > a);
  OK(SYS(SYS_close, a));
  CHECK(SYS(SYS_open, "f", O_RDONLY) == a);
  int c = (int)OK(SYS(SYS_open, "f", O_RDONLY | O_CLOEXEC));
  CHECK(SYS(SYS_fcntl, c, F_GETFD) == FD_CLOEXEC);
  CHECK(SYS(SYS_fcntl, b, F_GETFD) == 0);
  OK(SYS(SYS_close, fd));
  ERR(SYS(SYS_close, fd), EBADF);
  ERR(SYS(SYS_close, -1), EBADF);
}

void test_openat(void) {
  OK(SYS(SYS_mkdir, "sub", 0755));
  int dir = (int)OK(SYS(SYS_open, "sub", O_RDONLY | O_DIRECTORY));
  int fd = (int)OK(SYS(SYS_openat, dir, "g", O_RDWR | O_CREAT, 0644));
  OK(SYS(SYS_close, fd));
  struct stat st;
  OK(SYS(SYS_stat, "sub/g", &st));
  OK(SYS(SYS_close, (int)OK(SYS(SYS_openat, AT_FDCWD, "sub/g", O_RDONLY))));
  ERR(SYS(SYS_openat, -1, "g", O_RDONLY), EBADF);
  ERR(SYS(SYS_openat, 999, "g", O_RDONLY), EBADF);
  char abs_path[PATH_MAX];
  snprintf(abs_path, sizeof abs_path, "%s/sub/g", ut_dir);
  OK(SYS(SYS_close, (int)OK(SYS(SYS_openat, -1, abs_path, O_RDONLY))));  // dirfd unused
  int file = (int)OK(SYS(SYS_openat, dir, "g", O_RDONLY));
  ERR(SYS(SYS_openat, file, "x", O_RDONLY), ENOTDIR);
  ERR(SYS(SYS_openat, dir, "missing", O_RDONLY), ENOENT);
}

void test_lseek(void) {
  int fd = make_file("f", "0123456789");
  CHECK(SYS(SYS_lseek, fd, 0, SEEK_SET) == 0);
  CHECK(SYS(SYS_lseek, fd, 3, SEEK_CUR) == 3);
  CHECK(SYS(SYS_lseek, fd, 2, SEEK_CUR) == 5);
  CHECK(SYS(SYS_lseek, fd, -2, SEEK_END) == 8);
  char c;
  CHECK(SYS(SYS_read, fd, &c, 1) == 1 && c == '8');
  // A write past the end leaves a hole that reads as zeros.
  CHECK(SYS(SYS_lseek, fd, 100, SEEK_SET) == 100);
  CHECK(SYS(SYS_write, fd, "z", 1) == 1);
  struct stat st;
  OK(SYS(SYS_fstat, fd, &st));
  CHECK(st.st_size == 101);
  char hole[90];
  CHECK(SYS(SYS_pread64, fd, hole, sizeof hole, 10) == (long)sizeof hole);
  for (size_t i = 0; i < sizeof hole; i++) CHECKF(hole[i] == 0, "hole byte %zu is %d", i, hole[i]);
  ERR(SYS(SYS_lseek, fd, -1, SEEK_SET), EINVAL);
  ERR(SYS(SYS_lseek, fd, -200, SEEK_END), EINVAL);
  ERR(SYS(SYS_lseek, fd, 0, 99), EINVAL);
  ERR(SYS(SYS_lseek, 999, 0, SEEK_SET), EBADF);
  int p[2];
  OK(SYS(SYS_pipe, p));
  ERR(SYS(SYS_lseek, p[0], 0, SEEK_SET), ESPIPE);
}

void test_stat(void) {
  time_t before = time(NULL);
  int fd = (int)OK(SYS(SYS_open, "f", O_RDWR | O_CREAT, 0640));
  CHECK(SYS(SYS_write, fd, "12345", 5) == 5);
  struct stat st, fst, lst;
  OK(SYS(SYS_stat, "f", &st));
  CHECK(S_ISREG(st.st_mode));
  CHECKF((st.st_mode & 07777) == 0640, "mode %o", st.st_mode & 07777);
  CHECK(st.st_size == 5);
  CHECK(st.st_nlink == 1);
  CHECK(st.st_ino != 0);
  CHECK(st.st_blksize > 0);
  CHECKF(st.st_mtime >= before - 2 && st.st_mtime <= time(NULL) + 2, "mtime %lld, now %lld", (long long)st.st_mtime,
         (long long)time(NULL));
  OK(SYS(SYS_fstat, fd, &fst));
  CHECK(fst.st_ino == st.st_ino && fst.st_dev == st.st_dev && fst.st_size == 5);
  OK(SYS(SYS_stat, ".", &st));
  CHECK(S_ISDIR(st.st_mode));
  OK(SYS(SYS_symlink, "f", "l"));
  OK(SYS(SYS_lstat, "l", &lst));
  CHECK(S_ISLNK(lst.st_mode));
  CHECK(lst.st_size == 1);  // the length of the target "f"
  OK(SYS(SYS_stat, "l", &st));
  CHECK(S_ISREG(st.st_mode) && st.st_ino == fst.st_ino);
  OK(SYS(SYS_lstat, "f", &st));
  CHECK(S_ISREG(st.st_mode));
  // newfstatat: relative to AT_FDCWD or a directory, without following, on the fd itself.
  OK(SYS(SYS_newfstatat, AT_FDCWD, "l", &st, AT_SYMLINK_NOFOLLOW));
  CHECK(S_ISLNK(st.st_mode));
  OK(SYS(SYS_newfstatat, AT_FDCWD, "l", &st, 0));
  CHECK(S_ISREG(st.st_mode));
  int dir = (int)OK(SYS(SYS_open, ".", O_RDONLY | O_DIRECTORY));
  OK(SYS(SYS_newfstatat, dir, "f", &st, 0));
  CHECK(st.st_ino == fst.st_ino);
  OK(SYS(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH));
  CHECK(st.st_ino == fst.st_ino);
  ERR(SYS(SYS_newfstatat, fd, "", &st, 0), ENOENT);
  ERR(SYS(SYS_newfstatat, AT_FDCWD, "f", &st, 0x12345), EINVAL);
  ERR(SYS(SYS_newfstatat, fd, "x", &st, 0), ENOTDIR);
  ERR(SYS(SYS_stat, "missing", &st), ENOENT);
  ERR(SYS(SYS_stat, "f/x", &st), ENOTDIR);
  ERR(SYS(SYS_fstat, 999, &st), EBADF);
}

void test_access(void) {
  int fd = make_file("f", "x");
  OK(SYS(SYS_close, fd));
  CHECK(SYS(SYS_access, "f", F_OK) == 0);
  CHECK(SYS(SYS_access, "f", R_OK | W_OK) == 0);
  // No execute bit anywhere: refused even to root.
  ERR(SYS(SYS_access, "f", X_OK), EACCES);
  CHECK(SYS(SYS_access, ".", X_OK) == 0);
  ERR(SYS(SYS_access, "missing", F_OK), ENOENT);
  ERR(SYS(SYS_access, "f/x", F_OK), ENOTDIR);
  ERR(SYS(SYS_access, "f", 0x100), EINVAL);
  int dir = (int)OK(SYS(SYS_open, ".", O_RDONLY | O_DIRECTORY));
  CHECK(SYS(SYS_faccessat, dir, "f", R_OK) == 0);
  ERR(SYS(SYS_faccessat, dir, "missing", R_OK), ENOENT);
  ERR(SYS(SYS_faccessat, dir, "f", 0x100), EINVAL);
  ERR(SYS(SYS_faccessat, 999, "f", R_OK), EBADF);
}

struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

#define NFILES 40

/** Read a whole directory with getdents64 through a small buffer; counts of each file seen. */
static void read_dir(int fd, int seen[NFILES], int *dots, int *calls) {
  char buf[256] __attribute__((aligned(8)));
  for (;;) {
    long n = OK(SYS(SYS_getdents64, fd, buf, sizeof buf));
    if (n == 0) return;
    (*calls)++;
    for (long off = 0; off < n;) {
      struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
      CHECKF(d->d_reclen % 8 == 0 && d->d_reclen > 0 && off + d->d_reclen <= n, "bad d_reclen %u", d->d_reclen);
      CHECK(d->d_ino != 0);
      if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0) {
        CHECK(d->d_type == DT_DIR);
        (*dots)++;
      } else {
        int k;
        CHECKF(sscanf(d->d_name, "file-%d", &k) == 1 && k >= 0 && k < NFILES, "unexpected name %s", d->d_name);
        CHECKF(d->d_type == DT_REG, "%s: d_type %d", d->d_name, d->d_type);
        seen[k]++;
      }
      off += d->d_reclen;
    }
  }
}

void test_getdents(void) {
  OK(SYS(SYS_mkdir, "d", 0755));
  for (int i = 0; i < NFILES; i++) {
    char name[32];
    snprintf(name, sizeof name, "d/file-%d", i);
    OK(SYS(SYS_close, (int)OK(SYS(SYS_open, name, O_WRONLY | O_CREAT, 0644))));
  }
  int fd = (int)OK(SYS(SYS_open, "d", O_RDONLY | O_DIRECTORY));
  int seen[NFILES] = {0}, dots = 0, calls = 0;
  read_dir(fd, seen, &dots, &calls);
  for (int i = 0; i < NFILES; i++) CHECKF(seen[i] == 1, "file-%d seen %d times", i, seen[i]);
  CHECKF(dots == 2, ". and .. seen %d times", dots);
  CHECKF(calls > 1, "a 256-byte buffer held %d entries in one call", NFILES + 2);
  CHECK(SYS(SYS_getdents64, fd, (char[64]){0}, 64) == 0);  // still at the end
  // Rewinding starts over.
  OK(SYS(SYS_lseek, fd, 0, SEEK_SET));
  memset(seen, 0, sizeof seen);
  dots = calls = 0;
  read_dir(fd, seen, &dots, &calls);
  for (int i = 0; i < NFILES; i++) CHECKF(seen[i] == 1, "after rewind, file-%d seen %d times", i, seen[i]);
  OK(SYS(SYS_lseek, fd, 0, SEEK_SET));
  char tiny[8];
  ERR(SYS(SYS_getdents64, fd, tiny, 1), EINVAL);  // too small for one entry
  ERR(SYS(SYS_getdents64, fd, BAD_ADDRESS, 256), EFAULT);
  int file = (int)OK(SYS(SYS_open, "d/file-0", O_RDONLY));
  char buf[256];
  ERR(SYS(SYS_getdents64, file, buf, sizeof buf), ENOTDIR);
  ERR(SYS(SYS_getdents64, 999, buf, sizeof buf), EBADF);
}

void test_cwd(void) {
  char buf[PATH_MAX], want[PATH_MAX];
  long n = OK(SYS(SYS_getcwd, buf, sizeof buf));
  CHECKF(strcmp(buf, ut_dir) == 0, "getcwd %s, expected %s", buf, ut_dir);
  CHECK(n == (long)strlen(buf) + 1);  // the raw call counts the NUL
  OK(SYS(SYS_mkdir, "a", 0755));
  OK(SYS(SYS_chdir, "a"));
  snprintf(want, sizeof want, "%s/a", ut_dir);
  OK(SYS(SYS_getcwd, buf, sizeof buf));
  CHECKF(strcmp(buf, want) == 0, "getcwd %s, expected %s", buf, want);
  OK(SYS(SYS_chdir, ".."));
  OK(SYS(SYS_getcwd, buf, sizeof buf));
  CHECK(strcmp(buf, ut_dir) == 0);
  int a = (int)OK(SYS(SYS_open, "a", O_RDONLY | O_DIRECTORY));
  OK(SYS(SYS_fchdir, a));
  OK(SYS(SYS_getcwd, buf, sizeof buf));
  CHECKF(strcmp(buf, want) == 0, "after fchdir: %s", buf);
  OK(SYS(SYS_chdir, "/"));
  OK(SYS(SYS_getcwd, buf, sizeof buf));
  CHECK(strcmp(buf, "/") == 0);
  OK(SYS(SYS_chdir, ut_dir));
  int f = make_file("f", "x");
  ERR(SYS(SYS_chdir, "f"), ENOTDIR);
  ERR(SYS(SYS_chdir, "missing"), ENOENT);
  ERR(SYS(SYS_fchdir, f), ENOTDIR);
  ERR(SYS(SYS_fchdir, 999), EBADF);
  ERR(SYS(SYS_getcwd, buf, 1), ERANGE);
  ERR(SYS(SYS_getcwd, BAD_ADDRESS, sizeof buf), EFAULT);
}

void test_mkdir_rmdir(void) {
  struct stat st;
  OK(SYS(SYS_mkdir, "d", 0755));
  ERR(SYS(SYS_mkdir, "d", 0755), EEXIST);
  OK(SYS(SYS_stat, "d", &st));
  CHECK(S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0755);
  OK(SYS(SYS_mkdir, "m", 0751));
  OK(SYS(SYS_stat, "m", &st));
  CHECKF((st.st_mode & 07777) == 0751, "mode %o", st.st_mode & 07777);
  int d = (int)OK(SYS(SYS_open, "d", O_RDONLY | O_DIRECTORY));
  OK(SYS(SYS_mkdirat, d, "e", 0700));
  OK(SYS(SYS_stat, "d/e", &st));
  CHECK(S_ISDIR(st.st_mode));
  ERR(SYS(SYS_mkdirat, d, "e", 0700), EEXIST);
  OK(SYS(SYS_mkdirat, AT_FDCWD, "d2", 0700));
  ERR(SYS(SYS_rmdir, "d"), ENOTEMPTY);
  OK(SYS(SYS_rmdir, "d/e"));
  OK(SYS(SYS_rmdir, "d"));
  ERR(SYS(SYS_rmdir, "d"), ENOENT);
  ERR(SYS(SYS_stat, "d", &st), ENOENT);
  OK(SYS(SYS_close, make_file("f", "x")));
  ERR(SYS(SYS_rmdir, "f"), ENOTDIR);
  ERR(SYS(SYS_mkdir, "f", 0755), EEXIST);
  ERR(SYS(SYS_mkdir, "f/x", 0755), ENOTDIR);
  ERR(SYS(SYS_mkdir, "missing/x", 0755), ENOENT);
  ERR(SYS(SYS_rmdir, "."), EINVAL);
  ERR(SYS(SYS_mkdirat, 999, "x", 0755), EBADF);
}

void test_unlink(void) {
  struct stat st;
  OK(SYS(SYS_close, make_file("f", "x")));
  OK(SYS(SYS_unlink, "f"));
  ERR(SYS(SYS_stat, "f", &st), ENOENT);
  ERR(SYS(SYS_unlink, "f"), ENOENT);
  OK(SYS(SYS_mkdir, "d", 0755));
  ERR(SYS(SYS_unlink, "d"), EISDIR);
  OK(SYS(SYS_close, make_file("d/g", "x")));
  int d = (int)OK(SYS(SYS_open, "d", O_RDONLY | O_DIRECTORY));
  OK(SYS(SYS_unlinkat, d, "g", 0));
  ERR(SYS(SYS_stat, "d/g", &st), ENOENT);
  OK(SYS(SYS_close, make_file("h", "x")));
  ERR(SYS(SYS_unlinkat, AT_FDCWD, "h", AT_REMOVEDIR), ENOTDIR);
  ERR(SYS(SYS_unlinkat, AT_FDCWD, "h", 0x1), EINVAL);
  OK(SYS(SYS_unlinkat, AT_FDCWD, "h", 0));
  OK(SYS(SYS_unlinkat, AT_FDCWD, "d", AT_REMOVEDIR));
  ERR(SYS(SYS_stat, "d", &st), ENOENT);
  ERR(SYS(SYS_unlink, "missing/x"), ENOENT);
}

void test_rename(void) {
  struct stat st;
  char buf[16] = {0};
  OK(SYS(SYS_close, make_file("a", "AAA")));
  OK(SYS(SYS_rename, "a", "b"));
  ERR(SYS(SYS_stat, "a", &st), ENOENT);
  int fd = (int)OK(SYS(SYS_open, "b", O_RDONLY));
  CHECK(SYS(SYS_read, fd, buf, sizeof buf) == 3 && memcmp(buf, "AAA", 3) == 0);
  OK(SYS(SYS_close, fd));
  // Over an existing file: replaced.
  OK(SYS(SYS_close, make_file("c", "C")));
  OK(SYS(SYS_rename, "b", "c"));
  OK(SYS(SYS_stat, "c", &st));
  CHECK(st.st_size == 3);
  OK(SYS(SYS_rename, "c", "c"));  // onto itself: nothing happens
  OK(SYS(SYS_mkdir, "d1", 0755));
  OK(SYS(SYS_mkdir, "d2", 0755));
  OK(SYS(SYS_rename, "d1", "d2"));  // over an empty directory
  ERR(SYS(SYS_stat, "d1", &st), ENOENT);
  OK(SYS(SYS_mkdir, "d3", 0755));
  OK(SYS(SYS_close, make_file("d2/inside", "x")));
  ERR(SYS(SYS_rename, "d3", "d2"), ENOTEMPTY);
  ERR(SYS(SYS_rename, "c", "d3"), EISDIR);
  ERR(SYS(SYS_rename, "d3", "c"), ENOTDIR);
  ERR(SYS(SYS_rename, "missing", "x"), ENOENT);
  ERR(SYS(SYS_rename, "d2", "d2/sub"), EINVAL);  // into itself
  OK(SYS(SYS_rename, "d2/inside", "moved"));  // across directories
  OK(SYS(SYS_stat, "moved", &st));
}

void test_readlink(void) {
  char buf[64];
  memset(buf, '#', sizeof buf);
  OK(SYS(SYS_symlink, "target-name", "l"));
  CHECK(SYS(SYS_readlink, "l", buf, sizeof buf) == 11);
  CHECK(memcmp(buf, "target-name", 11) == 0);
  CHECK(buf[11] == '#');  // no NUL is added
  CHECK(SYS(SYS_readlink, "l", buf, 4) == 4);  // truncated
  ERR(SYS(SYS_readlink, "l", buf, 0), EINVAL);
  ERR(SYS(SYS_symlink, "other", "l"), EEXIST);
  OK(SYS(SYS_close, make_file("f", "x")));
  ERR(SYS(SYS_readlink, "f", buf, sizeof buf), EINVAL);  // not a link
  ERR(SYS(SYS_readlink, "missing", buf, sizeof buf), ENOENT);
  // A dangling link: lstat sees it, stat does not.
  struct stat st;
  OK(SYS(SYS_lstat, "l", &st));
  ERR(SYS(SYS_stat, "l", &st), ENOENT);
  ERR(SYS(SYS_readlink, "l", BAD_ADDRESS, sizeof buf), EFAULT);
}

void test_pipe(void) {
  int p[2];
  OK(SYS(SYS_pipe, p));
  CHECK(p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
  CHECK((SYS(SYS_fcntl, p[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
  CHECK((SYS(SYS_fcntl, p[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
  CHECK(SYS(SYS_write, p[1], "hello", 5) == 5);
  char buf[8];
  CHECK(SYS(SYS_read, p[0], buf, 3) == 3);  // partial reads keep the rest
  CHECK(SYS(SYS_read, p[0], buf + 3, 5) == 2);
  CHECK(memcmp(buf, "hello", 5) == 0);
  OK(SYS(SYS_close, p[1]));
  CHECK(SYS(SYS_read, p[0], buf, 1) == 0);  // no writer: end of file
  int q[2];
  OK(SYS(SYS_pipe2, q, O_CLOEXEC | O_NONBLOCK));
  CHECK(SYS(SYS_fcntl, q[0], F_GETFD) == FD_CLOEXEC);
  CHECK(SYS(SYS_fcntl, q[1], F_GETFL) & O_NONBLOCK);
  ERR(SYS(SYS_read, q[0], buf, 1), EAGAIN);
  // Fill it: at least one page fits, then EAGAIN.
  static char chunk[1024];
  long total = 0, r;
  while ((r = SYS(SYS_write, q[1], chunk, sizeof chunk)) > 0) total += r;
  ERR(r, EAGAIN);
  CHECKF(total >= 4096, "pipe capacity %ld", total);
  ERR(SYS(SYS_pipe2, q, 0x1), EINVAL);
  ERR(SYS(SYS_pipe, BAD_ADDRESS), EFAULT);
}

// fifo(7): a writer's open waits for a reader (and the other way round),
// both ends share one pipe, O_NONBLOCK opens a reader at once and refuses a
// writer with ENXIO, O_RDWR never waits, and the data goes with the last
// close.
static void fifo_writer(void *unused) {
  (void)unused;
  int w = (int)OK(SYS(SYS_openat, AT_FDCWD, "fifo", O_WRONLY));  // waits for the parent
  CHECK(SYS(SYS_write, w, "through a fifo", 14) == 14);
  OK(SYS(SYS_close, w));
}

void test_fifo(void) {
  OK(SYS(SYS_mknodat, AT_FDCWD, "fifo", S_IFIFO | 0600, 0));
  struct stat st;
  OK(SYS(SYS_newfstatat, AT_FDCWD, "fifo", &st, 0));
  CHECKF(S_ISFIFO(st.st_mode) && (st.st_mode & 07777) == 0600, "mode %o", st.st_mode);
  ERR(SYS(SYS_openat, AT_FDCWD, "fifo", O_WRONLY | O_NONBLOCK), ENXIO);
  // A reader that does not wait sees end of file while no writer exists.
  int r = (int)OK(SYS(SYS_openat, AT_FDCWD, "fifo", O_RDONLY | O_NONBLOCK));
  char buf[32];
  CHECK(SYS(SYS_read, r, buf, sizeof buf) == 0);
  ERR(SYS(SYS_lseek, r, 0, SEEK_SET), ESPIPE);
  // Now a non-blocking writer may open.
  int w = (int)OK(SYS(SYS_openat, AT_FDCWD, "fifo", O_WRONLY | O_NONBLOCK));
  CHECK(SYS(SYS_write, w, "abc", 3) == 3);
  CHECK(SYS(SYS_read, r, buf, sizeof buf) == 3 && memcmp(buf, "abc", 3) == 0);
  ERR(SYS(SYS_read, r, buf, sizeof buf), EAGAIN);  // a writer is open: no EOF
  OK(SYS(SYS_close, w));
  CHECK(SYS(SYS_read, r, buf, sizeof buf) == 0);
  OK(SYS(SYS_close, r));
  // A blocking reader and a writer in another process meet.
  pid_t pid = ut_fork();
  if (pid == 0) {
    fifo_writer(NULL);
    _exit(0);
  }
  r = (int)OK(SYS(SYS_openat, AT_FDCWD, "fifo", O_RDONLY));
  size_t got = 0;
  long n;
  while ((n = SYS(SYS_read, r, buf + got, sizeof buf - got)) > 0) got += (size_t)n;
  CHECKF(n == 0 && got == 14 && memcmp(buf, "through a fifo", 14) == 0, "read %ld, got %zu bytes", n, got);
  OK(SYS(SYS_close, r));
  ut_expect_exit(pid, 0);
  // O_RDWR opens at once; what is left unread when the last end closes is
  // gone.
  int rw = (int)OK(SYS(SYS_openat, AT_FDCWD, "fifo", O_RDWR));
  CHECK(SYS(SYS_write, rw, "lost", 4) == 4);
  OK(SYS(SYS_close, rw));
  rw = (int)OK(SYS(SYS_openat, AT_FDCWD, "fifo", O_RDWR | O_NONBLOCK));
  ERR(SYS(SYS_read, rw, buf, sizeof buf), EAGAIN);
  OK(SYS(SYS_close, rw));
  OK(SYS(SYS_unlinkat, AT_FDCWD, "fifo", 0));
}

void test_dup(void) {
  int fd = make_file("f", "0123456789");
  int d = (int)OK(SYS(SYS_dup, fd));
  CHECK(d != fd);
  // Duplicates share the file offset.
  char c;
  CHECK(SYS(SYS_read, fd, &c, 1) == 1);
  CHECK(SYS(SYS_lseek, d, 0, SEEK_CUR) == 1);
  CHECK(SYS(SYS_dup2, fd, fd) == fd);
  CHECK(SYS(SYS_dup2, fd, 100) == 100);
  CHECK(SYS(SYS_fcntl, 100, F_GETFD) == 0);
  CHECK(SYS(SYS_lseek, 100, 0, SEEK_CUR) == 1);
  // dup2 onto an open descriptor closes the old file first.
  int other = make_file("g", "x");
  CHECK(SYS(SYS_dup2, other, 100) == 100);
  struct stat a, b;
  OK(SYS(SYS_fstat, 100, &a));
  OK(SYS(SYS_fstat, other, &b));
  CHECK(a.st_ino == b.st_ino);
  ERR(SYS(SYS_dup2, -1, 5), EBADF);
  ERR(SYS(SYS_dup2, fd, -1), EBADF);
  ERR(SYS(SYS_dup3, fd, fd, 0), EINVAL);
  CHECK(SYS(SYS_dup3, fd, 101, O_CLOEXEC) == 101);
  CHECK(SYS(SYS_fcntl, 101, F_GETFD) == FD_CLOEXEC);
  ERR(SYS(SYS_dup3, fd, 102, 0x1), EINVAL);
  ERR(SYS(SYS_dup, 999), EBADF);
  // The lowest free number.
  OK(SYS(SYS_close, d));
  CHECK(SYS(SYS_dup, fd) == d);
}

void test_fcntl(void) {
  int fd = (int)OK(SYS(SYS_open, "f", O_RDWR | O_CREAT | O_APPEND, 0644));
  long d = OK(SYS(SYS_fcntl, fd, F_DUPFD, 50));
  CHECK(d >= 50 && SYS(SYS_fcntl, d, F_GETFD) == 0);
  long e = OK(SYS(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 50));
  CHECK(e > d && SYS(SYS_fcntl, e, F_GETFD) == FD_CLOEXEC);
  CHECK(SYS(SYS_fcntl, fd, F_GETFD) == 0);
  OK(SYS(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC));
  CHECK(SYS(SYS_fcntl, fd, F_GETFD) == FD_CLOEXEC);
  OK(SYS(SYS_fcntl, fd, F_SETFD, 0));
  CHECK(SYS(SYS_fcntl, fd, F_GETFD) == 0);
  long fl = OK(SYS(SYS_fcntl, fd, F_GETFL));
  CHECK((fl & O_ACCMODE) == O_RDWR && (fl & O_APPEND));
  // F_SETFL replaces the status flags (O_APPEND goes) but not the access mode.
  OK(SYS(SYS_fcntl, fd, F_SETFL, O_NONBLOCK | O_RDONLY));
  fl = OK(SYS(SYS_fcntl, fd, F_GETFL));
  CHECKF((fl & O_ACCMODE) == O_RDWR && (fl & O_NONBLOCK) && !(fl & O_APPEND), "flags 0%lo", fl);
  // The status flags belong to the open file, shared by duplicates.
  CHECK(SYS(SYS_fcntl, d, F_GETFL) & O_NONBLOCK);
  ERR(SYS(SYS_fcntl, 999, F_GETFL), EBADF);
  ERR(SYS(SYS_fcntl, fd, 9999), EINVAL);
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  ERR(SYS(SYS_fcntl, fd, F_DUPFD, (long)rl.rlim_cur), EINVAL);
}

/** The terminal to test on: /dev/tty, else standard input if it is one; -1 when there is none. */
static int open_terminal(void) {
  long fd = SYS(SYS_open, "/dev/tty", O_RDWR | O_NOCTTY);
  if (fd >= 0) return (int)fd;
  return isatty(0) ? 0 : -1;
}

void test_ioctl(void) {
  int p[2];
  OK(SYS(SYS_pipe, p));
  struct termios t;
  struct winsize ws;
  ERR(SYS(SYS_ioctl, p[0], TCGETS, &t), ENOTTY);
  int f = make_file("f", "x");
  ERR(SYS(SYS_ioctl, f, TCGETS, &t), ENOTTY);
  ERR(SYS(SYS_ioctl, f, TIOCGWINSZ, &ws), ENOTTY);
  ERR(SYS(SYS_ioctl, 999, TCGETS, &t), EBADF);
  // FIONBIO works on any file: it is O_NONBLOCK.
  int on = 1, off = 0;
  OK(SYS(SYS_ioctl, p[0], FIONBIO, &on));
  CHECK(SYS(SYS_fcntl, p[0], F_GETFL) & O_NONBLOCK);
  OK(SYS(SYS_ioctl, p[0], FIONBIO, &off));
  CHECK(!(SYS(SYS_fcntl, p[0], F_GETFL) & O_NONBLOCK));

  int tty = open_terminal();
  if (tty < 0) {
    ut_info("no terminal (/dev/tty or stdin): TCGETS, TCSETS, TIOCGWINSZ, TIOCGPGRP not exercised");
    return;
  }
  OK(SYS(SYS_ioctl, tty, TCGETS, &t));
  OK(SYS(SYS_ioctl, tty, TCSETS, &t));
  struct termios again;
  OK(SYS(SYS_ioctl, tty, TCGETS, &again));
  CHECK(again.c_lflag == t.c_lflag && again.c_iflag == t.c_iflag && again.c_oflag == t.c_oflag);
  OK(SYS(SYS_ioctl, tty, TIOCGWINSZ, &ws));
  ERR(SYS(SYS_ioctl, tty, TCGETS, BAD_ADDRESS), EFAULT);
  // The foreground group of our controlling terminal; setting it to itself
  // is allowed (SIGTTOU ignored in case this group is in the background).
  pid_t sid = getsid(0);
  if (tcgetsid(tty) == sid) {
    signal(SIGTTOU, SIG_IGN);
    pid_t pgrp;
    OK(SYS(SYS_ioctl, tty, TIOCGPGRP, &pgrp));
    CHECK(pgrp > 0);
    OK(SYS(SYS_ioctl, tty, TIOCSPGRP, &pgrp));
    pid_t none = 0x3fffffff;
    ERR(SYS(SYS_ioctl, tty, TIOCSPGRP, &none), ESRCH);
  } else {
    ut_info("the terminal is not our controlling terminal: TIOCGPGRP/TIOCSPGRP not exercised");
  }
}

void test_tmpfs(void) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "/tmp/usertests-tmpfs-%d", (int)getpid());
  int fd = (int)OK(SYS(SYS_open, path, O_RDWR | O_CREAT | O_EXCL, 0600));
  static char data[3000], back[3000];
  for (size_t i = 0; i < sizeof data; i++) data[i] = (char)(i * 7 + 3);
  CHECK(SYS(SYS_write, fd, data, sizeof data) == (long)sizeof data);
  OK(SYS(SYS_close, fd));
  fd = (int)OK(SYS(SYS_open, path, O_RDONLY));
  CHECK(SYS(SYS_read, fd, back, sizeof back) == (long)sizeof back);
  CHECK(memcmp(data, back, sizeof data) == 0);
  OK(SYS(SYS_close, fd));
  // O_TRUNC empties it.
  fd = (int)OK(SYS(SYS_open, path, O_RDWR | O_TRUNC));
  struct stat st;
  OK(SYS(SYS_fstat, fd, &st));
  CHECK(st.st_size == 0);
  CHECK(SYS(SYS_write, fd, "abc", 3) == 3);
  OK(SYS(SYS_close, fd));
  // O_APPEND writes at the end whatever the offset.
  fd = (int)OK(SYS(SYS_open, path, O_RDWR | O_APPEND));
  OK(SYS(SYS_lseek, fd, 0, SEEK_SET));
  CHECK(SYS(SYS_write, fd, "def", 3) == 3);
  CHECK(SYS(SYS_lseek, fd, 0, SEEK_CUR) == 6);
  char six[7] = {0};
  CHECK(SYS(SYS_pread64, fd, six, 6, 0) == 6 && strcmp(six, "abcdef") == 0);
  // Writes across a page boundary (not through the O_APPEND descriptor: there
  // Linux's pwrite appends too).
  int rw = (int)OK(SYS(SYS_open, path, O_RDWR));
  CHECK(SYS(SYS_pwrite64, rw, "0123456789", 10, 4090) == 10);
  char ten[10];
  CHECK(SYS(SYS_pread64, fd, ten, 10, 4090) == 10 && memcmp(ten, "0123456789", 10) == 0);
  CHECK(SYS(SYS_pread64, fd, ten, 10, 100) == 10 && memcmp(ten, "\0\0\0\0\0\0\0\0\0\0", 10) == 0);
  OK(SYS(SYS_close, rw));
  // Unlinked while open: gone from the directory, still readable.
  OK(SYS(SYS_unlink, path));
  ERR(SYS(SYS_stat, path, &st), ENOENT);
  OK(SYS(SYS_fstat, fd, &st));
  CHECK(st.st_nlink == 0 && st.st_size == 4100);
  CHECK(SYS(SYS_pread64, fd, six, 6, 0) == 6 && strcmp(six, "abcdef") == 0);
  OK(SYS(SYS_close, fd));
  // A 1 MiB file in odd-sized pieces, read back.
  fd = (int)OK(SYS(SYS_open, path, O_RDWR | O_CREAT | O_EXCL, 0600));
  const size_t total = 1u << 20;
  size_t done = 0;
  uint32_t x = 12345;
  static char chunk[4099];
  while (done < total) {
    size_t n = total - done < sizeof chunk ? total - done : sizeof chunk;
    for (size_t i = 0; i < n; i++) chunk[i] = (char)((done + i) * 2654435761u >> 24);
    CHECK(SYS(SYS_write, fd, chunk, n) == (long)n);
    done += n;
  }
  OK(SYS(SYS_fstat, fd, &st));
  CHECK(st.st_size == (off_t)total);
  OK(SYS(SYS_lseek, fd, 0, SEEK_SET));
  for (done = 0; done < total;) {
    long n = OK(SYS(SYS_read, fd, chunk, sizeof chunk - (x++ % 1000)));
    CHECK(n > 0);
    for (long i = 0; i < n; i++)
      CHECKF(chunk[i] == (char)((done + (size_t)i) * 2654435761u >> 24), "byte %zu differs", done + (size_t)i);
    done += (size_t)n;
  }
  CHECK(SYS(SYS_read, fd, chunk, 1) == 0);
  OK(SYS(SYS_unlink, path));
}

void test_umask(void) {
  mode_t old = (mode_t)SYS(SYS_umask, 027);
  CHECK(old == 022);  // the runner's
  CHECK(SYS(SYS_umask, 027) == 027);
  struct stat st;
  OK(SYS(SYS_close, (int)OK(SYS(SYS_open, "f", O_WRONLY | O_CREAT, 0666))));
  OK(SYS(SYS_stat, "f", &st));
  CHECKF((st.st_mode & 0777) == 0640, "file mode %o", st.st_mode & 0777);
  OK(SYS(SYS_mkdir, "d", 0777));
  OK(SYS(SYS_stat, "d", &st));
  CHECKF((st.st_mode & 0777) == 0750, "directory mode %o", st.st_mode & 0777);
  CHECK(SYS(SYS_umask, 0) == 027);
}

void test_efault(void) {
  int fd = make_file("f", "some data");
  struct stat st;
  ERR(SYS(SYS_read, fd, BAD_ADDRESS, 4), EFAULT);
  int p[2];
  OK(SYS(SYS_pipe, p));
  ERR(SYS(SYS_write, p[1], KERNEL_ADDRESS, 4), EFAULT);
  ERR(SYS(SYS_stat, NULL, &st), EFAULT);
  ERR(SYS(SYS_stat, "f", NULL), EFAULT);
  ERR(SYS(SYS_stat, KERNEL_ADDRESS, &st), EFAULT);
  ERR(SYS(SYS_fstat, fd, BAD_ADDRESS), EFAULT);
  ERR(SYS(SYS_open, NULL, O_RDONLY), EFAULT);
  ERR(SYS(SYS_open, KERNEL_ADDRESS, O_RDONLY), EFAULT);
  ERR(SYS(SYS_getcwd, BAD_ADDRESS, 100), EFAULT);
  ERR(SYS(SYS_uname, BAD_ADDRESS), EFAULT);
  ERR(SYS(SYS_clock_gettime, CLOCK_MONOTONIC, BAD_ADDRESS), EFAULT);
  ERR(SYS(SYS_pipe, KERNEL_ADDRESS), EFAULT);
  ERR(SYS(SYS_execve, NULL, NULL, NULL), EFAULT);
  ERR(SYS(SYS_mkdir, BAD_ADDRESS, 0755), EFAULT);
  // The process is still alive and its data intact.
  char buf[16] = {0};
  CHECK(SYS(SYS_read, fd, buf, 4) == 4 && memcmp(buf, "some", 4) == 0);
}

void test_ebadf(void) {
  int closed = make_file("f", "x");
  OK(SYS(SYS_close, closed));
  const int bad[] = {-1, 999, closed};
  char buf[64];
  struct stat st;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int fd = bad[i];
    ERR(SYS(SYS_read, fd, buf, 1), EBADF);
    ERR(SYS(SYS_write, fd, buf, 1), EBADF);
    ERR(SYS(SYS_close, fd), EBADF);
    ERR(SYS(SYS_fstat, fd, &st), EBADF);
    ERR(SYS(SYS_lseek, fd, 0, SEEK_SET), EBADF);
    ERR(SYS(SYS_dup, fd), EBADF);
    ERR(SYS(SYS_fcntl, fd, F_GETFD), EBADF);
    ERR(SYS(SYS_getdents64, fd, buf, sizeof buf), EBADF);
    ERR(SYS(SYS_ioctl, fd, FIONBIO, &(int){1}), EBADF);
    ERR(SYS(SYS_fchdir, fd), EBADF);
    ERR(SYS(SYS_pread64, fd, buf, 1, 0), EBADF);
    ERR(SYS(SYS_mmap, NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0), EBADF);
  }
}

void test_einval(void) {
  int fd = make_file("f", "x");
  ERR(SYS(SYS_lseek, fd, 0, 99), EINVAL);
  ERR(SYS(SYS_mmap, NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);  // neither shared nor private
  ERR(SYS(SYS_mmap, NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
  ERR(SYS(SYS_munmap, 4097, 4096), EINVAL);
  ERR(SYS(SYS_mprotect, 4097, 4096, PROT_READ), EINVAL);
  int p[2];
  ERR(SYS(SYS_pipe2, p, 0x1), EINVAL);
  ERR(SYS(SYS_dup3, fd, 50, 0x1), EINVAL);
  ERR(SYS(SYS_wait4, -1, NULL, 0x1000, NULL), EINVAL);
  ERR(SYS(SYS_clock_gettime, 99, &(struct timespec){0}), EINVAL);
  ERR(SYS(SYS_getrandom, (char[8]){0}, 8, 0x100), EINVAL);
  ERR(SYS(SYS_unlinkat, AT_FDCWD, "f", 0x1), EINVAL);
  ERR(SYS(SYS_faccessat, AT_FDCWD, "f", 0x100), EINVAL);
  ERR(SYS(SYS_kill, getpid(), 99), EINVAL);
  ERR(SYS(SYS_fcntl, fd, 9999), EINVAL);
  ERR(SYS(SYS_arch_prctl, 0x9999, 0), EINVAL);
  uint64_t mask = 0;
  ERR(SYS(SYS_rt_sigprocmask, 99, &mask, NULL, 8), EINVAL);  // "how" matters only with a set
  ERR(SYS(SYS_rt_sigaction, SIGKILL, &(struct sigaction){0}, NULL, 8), EINVAL);
  ERR(SYS(SYS_rt_sigaction, 0, NULL, NULL, 8), EINVAL);
  ERR(SYS(SYS_rt_sigaction, 65, NULL, NULL, 8), EINVAL);
  ERR(SYS(SYS_setpgid, 0, -1), EINVAL);
  ERR(SYS(SYS_open, "f", O_RDONLY | O_CREAT | O_DIRECTORY, 0644), EINVAL);
}

void test_emfile(void) {
  struct rlimit rl = {32, 32};
  LOK(setrlimit(RLIMIT_NOFILE, &rl));
  OK(SYS(SYS_close, make_file("f", "x")));
  long fd, last = -1;
  int opened = 0;
  while ((fd = SYS(SYS_open, "f", O_RDONLY)) >= 0) {
    last = fd;
    CHECKF(++opened <= 32, "more than 32 files open with RLIMIT_NOFILE 32");
  }
  ERR(fd, EMFILE);
  CHECKF(last == 31, "the last descriptor was %ld, expected 31", last);
  ERR(SYS(SYS_dup, last), EMFILE);
  int p[2];
  ERR(SYS(SYS_pipe, p), EMFILE);
  ERR(SYS(SYS_fcntl, last, F_DUPFD, 0), EMFILE);
  ERR(SYS(SYS_dup2, last, 40), EBADF);  // beyond the limit
  OK(SYS(SYS_close, 20));
  CHECK(SYS(SYS_open, "f", O_RDONLY) == 20);
  ERR(SYS(SYS_open, "f", O_RDONLY), EMFILE);
}
