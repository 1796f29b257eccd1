#pragma once
// Linux errno values (include/uapi/asm-generic/errno-base.h and errno.h): the
// kernel's error vocabulary, and the ABI user programs see.
enum Errno : int {
    EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
    ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13,
    EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20,
    EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOTTY = 25, EFBIG = 27,
    ENOSPC = 28, ESPIPE = 29, EROFS = 30, EMLINK = 31, EPIPE = 32, EDOM = 33,
    ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39,
    ELOOP = 40, EOVERFLOW = 75, ENOTSUP = 95, EOPNOTSUPP = 95, ETIMEDOUT = 110,
    ENOTBLK = 15, ETXTBSY = 26,
};

// "ENOENT"
const char* errno_name(int e);
// "No such file or directory", as Linux's strerror.
const char* errno_description(int e);
