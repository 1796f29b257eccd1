// unlink, unlinkat, rename, renameat, renameat2, link, linkat, symlink,
// symlinkat.
#include <syscall/fs_common.hpp>
#include <syscalls.hpp>

using namespace fs_syscall;

ErrorOr<i64> sys_unlinkat(i32 dirfd, UserAddr pathname, i32 flags)
{
    if (flags & ~AT_REMOVEDIR)
        return Error::from_errno(EINVAL);
    UserPath path = TRY(UserPath::copy(pathname));
    if (path.empty())
        return Error::from_errno(ENOENT);
    PathStart start = TRY(start_for(dirfd, path.c_str()));
    if (flags & AT_REMOVEDIR)
        TRY(vfs::rmdir(start, path.c_str()));
    else
        TRY(vfs::unlink(start, path.c_str()));
    return ok();
}

ErrorOr<i64> sys_unlink(UserAddr pathname) { return sys_unlinkat(AT_FDCWD, pathname, 0); }

ErrorOr<i64> sys_renameat2(i32 olddirfd, UserAddr oldpath, i32 newdirfd, UserAddr newpath, u32 flags)
{
    UserPath from = TRY(UserPath::copy(oldpath));
    UserPath to = TRY(UserPath::copy(newpath));
    if (from.empty() || to.empty())
        return Error::from_errno(ENOENT);
    PathStart from_start = TRY(start_for(olddirfd, from.c_str()));
    PathStart to_start = TRY(start_for(newdirfd, to.c_str()));
    TRY(vfs::rename(from_start, from.c_str(), to_start, to.c_str(), flags));
    return ok();
}

ErrorOr<i64> sys_renameat(i32 olddirfd, UserAddr oldpath, i32 newdirfd, UserAddr newpath)
{
    return sys_renameat2(olddirfd, oldpath, newdirfd, newpath, 0);
}

ErrorOr<i64> sys_rename(UserAddr oldpath, UserAddr newpath)
{
    return sys_renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

ErrorOr<i64> sys_linkat(i32 olddirfd, UserAddr oldpath, i32 newdirfd, UserAddr newpath, i32 flags)
{
    if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
        return Error::from_errno(EINVAL);
    UserPath from = TRY(UserPath::copy(oldpath));
    UserPath to = TRY(UserPath::copy(newpath));
    // link(2) does not follow a final symlink unless AT_SYMLINK_FOLLOW.
    Location target = TRY(lookup_at(olddirfd, from, flags & AT_EMPTY_PATH, flags & AT_SYMLINK_FOLLOW));
    if (to.empty())
        return Error::from_errno(ENOENT);
    PathStart to_start = TRY(start_for(newdirfd, to.c_str()));
    TRY(vfs::link(target, to_start, to.c_str()));
    return ok();
}

ErrorOr<i64> sys_link(UserAddr oldpath, UserAddr newpath) { return sys_linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0); }

ErrorOr<i64> sys_symlinkat(UserAddr target, i32 newdirfd, UserAddr linkpath)
{
    UserPath contents = TRY(UserPath::copy(target));
    UserPath path = TRY(UserPath::copy(linkpath));
    if (path.empty())
        return Error::from_errno(ENOENT);
    PathStart start = TRY(start_for(newdirfd, path.c_str()));
    TRY(vfs::symlink(contents.c_str(), start, path.c_str()));
    return ok();
}

ErrorOr<i64> sys_symlink(UserAddr target, UserAddr linkpath) { return sys_symlinkat(target, AT_FDCWD, linkpath); }
