// fs_syscalls: the sys_* handlers called as a user program would call
// them, with paths and buffers in user pages mapped for the test: positive
// paths, struct layouts as user programs read them, and the errno for bad
// pointers (EFAULT), bad descriptors (EBADF) and bad flags (EINVAL).
#include <mm/pmm.hpp>
#include <mm/vmm.hpp>
#include <syscalls.hpp>
#include <tests/fs_test_util.hpp>

namespace {
using namespace fstest;

// User pages at a low address in the kernel's address space, with a bump
// allocator for strings and buffers; unmapped by the destructor.
class UserArena {
public:
    static constexpr UserAddr BASE = 0x30000000;
    static constexpr u32 PAGES = 8;

    UserArena()
    {
        for (u32 i = 0; i < PAGES; i++) {
            auto p = pmm::alloc_zeroed_page();
            if (p.is_error())
                return;
            m_phys[i] = p.value();
            if (vmm::map_page(vmm::kernel_space(), BASE + i * PAGE_SIZE, m_phys[i], vmm::Write | vmm::User)
                    .is_error())
                return;
            m_mapped = i + 1;
        }
        m_ok = true;
    }
    ~UserArena()
    {
        for (u32 i = 0; i < m_mapped; i++)
            (void)vmm::unmap_page(vmm::kernel_space(), BASE + i * PAGE_SIZE);
        for (u32 i = 0; i < PAGES; i++) {
            if (m_phys[i])
                pmm::free_page(m_phys[i]);
        }
    }
    bool ok() const { return m_ok; }

    // Room for `size` bytes (8-aligned) in user memory.
    UserAddr alloc(size_t size)
    {
        UserAddr at = BASE + m_used;
        m_used = align_up(m_used + size, 8);
        return at;
    }
    UserAddr str(const char* s)
    {
        size_t n = strlen(s) + 1;
        UserAddr at = alloc(n);
        (void)copy_to_user(at, s, n);
        return at;
    }
    // The kernel's view of user memory (through the direct map).
    template <typename T> T* view(UserAddr addr)
    {
        u64 off = addr - BASE;
        return reinterpret_cast<T*>(phys_to_ptr<u8>(m_phys[off / PAGE_SIZE]) + off % PAGE_SIZE);
    }
    // The end of the mapped range: the next page is unmapped.
    static constexpr UserAddr end() { return BASE + PAGES * PAGE_SIZE; }

private:
    PhysAddr m_phys[PAGES] = {};
    u32 m_mapped = 0;
    u64 m_used = 0;
    bool m_ok = false;
};

#define KEXPECT_SYS(t, expr, value) KEXPECT_EQ(t, KTRY(t, expr), static_cast<i64>(value))

void open_write_read_close(KTest& t)
{
    UserArena u;
    KASSERT_TRUE(t, u.ok());
    ScratchDir d("sysrw");
    KASSERT_TRUE(t, d.ok());
    UserAddr path = u.str(d("file"));
    i32 fd = static_cast<i32>(KTRY(t, sys_open(path, O_CREAT | O_RDWR | O_EXCL, 0644)));
    KEXPECT_GE(t, fd, 0);
    UserAddr text = u.str("hello, file");
    KEXPECT_SYS(t, sys_write(fd, text, 11), 11);
    KEXPECT_SYS(t, sys_lseek(fd, 0, SEEK_CUR), 11);
    KEXPECT_SYS(t, sys_lseek(fd, -4, SEEK_END), 7);
    UserAddr buf = u.alloc(64);
    KEXPECT_SYS(t, sys_read(fd, buf, 64), 4);
    KEXPECT(t, memcmp(u.view<char>(buf), "file", 4) == 0);
    KEXPECT_SYS(t, sys_read(fd, buf, 64), 0);
    KEXPECT_SYS(t, sys_pread64(fd, buf, 5, 0), 5);
    KEXPECT(t, memcmp(u.view<char>(buf), "hello", 5) == 0);
    KEXPECT_SYS(t, sys_pwrite64(fd, u.str("J"), 1, 0), 1);
    KEXPECT_SYS(t, sys_lseek(fd, 0, SEEK_CUR), 11); // pread/pwrite leave the offset
    KEXPECT_SYS(t, sys_lseek(fd, 100, SEEK_SET), 100);
    KEXPECT_SYS(t, sys_write(fd, text, 1), 1); // a hole from 11 to 100
    KEXPECT_SYS(t, sys_close(fd), 0);
    TextBuffer back;
    KTRY(t, read_file(d("file"), back));
    KEXPECT_EQ(t, back.size(), 101u);
    KEXPECT(t, memcmp(back.c_str(), "Jello, file", 11) == 0);
    KEXPECT_EQ(t, back.c_str()[50], 0);
    // creat truncates; O_APPEND appends.
    fd = static_cast<i32>(KTRY(t, sys_creat(path, 0600)));
    KEXPECT_SYS(t, sys_write(fd, text, 5), 5);
    KTRY(t, sys_close(fd));
    fd = static_cast<i32>(KTRY(t, sys_openat(AT_FDCWD, path, O_WRONLY | O_APPEND, 0)));
    KEXPECT_SYS(t, sys_lseek(fd, 0, SEEK_SET), 0);
    KEXPECT_SYS(t, sys_write(fd, text, 5), 5);
    KTRY(t, sys_close(fd));
    KTRY(t, read_file(d("file"), back));
    KEXPECT_STREQ(t, back.c_str(), "hellohello");
    KEXPECT_ERRNO(t, sys_open(path, O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
    KEXPECT_ERRNO(t, sys_open(u.str(""), O_RDONLY, 0), ENOENT);
}

void bad_pointers_are_efault(KTest& t)
{
    UserArena u;
    KASSERT_TRUE(t, u.ok());
    ScratchDir d("sysfault");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, write_file(d("f"), "data"));
    UserAddr unmapped = UserArena::end();
    UserAddr kernel = 0xFFFFFFFF80000000ull;
    KEXPECT_ERRNO(t, sys_open(unmapped, O_RDONLY, 0), EFAULT);
    KEXPECT_ERRNO(t, sys_open(kernel, O_RDONLY, 0), EFAULT);
    KEXPECT_ERRNO(t, sys_stat(u.str(d("f")), unmapped), EFAULT);
    KEXPECT_ERRNO(t, sys_stat(u.str(d("f")), kernel), EFAULT);
    KEXPECT_ERRNO(t, sys_mkdir(unmapped, 0755), EFAULT);
    i32 fd = static_cast<i32>(KTRY(t, sys_open(u.str(d("f")), O_RDWR, 0)));
    KEXPECT_ERRNO(t, sys_read(fd, unmapped, 4), EFAULT);
    KEXPECT_ERRNO(t, sys_read(fd, kernel, 4), EFAULT);
    KEXPECT_ERRNO(t, sys_write(fd, unmapped, 4), EFAULT);
    KEXPECT_ERRNO(t, sys_fstat(fd, unmapped), EFAULT);
    // A buffer that runs off the mapped pages: the bytes before the fault count.
    KEXPECT_SYS(t, sys_pread64(fd, UserArena::end() - 2, 4, 0), 2);
    KEXPECT(t, memcmp(u.view<char>(UserArena::end() - 2), "da", 2) == 0);
    KEXPECT_SYS(t, sys_pwrite64(fd, UserArena::end() - 3, 10, 0), 3);
    KEXPECT_ERRNO(t, sys_readv(fd, unmapped, 1), EFAULT);
    KEXPECT_ERRNO(t, sys_getdents64(fd, kernel, 100), EFAULT);
    KEXPECT_ERRNO(t, sys_getcwd(unmapped, 100), EFAULT);
    KEXPECT_ERRNO(t, sys_fcntl(fd, F_GETLK, unmapped), EFAULT);
    KEXPECT_ERRNO(t, sys_utimensat(AT_FDCWD, u.str(d("f")), unmapped, 0), EFAULT);
    KEXPECT_ERRNO(t, sys_readlink(unmapped, u.alloc(16), 16), EFAULT);
    KEXPECT_ERRNO(t, sys_statx(AT_FDCWD, u.str(d("f")), 0, STATX_BASIC_STATS, kernel), EFAULT);
    KTRY(t, sys_close(fd));
    // A path with no NUL within PATH_MAX: ENAMETOOLONG.
    UserAddr long_path = u.alloc(PATH_MAX + 8);
    for (UserAddr a = long_path; a < long_path + PATH_MAX + 8; a++)
        *u.view<char>(a) = 'a';
    KEXPECT_ERRNO(t, sys_open(long_path, O_RDONLY, 0), ENAMETOOLONG);
}

void bad_descriptors_are_ebadf(KTest& t)
{
    UserArena u;
    KASSERT_TRUE(t, u.ok());
    UserAddr buf = u.alloc(256);
    KEXPECT_ERRNO(t, sys_read(999, buf, 1), EBADF);
    KEXPECT_ERRNO(t, sys_write(-1, buf, 1), EBADF);
    KEXPECT_ERRNO(t, sys_close(-1), EBADF);
    KEXPECT_ERRNO(t, sys_close(12345), EBADF);
    KEXPECT_ERRNO(t, sys_fstat(1000, buf), EBADF);
    KEXPECT_ERRNO(t, sys_lseek(1000, 0, SEEK_SET), EBADF);
    KEXPECT_ERRNO(t, sys_dup(1000), EBADF);
    KEXPECT_ERRNO(t, sys_dup2(1000, 3), EBADF);
    KEXPECT_ERRNO(t, sys_fcntl(1000, F_GETFD, 0), EBADF);
    KEXPECT_ERRNO(t, sys_ioctl(1000, FIONREAD, buf), EBADF);
    KEXPECT_ERRNO(t, sys_getdents64(1000, buf, 256), EBADF);
    KEXPECT_ERRNO(t, sys_fchdir(1000), EBADF);
    KEXPECT_ERRNO(t, sys_fsync(1000), EBADF);
    KEXPECT_ERRNO(t, sys_ftruncate(1000, 0), EBADF);
    KEXPECT_ERRNO(t, sys_openat(1000, u.str("relative"), O_RDONLY, 0), EBADF);
    // An absolute path ignores even a bad dirfd.
    KTRY(t, sys_close(static_cast<i32>(KTRY(t, sys_openat(1000, u.str("/dev/null"), O_RDONLY, 0)))));
    // Writing a read-only descriptor, reading a write-only one.
    i32 ro = static_cast<i32>(KTRY(t, sys_open(u.str("/dev/zero"), O_RDONLY, 0)));
    i32 wo = static_cast<i32>(KTRY(t, sys_open(u.str("/dev/null"), O_WRONLY, 0)));
    KEXPECT_ERRNO(t, sys_write(ro, buf, 1), EBADF);
    KEXPECT_ERRNO(t, sys_read(wo, buf, 1), EBADF);
    // O_PATH descriptors name a file but cannot do I/O.
    i32 path_fd = static_cast<i32>(KTRY(t, sys_open(u.str("/proc"), O_PATH | O_DIRECTORY, 0)));
    KEXPECT_ERRNO(t, sys_getdents64(path_fd, buf, 256), EBADF);
    KEXPECT_ERRNO(t, sys_fchmod(path_fd, 0755), EBADF);
    KTRY(t, sys_fstat(path_fd, buf));
    KEXPECT_SYS(t, sys_fcntl(path_fd, F_GETFL, 0), O_PATH | O_DIRECTORY);
    // A regular file as dirfd for a relative path: ENOTDIR.
    KEXPECT_ERRNO(t, sys_openat(ro, u.str("x"), O_RDONLY, 0), ENOTDIR);
    KTRY(t, sys_close(ro));
    KTRY(t, sys_close(wo));
    KTRY(t, sys_close(path_fd));
}

void bad_flags_are_einval(KTest& t)
{
    UserArena u;
    KASSERT_TRUE(t, u.ok());
    ScratchDir d("sysflags");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, write_file(d("f"), "x"));
    UserAddr f = u.str(d("f"));
    UserAddr g = u.str(d("g"));
    UserAddr buf = u.alloc(512);
    KEXPECT_ERRNO(t, sys_unlinkat(AT_FDCWD, f, 0x1), EINVAL);
    KEXPECT_ERRNO(t, sys_renameat2(AT_FDCWD, f, AT_FDCWD, g, 8), EINVAL);
    KEXPECT_ERRNO(t, sys_renameat2(AT_FDCWD, f, AT_FDCWD, g, RENAME_NOREPLACE | RENAME_EXCHANGE), EINVAL);
    KEXPECT_ERRNO(t, sys_newfstatat(AT_FDCWD, f, buf, 0x1), EINVAL);
    KEXPECT_ERRNO(t, sys_statx(AT_FDCWD, f, 0x1, STATX_BASIC_STATS, buf), EINVAL);
    KEXPECT_ERRNO(t, sys_statx(AT_FDCWD, f, 0, STATX__RESERVED, buf), EINVAL);
    KEXPECT_ERRNO(t, sys_faccessat2(AT_FDCWD, f, 8, 0), EINVAL);
    KEXPECT_ERRNO(t, sys_faccessat2(AT_FDCWD, f, R_OK, 0x1), EINVAL);
    KEXPECT_ERRNO(t, sys_linkat(AT_FDCWD, f, AT_FDCWD, g, 0x1), EINVAL);
    KEXPECT_ERRNO(t, sys_fchownat(AT_FDCWD, f, 0, 0, 0x1), EINVAL);
    KEXPECT_ERRNO(t, sys_utimensat(AT_FDCWD, f, 0, 0x1), EINVAL);
    KEXPECT_ERRNO(t, sys_umount2(u.str(d("")), 0x40), EINVAL);
    i32 fd = static_cast<i32>(KTRY(t, sys_open(f, O_RDWR, 0)));
    KEXPECT_ERRNO(t, sys_lseek(fd, 0, 7), EINVAL);
    KEXPECT_ERRNO(t, sys_lseek(fd, -1, SEEK_SET), EINVAL);
    KEXPECT_ERRNO(t, sys_dup3(fd, fd + 1, O_NONBLOCK), EINVAL);
    KEXPECT_ERRNO(t, sys_dup3(fd, fd, 0), EINVAL);
    KEXPECT_ERRNO(t, sys_fcntl(fd, 9999, 0), EINVAL);
    KEXPECT_ERRNO(t, sys_pread64(fd, buf, 1, -1), EINVAL);
    KEXPECT_ERRNO(t, sys_pwrite64(fd, buf, 1, -1), EINVAL);
    KEXPECT_ERRNO(t, sys_readv(fd, buf, -1), EINVAL);
    KEXPECT_ERRNO(t, sys_readv(fd, buf, IOV_MAX + 1), EINVAL);
    KEXPECT_ERRNO(t, sys_close_range(5, 4, 0), EINVAL);
    KEXPECT_ERRNO(t, sys_close_range(100, 200, 1), EINVAL);
    KEXPECT_ERRNO(t, sys_readlink(f, buf, 0), EINVAL);
    KEXPECT_ERRNO(t, sys_readlink(f, buf, 16), EINVAL); // not a symlink
    KEXPECT_ERRNO(t, sys_ftruncate(fd, -1), EINVAL);
    // utimensat: a nanosecond field neither valid nor UTIME_NOW/OMIT.
    LinuxTimespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
    UserAddr times = u.alloc(sizeof(bad));
    KTRY(t, copy_to_user(times, bad, sizeof(bad)));
    KEXPECT_ERRNO(t, sys_utimensat(AT_FDCWD, f, times, 0), EINVAL);
    // Record locks: a bad type or whence.
    LinuxFlock lock { 7, SEEK_SET, 0, 0, 0 };
    UserAddr lk = u.alloc(sizeof(lock));
    KTRY(t, copy_to_user(lk, &lock, sizeof(lock)));
    KEXPECT_ERRNO(t, sys_fcntl(fd, F_SETLK, lk), EINVAL);
    KTRY(t, sys_close(fd));
    KEXPECT_ERRNO(t, sys_mount(u.str("none"), u.str(d("")), u.str("nosuchfs"), 0, 0), ENODEV);
}

void stat_struct_layout(KTest& t)
{
    UserArena u;
    KASSERT_TRUE(t, u.ok());
    ScratchDir d("sysstat");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, write_file(d("f"), "12345"));
    KTRY(t, vfs::symlink("f", kstart(), d("l")));
    UserAddr st = u.alloc(sizeof(LinuxStat));
    KTRY(t, sys_stat(u.str(d("l")), st));
    // Read back through raw offsets, as a C library would see them.
    u8* raw = u.view<u8>(st);
    auto at = [&](size_t off, size_t size) {
        u64 v = 0;
        memcpy(&v, raw + off, size);
        return v;
    };
    KEXPECT_EQ(t, at(24, 4), S_IFREG | 0644u);  // st_mode
    KEXPECT_EQ(t, at(16, 8), 1u);                // st_nlink
    KEXPECT_EQ(t, at(48, 8), 5u);                // st_size
    KEXPECT_EQ(t, at(56, 8), 4096u);             // st_blksize
    KEXPECT_EQ(t, at(64, 8), 8u);                // st_blocks
    KEXPECT(t, at(88, 8) > 1600000000);          // st_mtime: wall clock seconds
    Metadata m = KTRY(t, stat_path(d("f")));
    KEXPECT_EQ(t, at(8, 8), m.ino);              // st_ino
    KEXPECT_EQ(t, at(0, 8), m.dev);              // st_dev
    KTRY(t, sys_lstat(u.str(d("l")), st));
    KEXPECT_EQ(t, at(24, 4), S_IFLNK | 0777u);
    KEXPECT_EQ(t, at(48, 8), 1u);
    KTRY(t, sys_newfstatat(AT_FDCWD, u.str(d("l")), st, AT_SYMLINK_NOFOLLOW));
    KEXPECT_EQ(t, at(24, 4), S_IFLNK | 0777u);
    // AT_EMPTY_PATH: the descriptor itself.
    i32 fd = static_cast<i32>(KTRY(t, sys_open(u.str("/dev/null"), O_RDONLY, 0)));
    KTRY(t, sys_newfstatat(fd, u.str(""), st, AT_EMPTY_PATH));
    KEXPECT_EQ(t, at(24, 4), S_IFCHR | 0666u);
    KEXPECT_EQ(t, at(40, 8), 0x103u);            // st_rdev: 1:3
    KEXPECT_ERRNO(t, sys_newfstatat(fd, u.str(""), st, 0), ENOENT);
    // statx: the same facts in its own layout.
    UserAddr sx = u.alloc(sizeof(LinuxStatx));
    KTRY(t, sys_statx(fd, u.str(""), AT_EMPTY_PATH, STATX_BASIC_STATS, sx));
    LinuxStatx* x = u.view<LinuxStatx>(sx);
    KEXPECT_EQ(t, x->stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
    KEXPECT_EQ(t, x->stx_mode, S_IFCHR | 0666u);
    KEXPECT_EQ(t, x->stx_rdev_major, 1u);
    KEXPECT_EQ(t, x->stx_rdev_minor, 3u);
    KTRY(t, sys_statx(AT_FDCWD, u.str("/tmp"), 0, STATX_BASIC_STATS, sx));
    KEXPECT_EQ(t, x->stx_attributes & 0x2000, 0x2000u); // STATX_ATTR_MOUNT_ROOT
    KEXPECT_EQ(t, x->stx_mode, S_IFDIR | 01777u);
    KTRY(t, sys_close(fd));
    // statfs / fstatfs.
    UserAddr sf = u.alloc(sizeof(LinuxStatfs));
    KTRY(t, sys_statfs(u.str("/tmp"), sf));
    LinuxStatfs* s = u.view<LinuxStatfs>(sf);
    KEXPECT_EQ(t, s->f_type, TMPFS_MAGIC);
    KEXPECT_EQ(t, s->f_bsize, 4096);
    KEXPECT_EQ(t, s->f_namelen, 255);
    KEXPECT_EQ(t, s->f_flags & (ST_VALID | ST_NOSUID | ST_NODEV), ST_VALID | ST_NOSUID | ST_NODEV);
    KTRY(t, sys_statfs(u.str("/"), sf));
    KEXPECT_EQ(t, s->f_type, RAMFS_MAGIC);
    KEXPECT_EQ(t, s->f_flags & ST_RDONLY, ST_RDONLY);
    i32 proc = static_cast<i32>(KTRY(t, sys_open(u.str("/proc"), O_RDONLY | O_DIRECTORY, 0)));
    KTRY(t, sys_fstatfs(proc, sf));
    KEXPECT_EQ(t, s->f_type, PROC_SUPER_MAGIC);
    KTRY(t, sys_close(proc));
}

void getdents_formats(KTest& t)
{
    UserArena u;
    KASSERT_TRUE(t, u.ok());
    ScratchDir d("sysdents");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, write_file(d("file"), "x"));
    KTRY(t, vfs::mkdir(kstart(), d("sub"), 0755));
    KTRY(t, vfs::symlink("file", kstart(), d("link")));
    i32 fd = static_cast<i32>(KTRY(t, sys_open(u.str(d.path()), O_RDONLY | O_DIRECTORY, 0)));
    UserAddr buf = u.alloc(1024);
    i64 n = KTRY(t, sys_getdents64(fd, buf, 1024));
    // Walk the records: names, types, 8-byte aligned lengths.
    TextBuffer seen;
    for (i64 off = 0; off < n;) {
        auto* h = u.view<LinuxDirent64Header>(buf + off);
        KEXPECT_EQ(t, h->d_reclen % 8u, 0u);
        seen.appendf("%s:%u ", u.view<char>(buf + off + sizeof(LinuxDirent64Header)), h->d_type);
        off += h->d_reclen;
    }
    KEXPECT_STREQ(t, seen.c_str(), ".:4 ..:4 file:8 sub:4 link:10 ");
    KEXPECT_SYS(t, sys_getdents64(fd, buf, 1024), 0); // the end
    // The old getdents: d_type in the last byte of each record.
    KEXPECT_SYS(t, sys_lseek(fd, 0, SEEK_SET), 0);
    n = KTRY(t, sys_getdents(fd, buf, 1024));
    seen.clear();
    for (i64 off = 0; off < n;) {
        auto* h = u.view<LinuxDirentHeader>(buf + off);
        seen.appendf("%s:%u ", u.view<char>(buf + off + sizeof(LinuxDirentHeader)),
                     *u.view<u8>(buf + off + h->d_reclen - 1));
        off += h->d_reclen;
    }
    KEXPECT_STREQ(t, seen.c_str(), ".:4 ..:4 file:8 sub:4 link:10 ");
    // One record at a time; a buffer too small for one entry is EINVAL.
    KEXPECT_SYS(t, sys_lseek(fd, 0, SEEK_SET), 0);
    KEXPECT_ERRNO(t, sys_getdents64(fd, buf, 10), EINVAL);
    KEXPECT_SYS(t, sys_getdents64(fd, buf, 24), 24);
    KEXPECT_EQ(t, u.view<LinuxDirent64Header>(buf)->d_off, 1);
    KTRY(t, sys_close(fd));
    i32 file = static_cast<i32>(KTRY(t, sys_open(u.str(d("file")), O_RDONLY, 0)));
    KEXPECT_ERRNO(t, sys_getdents64(file, buf, 1024), ENOTDIR);
    KTRY(t, sys_close(file));
}

void cwd_and_relative_paths(KTest& t)
{
    UserArena u;
    KASSERT_TRUE(t, u.ok());
    ScratchDir d("syscwd");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, vfs::mkdir(kstart(), d("a"), 0755));
    UserAddr buf = u.alloc(256);
    KTRY(t, sys_chdir(u.str(d("a"))));
    i64 n = KTRY(t, sys_getcwd(buf, 256));
    KEXPECT_EQ(t, static_cast<u64>(n), strlen(d("a")) + 1);
    KEXPECT_STREQ(t, u.view<char>(buf), d("a"));
    KEXPECT_ERRNO(t, sys_getcwd(buf, 5), ERANGE);
    KTRY(t, sys_mkdir(u.str("b"), 0755));
    KTRY(t, sys_chdir(u.str("b")));
    KTRY(t, sys_chdir(u.str("..")));
    i32 dir = static_cast<i32>(KTRY(t, sys_open(u.str("b"), O_RDONLY | O_DIRECTORY, 0)));
    KTRY(t, sys_chdir(u.str("/")));
    KTRY(t, sys_fchdir(dir));
    KTRY(t, sys_getcwd(buf, 256));
    KEXPECT_STREQ(t, u.view<char>(buf), d("a/b"));
    // *at calls relative to a directory descriptor.
    i32 fd = static_cast<i32>(KTRY(t, sys_openat(dir, u.str("inner"), O_CREAT | O_WRONLY, 0644)));
    KTRY(t, sys_close(fd));
    KTRY(t, resolve(kstart(), d("a/b/inner"), 0));
    KTRY(t, sys_mkdirat(dir, u.str("deeper"), 0700));
    KTRY(t, sys_renameat(dir, u.str("inner"), dir, u.str("deeper/inner")));
    KTRY(t, sys_unlinkat(dir, u.str("deeper/inner"), 0));
    KTRY(t, sys_unlinkat(dir, u.str("deeper"), AT_REMOVEDIR));
    i32 null = static_cast<i32>(KTRY(t, sys_open(u.str("/dev/null"), O_RDONLY, 0)));
    KEXPECT_ERRNO(t, sys_fchdir(null), ENOTDIR);
    KTRY(t, sys_close(null));
    KTRY(t, sys_chdir(u.str("/")));
    KTRY(t, sys_close(dir));
    KEXPECT_ERRNO(t, sys_chdir(u.str("/proc/meminfo")), ENOTDIR);
    KEXPECT_ERRNO(t, sys_rmdir(u.str(d("a/nothing"))), ENOENT);
}

void vectors_and_sendfile(KTest& t)
{
    UserArena u;
    KASSERT_TRUE(t, u.ok());
    ScratchDir d("sysvec");
    KASSERT_TRUE(t, d.ok());
    i32 fd = static_cast<i32>(KTRY(t, sys_open(u.str(d("v")), O_CREAT | O_RDWR, 0644)));
    LinuxIovec iov[3] = { { u.str("one "), 4 }, { u.str("two "), 4 }, { u.str("three"), 5 } };
    UserAddr iovs = u.alloc(sizeof(iov));
    KTRY(t, copy_to_user(iovs, iov, sizeof(iov)));
    KEXPECT_SYS(t, sys_writev(fd, iovs, 3), 13);
    UserAddr a = u.alloc(8), b = u.alloc(16);
    LinuxIovec back[2] = { { a, 3 }, { b, 16 } };
    KTRY(t, copy_to_user(iovs, back, sizeof(back)));
    KEXPECT_SYS(t, sys_preadv(fd, iovs, 2, 0), 13);
    KEXPECT(t, memcmp(u.view<char>(a), "one", 3) == 0);
    KEXPECT(t, memcmp(u.view<char>(b), " two three", 10) == 0);
    KEXPECT_SYS(t, sys_pwritev(fd, iovs, 1, 13), 3);
    KEXPECT_SYS(t, sys_readv(fd, iovs, 0), 0);
    // sendfile from this file to another, with and without an offset.
    i32 out = static_cast<i32>(KTRY(t, sys_open(u.str(d("copy")), O_CREAT | O_WRONLY, 0644)));
    UserAddr off = u.alloc(8);
    KTRY(t, put_user<i64>(off, 4));
    KEXPECT_SYS(t, sys_sendfile(out, fd, off, 100), 12);
    KEXPECT_EQ(t, *u.view<i64>(off), 16);
    KEXPECT_SYS(t, sys_lseek(fd, 0, SEEK_SET), 0);
    KEXPECT_SYS(t, sys_sendfile(out, fd, 0, 3), 3);
    KEXPECT_SYS(t, sys_lseek(fd, 0, SEEK_CUR), 3);
    KTRY(t, sys_close(out));
    TextBuffer text;
    KTRY(t, read_file(d("copy"), text));
    KEXPECT_STREQ(t, text.c_str(), "two threeoneone");
    // sendfile refuses an O_APPEND destination, and reads need readable input.
    i32 append = static_cast<i32>(KTRY(t, sys_open(u.str(d("copy")), O_WRONLY | O_APPEND, 0)));
    KEXPECT_ERRNO(t, sys_sendfile(append, fd, 0, 1), EINVAL);
    KEXPECT_ERRNO(t, sys_sendfile(fd, append, 0, 1), EBADF);
    KTRY(t, sys_close(append));
    KTRY(t, sys_close(fd));
}

void fcntl_and_ioctl(KTest& t)
{
    UserArena u;
    KASSERT_TRUE(t, u.ok());
    ScratchDir d("sysfcntl");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, write_file(d("f"), "0123456789"));
    i32 fd = static_cast<i32>(KTRY(t, sys_open(u.str(d("f")), O_RDWR | O_APPEND, 0)));
    KEXPECT_SYS(t, sys_fcntl(fd, F_GETFL, 0), O_RDWR | O_APPEND | O_LARGEFILE);
    KTRY(t, sys_fcntl(fd, F_SETFL, O_NONBLOCK | O_RDONLY | O_TRUNC));
    KEXPECT_SYS(t, sys_fcntl(fd, F_GETFL, 0), O_RDWR | O_NONBLOCK | O_LARGEFILE); // access mode stays
    KEXPECT_SYS(t, sys_fcntl(fd, F_GETFD, 0), 0);
    KTRY(t, sys_fcntl(fd, F_SETFD, FD_CLOEXEC));
    KEXPECT_SYS(t, sys_fcntl(fd, F_GETFD, 0), FD_CLOEXEC);
    i32 dup = static_cast<i32>(KTRY(t, sys_fcntl(fd, F_DUPFD, 50)));
    KEXPECT_GE(t, dup, 50);
    KEXPECT_SYS(t, sys_fcntl(dup, F_GETFD, 0), 0);
    i32 dup_ce = static_cast<i32>(KTRY(t, sys_fcntl(fd, F_DUPFD_CLOEXEC, 50)));
    KEXPECT_EQ(t, dup_ce, dup + 1);
    KEXPECT_SYS(t, sys_fcntl(dup_ce, F_GETFD, 0), FD_CLOEXEC);
    KEXPECT_ERRNO(t, sys_fcntl(fd, F_DUPFD, 1024), EINVAL);
    // Shared description: the offset moves for both.
    KEXPECT_SYS(t, sys_lseek(dup, 4, SEEK_SET), 4);
    KEXPECT_SYS(t, sys_lseek(fd, 0, SEEK_CUR), 4);
    // Record locks: F_GETLK says nobody holds one.
    LinuxFlock lock { F_WRLCK, SEEK_SET, 0, 10, 0 };
    UserAddr lk = u.alloc(sizeof(lock));
    KTRY(t, copy_to_user(lk, &lock, sizeof(lock)));
    KTRY(t, sys_fcntl(fd, F_SETLK, lk));
    KTRY(t, sys_fcntl(fd, F_GETLK, lk));
    KEXPECT_EQ(t, u.view<LinuxFlock>(lk)->l_type, F_UNLCK);
    i32 ro = static_cast<i32>(KTRY(t, sys_open(u.str(d("f")), O_RDONLY, 0)));
    KTRY(t, copy_to_user(lk, &lock, sizeof(lock)));
    KEXPECT_ERRNO(t, sys_fcntl(ro, F_SETLK, lk), EBADF); // a write lock needs a writable fd
    // ioctl: the generic requests, ENOTTY for terminal ones on a file.
    UserAddr arg = u.alloc(8);
    KTRY(t, sys_ioctl(ro, FIOCLEX, 0));
    KEXPECT_SYS(t, sys_fcntl(ro, F_GETFD, 0), FD_CLOEXEC);
    KTRY(t, sys_ioctl(ro, FIONCLEX, 0));
    KEXPECT_SYS(t, sys_fcntl(ro, F_GETFD, 0), 0);
    KTRY(t, put_user<i32>(arg, 1));
    KTRY(t, sys_ioctl(ro, FIONBIO, arg));
    KEXPECT_EQ(t, KTRY(t, sys_fcntl(ro, F_GETFL, 0)) & O_NONBLOCK, static_cast<i64>(O_NONBLOCK));
    KTRY(t, sys_lseek(ro, 3, SEEK_SET));
    KTRY(t, sys_ioctl(ro, FIONREAD, arg));
    KEXPECT_EQ(t, *u.view<i32>(arg), 7);
    KTRY(t, sys_ioctl(ro, FIOQSIZE, arg));
    KEXPECT_EQ(t, *u.view<i64>(arg), 10);
    KEXPECT_ERRNO(t, sys_ioctl(ro, TCGETS, arg), ENOTTY);
    // dup2 onto an open descriptor, and close_range.
    KEXPECT_SYS(t, sys_dup2(ro, dup), dup);
    KEXPECT_SYS(t, sys_fcntl(dup, F_GETFL, 0) , O_RDONLY | O_NONBLOCK | O_LARGEFILE);
    KTRY(t, sys_close_range(static_cast<u32>(dup), static_cast<u32>(dup_ce), 0));
    KEXPECT_ERRNO(t, sys_fcntl(dup, F_GETFD, 0), EBADF);
    KEXPECT_ERRNO(t, sys_fcntl(dup_ce, F_GETFD, 0), EBADF);
    KTRY(t, sys_close(ro));
    KTRY(t, sys_fsync(fd));
    KTRY(t, sys_fdatasync(fd));
    KTRY(t, sys_sync());
    KTRY(t, sys_close(fd));
}

void attributes_links_and_truncation(KTest& t)
{
    UserArena u;
    KASSERT_TRUE(t, u.ok());
    ScratchDir d("sysattr");
    KASSERT_TRUE(t, d.ok());
    // The umask applies to created files and directories.
    u32 old = static_cast<u32>(KTRY(t, sys_umask(027)));
    KEXPECT_EQ(t, old, 022u);
    i32 fd = static_cast<i32>(KTRY(t, sys_open(u.str(d("f")), O_CREAT | O_RDWR, 0666)));
    KTRY(t, sys_mkdir(u.str(d("dir")), 0777));
    KEXPECT_SYS(t, sys_umask(old), 027);
    KEXPECT_EQ(t, KTRY(t, stat_path(d("f"))).mode, S_IFREG | 0640u);
    KEXPECT_EQ(t, KTRY(t, stat_path(d("dir"))).mode, S_IFDIR | 0750u);
    // chmod, chown (root may), set-ID bits killed by chown.
    KTRY(t, sys_chmod(u.str(d("f")), 04755));
    KEXPECT_EQ(t, KTRY(t, stat_path(d("f"))).mode, S_IFREG | 04755u);
    KTRY(t, sys_fchown(fd, 1000, ~0u));
    Metadata m = KTRY(t, stat_path(d("f")));
    KEXPECT_EQ(t, m.uid, 1000u);
    KEXPECT_EQ(t, m.gid, 0u);
    KEXPECT_EQ(t, m.mode, S_IFREG | 0755u);
    KTRY(t, sys_fchmod(fd, 0600));
    KTRY(t, sys_fchmodat(AT_FDCWD, u.str(d("dir")), 0700, 0));
    KEXPECT_EQ(t, KTRY(t, stat_path(d("dir"))).mode, S_IFDIR | 0700u);
    KTRY(t, sys_symlink(u.str("f"), u.str(d("l"))));
    KTRY(t, sys_lchown(u.str(d("l")), 5, 6));
    KEXPECT_EQ(t, KTRY(t, stat_path(d("l"), false)).uid, 5u);
    KEXPECT_EQ(t, KTRY(t, stat_path(d("f"))).uid, 1000u);
    KTRY(t, sys_chown(u.str(d("l")), 7, 8)); // follows the link
    KEXPECT_EQ(t, KTRY(t, stat_path(d("f"))).gid, 8u);
    // readlink: the length, no NUL, truncated to the buffer.
    UserAddr buf = u.alloc(16);
    memset(u.view<char>(buf), 'z', 16);
    KEXPECT_SYS(t, sys_readlink(u.str(d("l")), buf, 16), 1);
    KEXPECT_EQ(t, u.view<char>(buf)[0], 'f');
    KEXPECT_EQ(t, u.view<char>(buf)[1], 'z');
    // utimensat: explicit times, UTIME_OMIT, UTIME_NOW.
    LinuxTimespec times[2] = { { 1000, 5 }, { 2000, 6 } };
    UserAddr ts = u.alloc(sizeof(times));
    KTRY(t, copy_to_user(ts, times, sizeof(times)));
    KTRY(t, sys_utimensat(AT_FDCWD, u.str(d("f")), ts, 0));
    m = KTRY(t, stat_path(d("f")));
    KEXPECT_EQ(t, m.atime.sec, 1000);
    KEXPECT_EQ(t, m.atime.nsec, 5);
    KEXPECT_EQ(t, m.mtime.sec, 2000);
    times[0].tv_nsec = UTIME_OMIT;
    times[1].tv_nsec = UTIME_NOW;
    KTRY(t, copy_to_user(ts, times, sizeof(times)));
    KTRY(t, sys_utimensat(fd, 0, ts, 0)); // futimens
    m = KTRY(t, stat_path(d("f")));
    KEXPECT_EQ(t, m.atime.sec, 1000);
    KEXPECT(t, m.mtime.sec > 2000);
    KEXPECT_ERRNO(t, sys_utimensat(AT_FDCWD, 0, 0, 0), EFAULT);
    // Links and renames.
    KTRY(t, sys_link(u.str(d("f")), u.str(d("hard"))));
    KEXPECT_EQ(t, KTRY(t, stat_path(d("f"))).nlink, 2u);
    KEXPECT_ERRNO(t, sys_link(u.str(d("dir")), u.str(d("dirlink"))), EPERM);
    KTRY(t, sys_linkat(AT_FDCWD, u.str(d("l")), AT_FDCWD, u.str(d("l2")), 0));
    KEXPECT(t, KTRY(t, resolve(kstart(), d("l2"), 0)).inode->is_symlink());
    KTRY(t, sys_linkat(AT_FDCWD, u.str(d("l")), AT_FDCWD, u.str(d("l3")), AT_SYMLINK_FOLLOW));
    KEXPECT(t, KTRY(t, resolve(kstart(), d("l3"), 0)).inode->is_regular());
    KTRY(t, sys_rename(u.str(d("hard")), u.str(d("dir/hard"))));
    KEXPECT_ERRNO(t, sys_renameat2(AT_FDCWD, u.str(d("l2")), AT_FDCWD, u.str(d("l3")), RENAME_NOREPLACE), EEXIST);
    KTRY(t, sys_unlink(u.str(d("dir/hard"))));
    KTRY(t, sys_symlinkat(u.str("dir"), AT_FDCWD, u.str(d("dl"))));
    KEXPECT_ERRNO(t, sys_rmdir(u.str(d("dl"))), ENOTDIR);
    KTRY(t, sys_rmdir(u.str(d("dir"))));
    // access.
    KTRY(t, sys_access(u.str(d("f")), R_OK | W_OK));
    KEXPECT_ERRNO(t, sys_access(u.str(d("f")), X_OK), EACCES);
    KEXPECT_ERRNO(t, sys_faccessat(AT_FDCWD, u.str(d("missing")), F_OK), ENOENT);
    KEXPECT_ERRNO(t, sys_access(u.str("/"), W_OK), EROFS);
    // truncate and ftruncate.
    KTRY(t, sys_ftruncate(fd, 4096));
    KEXPECT_EQ(t, KTRY(t, stat_path(d("f"))).size, 4096u);
    KTRY(t, sys_truncate(u.str(d("f")), 10));
    KEXPECT_EQ(t, KTRY(t, stat_path(d("f"))).size, 10u);
    KEXPECT_ERRNO(t, sys_truncate(u.str(d.path()), 0), EISDIR);
    i32 ro = static_cast<i32>(KTRY(t, sys_open(u.str(d("f")), O_RDONLY, 0)));
    KEXPECT_ERRNO(t, sys_ftruncate(ro, 0), EINVAL);
    KTRY(t, sys_close(ro));
    KTRY(t, sys_close(fd));
}

void mount_and_umount_by_syscall(KTest& t)
{
    UserArena u;
    KASSERT_TRUE(t, u.ok());
    ScratchDir d("sysmount");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, vfs::mkdir(kstart(), d("m"), 0755));
    UserAddr target = u.str(d("m"));
    KTRY(t, sys_mount(u.str("none"), target, u.str("tmpfs"), MS_NOSUID, u.str("mode=750,size=1m")));
    KEXPECT_EQ(t, KTRY(t, stat_path(d("m"))).mode, S_IFDIR | 0750u);
    TextBuffer mounts;
    KTRY(t, read_file("/proc/mounts", mounts));
    char line[160];
    format(line, sizeof(line), "none %s tmpfs rw,nosuid,relatime,mode=750 0 0\n", d("m"));
    bool found = false;
    for (const char* p = mounts.c_str(); *p; p++) {
        if (strncmp(p, line, strlen(line)) == 0)
            found = true;
    }
    KEXPECT(t, found);
    // Remount read-only, then back.
    KTRY(t, sys_mount(0, target, 0, MS_REMOUNT | MS_RDONLY, 0));
    KEXPECT_ERRNO(t, sys_mkdir(u.str(d("m/x")), 0755), EROFS);
    KTRY(t, sys_mount(0, target, 0, MS_REMOUNT, 0));
    KTRY(t, sys_mkdir(u.str(d("m/x")), 0755));
    i32 fd = static_cast<i32>(KTRY(t, sys_open(u.str(d("m/x")), O_RDONLY, 0)));
    KEXPECT_ERRNO(t, sys_umount2(target, 0), EBUSY);
    KTRY(t, sys_close(fd));
    KTRY(t, sys_umount2(target, 0));
    KEXPECT_ERRNO(t, sys_umount2(target, 0), EINVAL);
    // proc mounts too.
    KTRY(t, sys_mount(u.str("proc"), target, u.str("proc"), 0, 0));
    KTRY(t, resolve(kstart(), d("m/meminfo"), 0));
    KTRY(t, sys_umount2(target, MNT_DETACH));
}

} // namespace

KTEST_SUITE(fs_syscalls, KTEST_CASE(open_write_read_close), KTEST_CASE(bad_pointers_are_efault),
            KTEST_CASE(bad_descriptors_are_ebadf), KTEST_CASE(bad_flags_are_einval), KTEST_CASE(stat_struct_layout),
            KTEST_CASE(getdents_formats), KTEST_CASE(cwd_and_relative_paths), KTEST_CASE(vectors_and_sendfile),
            KTEST_CASE(fcntl_and_ioctl), KTEST_CASE(attributes_links_and_truncation),
            KTEST_CASE(mount_and_umount_by_syscall));
