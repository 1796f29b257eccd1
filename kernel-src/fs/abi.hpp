#pragma once
// The Linux x86-64 user ABI of the file system calls: constants and struct
// layouts exactly as user programs (musl, glibc) see them. Sources: Linux
// include/uapi/asm-generic/fcntl.h, uapi/linux/stat.h, uapi/linux/fcntl.h,
// arch/x86/include/uapi/asm/stat.h, uapi/asm-generic/statfs.h,
// uapi/linux/fs.h, uapi/linux/mount.h.
#include <lib/types.hpp>

namespace fs {

// File types and permission bits (st_mode).
constexpr u32 S_IFMT = 0170000;
constexpr u32 S_IFSOCK = 0140000;
constexpr u32 S_IFLNK = 0120000;
constexpr u32 S_IFREG = 0100000;
constexpr u32 S_IFBLK = 0060000;
constexpr u32 S_IFDIR = 0040000;
constexpr u32 S_IFCHR = 0020000;
constexpr u32 S_IFIFO = 0010000;
constexpr u32 S_ISUID = 04000;
constexpr u32 S_ISGID = 02000;
constexpr u32 S_ISVTX = 01000;
constexpr u32 S_IXUGO = 0111;
constexpr u32 MODE_PERMS = 07777;

constexpr bool s_isdir(u32 m) { return (m & S_IFMT) == S_IFDIR; }
constexpr bool s_isreg(u32 m) { return (m & S_IFMT) == S_IFREG; }
constexpr bool s_islnk(u32 m) { return (m & S_IFMT) == S_IFLNK; }
constexpr bool s_ischr(u32 m) { return (m & S_IFMT) == S_IFCHR; }
constexpr bool s_isblk(u32 m) { return (m & S_IFMT) == S_IFBLK; }
constexpr bool s_isfifo(u32 m) { return (m & S_IFMT) == S_IFIFO; }
constexpr bool s_issock(u32 m) { return (m & S_IFMT) == S_IFSOCK; }

// d_type values in directory entries (DT_*): the file type bits >> 12.
constexpr u8 DT_UNKNOWN = 0;
constexpr u8 DT_FIFO = 1;
constexpr u8 DT_CHR = 2;
constexpr u8 DT_DIR = 4;
constexpr u8 DT_BLK = 6;
constexpr u8 DT_REG = 8;
constexpr u8 DT_LNK = 10;
constexpr u8 DT_SOCK = 12;
constexpr u8 dt_from_mode(u32 mode) { return static_cast<u8>((mode & S_IFMT) >> 12); }

// open(2) flags (octal, as in asm-generic/fcntl.h).
constexpr u32 O_ACCMODE = 03;
constexpr u32 O_RDONLY = 00;
constexpr u32 O_WRONLY = 01;
constexpr u32 O_RDWR = 02;
constexpr u32 O_CREAT = 0100;
constexpr u32 O_EXCL = 0200;
constexpr u32 O_NOCTTY = 0400;
constexpr u32 O_TRUNC = 01000;
constexpr u32 O_APPEND = 02000;
constexpr u32 O_NONBLOCK = 04000;
constexpr u32 O_DSYNC = 010000;
constexpr u32 O_ASYNC = 020000;
constexpr u32 O_DIRECT = 040000;
constexpr u32 O_LARGEFILE = 0100000;
constexpr u32 O_DIRECTORY = 0200000;
constexpr u32 O_NOFOLLOW = 0400000;
constexpr u32 O_NOATIME = 01000000;
constexpr u32 O_CLOEXEC = 02000000;
constexpr u32 O_SYNC = 04010000;
constexpr u32 O_PATH = 010000000;
constexpr u32 O_TMPFILE = 020200000; // includes O_DIRECTORY
// Flags an open file description keeps (F_GETFL); O_CREAT, O_EXCL, O_NOCTTY,
// O_TRUNC and O_CLOEXEC act at open time only.
constexpr u32 O_STATUS_KEPT = O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | O_ASYNC | O_DIRECT | O_LARGEFILE |
                              O_NOATIME | O_SYNC | O_PATH | O_DIRECTORY | O_NOFOLLOW;
// Flags F_SETFL may change (fs/fcntl.c SETFL_MASK).
constexpr u32 O_SETFL_MASK = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;

// *at() conventions.
constexpr i32 AT_FDCWD = -100;
constexpr i32 AT_SYMLINK_NOFOLLOW = 0x100;
constexpr i32 AT_EACCESS = 0x200;
constexpr i32 AT_REMOVEDIR = 0x200;
constexpr i32 AT_SYMLINK_FOLLOW = 0x400;
constexpr i32 AT_NO_AUTOMOUNT = 0x800;
constexpr i32 AT_EMPTY_PATH = 0x1000;
constexpr i32 AT_STATX_SYNC_TYPE = 0x6000;

// access(2) modes.
constexpr i32 F_OK = 0;
constexpr i32 X_OK = 1;
constexpr i32 W_OK = 2;
constexpr i32 R_OK = 4;

// lseek(2).
constexpr i32 SEEK_SET = 0;
constexpr i32 SEEK_CUR = 1;
constexpr i32 SEEK_END = 2;
constexpr i32 SEEK_DATA = 3;
constexpr i32 SEEK_HOLE = 4;

// fcntl(2).
constexpr i32 F_DUPFD = 0;
constexpr i32 F_GETFD = 1;
constexpr i32 F_SETFD = 2;
constexpr i32 F_GETFL = 3;
constexpr i32 F_SETFL = 4;
constexpr i32 F_GETLK = 5;
constexpr i32 F_SETLK = 6;
constexpr i32 F_SETLKW = 7;
constexpr i32 F_SETOWN = 8;
constexpr i32 F_GETOWN = 9;
constexpr i32 F_OFD_GETLK = 36;
constexpr i32 F_OFD_SETLK = 37;
constexpr i32 F_OFD_SETLKW = 38;
constexpr i32 F_DUPFD_CLOEXEC = 1030;
constexpr i32 FD_CLOEXEC = 1;
constexpr i16 F_RDLCK = 0;
constexpr i16 F_WRLCK = 1;
constexpr i16 F_UNLCK = 2;

// renameat2(2), unlinkat, close_range, umount2, mount.
constexpr u32 RENAME_NOREPLACE = 1;
constexpr u32 RENAME_EXCHANGE = 2;
constexpr u32 RENAME_WHITEOUT = 4;
constexpr u32 CLOSE_RANGE_UNSHARE = 2;
constexpr u32 CLOSE_RANGE_CLOEXEC = 4;
constexpr i32 MNT_FORCE = 1;
constexpr i32 MNT_DETACH = 2;
constexpr i32 MNT_EXPIRE = 4;
constexpr i32 UMOUNT_NOFOLLOW = 8;
constexpr u64 MS_RDONLY = 1;
constexpr u64 MS_NOSUID = 2;
constexpr u64 MS_NODEV = 4;
constexpr u64 MS_NOEXEC = 8;
constexpr u64 MS_SYNCHRONOUS = 16;
constexpr u64 MS_REMOUNT = 32;
constexpr u64 MS_MANDLOCK = 64;
constexpr u64 MS_DIRSYNC = 128;
constexpr u64 MS_NOSYMFOLLOW = 256;
constexpr u64 MS_NOATIME = 1024;
constexpr u64 MS_NODIRATIME = 2048;
constexpr u64 MS_BIND = 4096;
constexpr u64 MS_MOVE = 8192;
constexpr u64 MS_REC = 16384;
constexpr u64 MS_SILENT = 32768;
constexpr u64 MS_RELATIME = 1 << 21;
constexpr u64 MS_STRICTATIME = 1 << 24;
constexpr u64 MS_LAZYTIME = 1 << 25;
constexpr u64 MS_MGC_MSK = 0xffff0000;
constexpr u64 MS_MGC_VAL = 0xC0ED0000;

// utimensat(2).
constexpr i64 UTIME_NOW = (1l << 30) - 1;
constexpr i64 UTIME_OMIT = (1l << 30) - 2;

// Generic ioctls handled for every file (fs/ioctl.c).
constexpr u32 FIONCLEX = 0x5450;
constexpr u32 FIOCLEX = 0x5451;
constexpr u32 FIOASYNC = 0x5452;
constexpr u32 FIONBIO = 0x5421;
constexpr u32 FIONREAD = 0x541B;
constexpr u32 FIOQSIZE = 0x5460;
constexpr u32 TCGETS = 0x5401;

// Limits.
constexpr size_t PATH_MAX = 4096; // bytes, the NUL included
constexpr size_t NAME_MAX = 255;
constexpr u32 MAX_SYMLINKS = 40;  // ELOOP beyond (include/linux/namei.h)
constexpr u32 IOV_MAX = 1024;
// Largest byte count one read or write moves (INT_MAX rounded down to a page).
constexpr u64 MAX_RW_COUNT = 0x7ffff000;

// Device numbers as the kernel stores them internally (major:20 bits in
// Linux; minor:20) and as the user ABI encodes them in st_dev / st_rdev
// (new_encode_dev: minor low byte, major, then the rest of the minor).
struct DeviceNumber {
    u32 major;
    u32 minor;
    bool operator==(const DeviceNumber&) const = default;
};
constexpr u64 encode_dev(DeviceNumber d)
{
    return (d.minor & 0xff) | (static_cast<u64>(d.major & 0xfff) << 8) |
           (static_cast<u64>(d.minor & ~0xffu) << 12);
}
constexpr DeviceNumber decode_dev(u64 v)
{
    return { static_cast<u32>((v & 0xfff00) >> 8), static_cast<u32>((v & 0xff) | ((v >> 12) & 0xfff00)) };
}

struct Timespec {
    i64 sec;
    i64 nsec;
    bool operator==(const Timespec&) const = default;
};

// struct stat for x86-64 (arch/x86/include/uapi/asm/stat.h).
struct LinuxStat {
    u64 st_dev;
    u64 st_ino;
    u64 st_nlink;
    u32 st_mode;
    u32 st_uid;
    u32 st_gid;
    u32 pad0;
    u64 st_rdev;
    i64 st_size;
    i64 st_blksize;
    i64 st_blocks;
    u64 st_atime;
    u64 st_atime_nsec;
    u64 st_mtime;
    u64 st_mtime_nsec;
    u64 st_ctime;
    u64 st_ctime_nsec;
    i64 reserved[3];
};
static_assert(sizeof(LinuxStat) == 144);
static_assert(__builtin_offsetof(LinuxStat, st_mode) == 24);
static_assert(__builtin_offsetof(LinuxStat, st_rdev) == 40);
static_assert(__builtin_offsetof(LinuxStat, st_size) == 48);
static_assert(__builtin_offsetof(LinuxStat, st_blocks) == 64);
static_assert(__builtin_offsetof(LinuxStat, st_atime) == 72);
static_assert(__builtin_offsetof(LinuxStat, st_ctime_nsec) == 112);

// struct statx (include/uapi/linux/stat.h).
struct StatxTimestamp {
    i64 tv_sec;
    u32 tv_nsec;
    i32 reserved;
};
struct LinuxStatx {
    u32 stx_mask;
    u32 stx_blksize;
    u64 stx_attributes;
    u32 stx_nlink;
    u32 stx_uid;
    u32 stx_gid;
    u16 stx_mode;
    u16 spare0;
    u64 stx_ino;
    u64 stx_size;
    u64 stx_blocks;
    u64 stx_attributes_mask;
    StatxTimestamp stx_atime;
    StatxTimestamp stx_btime;
    StatxTimestamp stx_ctime;
    StatxTimestamp stx_mtime;
    u32 stx_rdev_major;
    u32 stx_rdev_minor;
    u32 stx_dev_major;
    u32 stx_dev_minor;
    u64 stx_mnt_id;
    u32 stx_dio_mem_align;
    u32 stx_dio_offset_align;
    u64 spare3[12];
};
static_assert(sizeof(LinuxStatx) == 256);
static_assert(__builtin_offsetof(LinuxStatx, stx_mode) == 28);
static_assert(__builtin_offsetof(LinuxStatx, stx_ino) == 32);
static_assert(__builtin_offsetof(LinuxStatx, stx_atime) == 64);
static_assert(__builtin_offsetof(LinuxStatx, stx_mtime) == 112);
static_assert(__builtin_offsetof(LinuxStatx, stx_rdev_major) == 128);
static_assert(__builtin_offsetof(LinuxStatx, stx_mnt_id) == 144);
constexpr u32 STATX_TYPE = 0x1;
constexpr u32 STATX_MODE = 0x2;
constexpr u32 STATX_NLINK = 0x4;
constexpr u32 STATX_UID = 0x8;
constexpr u32 STATX_GID = 0x10;
constexpr u32 STATX_ATIME = 0x20;
constexpr u32 STATX_MTIME = 0x40;
constexpr u32 STATX_CTIME = 0x80;
constexpr u32 STATX_INO = 0x100;
constexpr u32 STATX_SIZE = 0x200;
constexpr u32 STATX_BLOCKS = 0x400;
constexpr u32 STATX_BASIC_STATS = 0x7ff;
constexpr u32 STATX_BTIME = 0x800;
constexpr u32 STATX_MNT_ID = 0x1000;
constexpr u32 STATX__RESERVED = 0x80000000;

// struct statfs for x86-64 (asm-generic/statfs.h with 64-bit longs).
struct LinuxStatfs {
    i64 f_type;
    i64 f_bsize;
    u64 f_blocks;
    u64 f_bfree;
    u64 f_bavail;
    u64 f_files;
    u64 f_ffree;
    i32 f_fsid[2];
    i64 f_namelen;
    i64 f_frsize;
    i64 f_flags;
    i64 f_spare[4];
};
static_assert(sizeof(LinuxStatfs) == 120);
static_assert(__builtin_offsetof(LinuxStatfs, f_fsid) == 56);
static_assert(__builtin_offsetof(LinuxStatfs, f_namelen) == 64);
// f_flags (ST_* in include/linux/statfs.h).
constexpr i64 ST_RDONLY = 0x0001;
constexpr i64 ST_NOSUID = 0x0002;
constexpr i64 ST_NODEV = 0x0004;
constexpr i64 ST_NOEXEC = 0x0008;
constexpr i64 ST_NOATIME = 0x0400;
constexpr i64 ST_RELATIME = 0x1000;
constexpr i64 ST_VALID = 0x0020;
// f_type magics (include/uapi/linux/magic.h).
constexpr i64 TMPFS_MAGIC = 0x01021994;
constexpr i64 RAMFS_MAGIC = 0x858458f6;
constexpr i64 PROC_SUPER_MAGIC = 0x9fa0;

// getdents64: struct linux_dirent64 (fs/readdir.c).
struct [[gnu::packed]] LinuxDirent64Header {
    u64 d_ino;
    i64 d_off;
    u16 d_reclen;
    u8 d_type;
    // char d_name[]: NUL-terminated, the record padded to 8 bytes
};
static_assert(sizeof(LinuxDirent64Header) == 19);
// getdents: struct linux_dirent; d_type is the last byte of the record.
struct [[gnu::packed]] LinuxDirentHeader {
    u64 d_ino;
    u64 d_off;
    u16 d_reclen;
    // char d_name[]; char pad; char d_type;
};
static_assert(sizeof(LinuxDirentHeader) == 18);

struct LinuxIovec {
    u64 base;
    u64 len;
};
static_assert(sizeof(LinuxIovec) == 16);

struct LinuxFlock {
    i16 l_type;
    i16 l_whence;
    i64 l_start;
    i64 l_len;
    i32 l_pid;
};
static_assert(sizeof(LinuxFlock) == 32);

struct LinuxTimespec {
    i64 tv_sec;
    i64 tv_nsec;
};

} // namespace fs
