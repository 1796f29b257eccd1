// stat, lstat, fstat, newfstatat, statx, statfs, fstatfs, access,
// faccessat, faccessat2, readlink, readlinkat.
#include <syscall/fs_common.hpp>
#include <syscalls.hpp>

using namespace fs_syscall;

namespace {

ErrorOr<i64> put_stat(const Location& loc, UserAddr statbuf)
{
    LinuxStat st;
    fill_stat(loc.inode->metadata(), st);
    TRY(copy_to_user(statbuf, &st, sizeof(st)));
    return ok();
}

ErrorOr<i64> stat_path(i32 dirfd, UserAddr pathname, UserAddr statbuf, i32 flags, bool follow)
{
    UserPath path = TRY(UserPath::copy(pathname));
    Location loc = TRY(lookup_at(dirfd, path, flags, follow));
    return put_stat(loc, statbuf);
}

ErrorOr<i64> access_at(i32 dirfd, UserAddr pathname, i32 mode, i32 flags)
{
    if (mode & ~(R_OK | W_OK | X_OK))
        return Error::from_errno(EINVAL);
    if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return Error::from_errno(EINVAL);
    UserPath path = TRY(UserPath::copy(pathname));
    Location loc = TRY(lookup_at(dirfd, path, flags, true));
    TRY(vfs::access(loc, mode));
    return ok();
}

ErrorOr<i64> put_statfs(const Location& loc, UserAddr buf)
{
    LinuxStatfs st;
    TRY(vfs::statfs(loc, st));
    TRY(copy_to_user(buf, &st, sizeof(st)));
    return ok();
}

} // namespace

ErrorOr<i64> sys_stat(UserAddr pathname, UserAddr statbuf) { return stat_path(AT_FDCWD, pathname, statbuf, 0, true); }
ErrorOr<i64> sys_lstat(UserAddr pathname, UserAddr statbuf) { return stat_path(AT_FDCWD, pathname, statbuf, 0, false); }

ErrorOr<i64> sys_fstat(i32 fd, UserAddr statbuf)
{
    RefPtr<OpenFile> file = TRY(file_for(fd));
    return put_stat(file->location(), statbuf);
}

ErrorOr<i64> sys_newfstatat(i32 dirfd, UserAddr pathname, UserAddr statbuf, i32 flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
        return Error::from_errno(EINVAL);
    return stat_path(dirfd, pathname, statbuf, flags, true);
}

ErrorOr<i64> sys_statx(i32 dirfd, UserAddr pathname, i32 flags, u32 mask, UserAddr statxbuf)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
        return Error::from_errno(EINVAL);
    if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
        return Error::from_errno(EINVAL);
    if (mask & STATX__RESERVED)
        return Error::from_errno(EINVAL);
    UserPath path = TRY(UserPath::copy(pathname));
    Location loc = TRY(lookup_at(dirfd, path, flags, true));
    LinuxStatx stx;
    fill_statx(loc.inode->metadata(), loc, stx);
    TRY(copy_to_user(statxbuf, &stx, sizeof(stx)));
    return ok();
}

ErrorOr<i64> sys_statfs(UserAddr pathname, UserAddr buf)
{
    UserPath path = TRY(UserPath::copy(pathname));
    Location loc = TRY(lookup_at(AT_FDCWD, path, 0, true));
    return put_statfs(loc, buf);
}

ErrorOr<i64> sys_fstatfs(i32 fd, UserAddr buf)
{
    RefPtr<OpenFile> file = TRY(file_for(fd));
    return put_statfs(file->location(), buf);
}

ErrorOr<i64> sys_access(UserAddr pathname, i32 mode) { return access_at(AT_FDCWD, pathname, mode, 0); }
ErrorOr<i64> sys_faccessat(i32 dirfd, UserAddr pathname, i32 mode) { return access_at(dirfd, pathname, mode, 0); }
ErrorOr<i64> sys_faccessat2(i32 dirfd, UserAddr pathname, i32 mode, i32 flags)
{
    return access_at(dirfd, pathname, mode, flags);
}

ErrorOr<i64> sys_readlinkat(i32 dirfd, UserAddr pathname, UserAddr buf, u64 bufsiz)
{
    // The size is an int in the kernel's prototype.
    i32 size = static_cast<i32>(bufsiz);
    if (size <= 0)
        return Error::from_errno(EINVAL);
    UserPath path = TRY(UserPath::copy(pathname));
    Location loc;
    if (path.empty()) {
        // An empty path reads the symlink dirfd refers to (O_PATH|O_NOFOLLOW).
        loc = TRY(lookup_at(dirfd, path, AT_EMPTY_PATH, false));
        if (!loc.inode->is_symlink())
            return Error::from_errno(ENOENT);
    } else {
        loc = TRY(lookup_at(dirfd, path, AT_SYMLINK_NOFOLLOW, false));
    }
    ScratchBuffer target(PATH_MAX);
    if (!target.ok())
        return Error::from_errno(ENOMEM);
    size_t n = TRY(vfs::readlink(loc, target.data(), min<size_t>(static_cast<size_t>(size), target.size())));
    TRY(copy_to_user(buf, target.data(), n));
    return static_cast<i64>(n);
}

ErrorOr<i64> sys_readlink(UserAddr pathname, UserAddr buf, u64 bufsiz)
{
    return sys_readlinkat(AT_FDCWD, pathname, buf, bufsiz);
}
