// getdents, getdents64, getcwd, chdir, fchdir, mkdir, mkdirat, rmdir.
#include <lib/string.hpp>
#include <syscall/fs_common.hpp>
#include <syscalls.hpp>

using namespace fs_syscall;

namespace {

// Packs directory entries as struct linux_dirent64 (or the old struct
// linux_dirent, with d_type in the record's last byte) into a kernel
// buffer; the caller copies it out after the directory lock is released.
class DirentWriter final : public DirSink {
public:
    DirentWriter(char* buf, size_t size, bool old_format) : m_buf(buf), m_size(size), m_old(old_format) {}

    bool emit(StringView name, u64 ino, u8 dtype, u64 next_pos) override
    {
        size_t header = m_old ? sizeof(LinuxDirentHeader) : sizeof(LinuxDirent64Header);
        // Old format: name, NUL, then d_type; new: name, NUL. Padded to 8.
        size_t reclen = align_up(header + name.length() + (m_old ? 2 : 1), 8);
        if (m_used + reclen > m_size) {
            m_full = true;
            return false;
        }
        char* rec = m_buf + m_used;
        memset(rec, 0, reclen);
        if (m_old) {
            LinuxDirentHeader h { ino, next_pos, static_cast<u16>(reclen) };
            memcpy(rec, &h, sizeof(h));
            rec[reclen - 1] = static_cast<char>(dtype);
        } else {
            LinuxDirent64Header h { ino, static_cast<i64>(next_pos), static_cast<u16>(reclen), dtype };
            memcpy(rec, &h, sizeof(h));
        }
        memcpy(rec + header, name.chars(), name.length());
        m_used += reclen;
        return true;
    }
    size_t used() const { return m_used; }
    bool full() const { return m_full; }

private:
    char* m_buf;
    size_t m_size;
    bool m_old;
    size_t m_used = 0;
    bool m_full = false;
};

ErrorOr<i64> getdents_common(i32 fd, UserAddr dirp, u64 count, bool old_format)
{
    RefPtr<OpenFile> file = TRY(file_for_io(fd));
    if (!uaccess::range_ok(dirp, count))
        return Error::from_errno(EFAULT);
    // Entries are gathered in at most 32 KiB per call.
    size_t size = min<u64>(count, 32 * KiB);
    ScratchBuffer buf(size ? size : 1);
    if (!buf.ok())
        return Error::from_errno(ENOMEM);
    DirentWriter writer(buf.data(), size, old_format);
    TRY(file->read_directory(writer));
    if (writer.used() == 0 && writer.full())
        return Error::from_errno(EINVAL); // not even one entry fits
    TRY(copy_to_user(dirp, buf.data(), writer.used()));
    return static_cast<i64>(writer.used());
}

ErrorOr<i64> mkdir_at(i32 dirfd, UserAddr pathname, u32 mode)
{
    UserPath path = TRY(UserPath::copy(pathname));
    if (path.empty())
        return Error::from_errno(ENOENT);
    PathStart start = TRY(start_for(dirfd, path.c_str()));
    u32 masked = mode & (0777 | S_ISVTX) & ~current_fs_context().umask.load();
    TRY(vfs::mkdir(start, path.c_str(), masked));
    return ok();
}

// mknod(2): the umask applies to the permission bits; type 0 is a regular
// file; `dev` matters only for device nodes. (Every process is root here,
// so CAP_MKNOD is never missing.)
ErrorOr<i64> mknod_at(i32 dirfd, UserAddr pathname, u32 mode, u64 dev)
{
    UserPath path = TRY(UserPath::copy(pathname));
    if (path.empty())
        return Error::from_errno(ENOENT);
    PathStart start = TRY(start_for(dirfd, path.c_str()));
    u32 masked = (mode & S_IFMT) | (mode & MODE_PERMS & ~current_fs_context().umask.load());
    u32 type = mode & S_IFMT;
    DeviceNumber number = (type == S_IFCHR || type == S_IFBLK) ? decode_dev(dev) : DeviceNumber {};
    TRY(vfs::mknod(start, path.c_str(), masked, number));
    return ok();
}

} // namespace

ErrorOr<i64> sys_mknodat(i32 dirfd, UserAddr pathname, u32 mode, u64 dev) { return mknod_at(dirfd, pathname, mode, dev); }
ErrorOr<i64> sys_mknod(UserAddr pathname, u32 mode, u64 dev) { return mknod_at(AT_FDCWD, pathname, mode, dev); }

ErrorOr<i64> sys_getdents64(i32 fd, UserAddr dirp, u64 count) { return getdents_common(fd, dirp, count, false); }
ErrorOr<i64> sys_getdents(i32 fd, UserAddr dirp, u64 count) { return getdents_common(fd, dirp, count, true); }

ErrorOr<i64> sys_getcwd(UserAddr buf, u64 size)
{
    FsContext& ctx = current_fs_context();
    TextBuffer path;
    TRY(path_of(ctx.cwd(), ctx.root(), path));
    u64 needed = path.size() + 1;
    if (size < needed)
        return Error::from_errno(ERANGE);
    TRY(copy_to_user(buf, path.c_str(), needed));
    return static_cast<i64>(needed);
}

ErrorOr<i64> sys_chdir(UserAddr pathname)
{
    UserPath path = TRY(UserPath::copy(pathname));
    if (path.empty())
        return Error::from_errno(ENOENT);
    PathStart start = TRY(start_for(AT_FDCWD, path.c_str()));
    Location loc = TRY(resolve(start, path.c_str(), FOLLOW_FINAL | MUST_BE_DIRECTORY));
    TRY(vfs::chdir(current_fs_context(), loc));
    return ok();
}

ErrorOr<i64> sys_fchdir(i32 fd)
{
    RefPtr<OpenFile> file = TRY(file_for(fd));
    TRY(vfs::chdir(current_fs_context(), file->location()));
    return ok();
}

ErrorOr<i64> sys_mkdirat(i32 dirfd, UserAddr pathname, u32 mode) { return mkdir_at(dirfd, pathname, mode); }
ErrorOr<i64> sys_mkdir(UserAddr pathname, u32 mode) { return mkdir_at(AT_FDCWD, pathname, mode); }

ErrorOr<i64> sys_rmdir(UserAddr pathname)
{
    UserPath path = TRY(UserPath::copy(pathname));
    if (path.empty())
        return Error::from_errno(ENOENT);
    PathStart start = TRY(start_for(AT_FDCWD, path.c_str()));
    TRY(vfs::rmdir(start, path.c_str()));
    return ok();
}
