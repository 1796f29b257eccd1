// open, openat, creat, close, close_range.
#include <syscall/fs_common.hpp>
#include <syscalls.hpp>

using namespace fs_syscall;

ErrorOr<i64> sys_openat(i32 dirfd, UserAddr pathname, i32 flags_in, u32 mode)
{
    u32 flags = static_cast<u32>(flags_in);
    UserPath path = TRY(UserPath::copy(pathname));
    if (path.empty())
        return Error::from_errno(ENOENT);
    FsContext& ctx = current_fs_context();
    // The mode only matters when a file is created; the umask applies.
    if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
        mode = mode & MODE_PERMS & ~ctx.umask.load();
    else
        mode = 0;
    if (flags & O_PATH)
        flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    PathStart start = TRY(start_for(dirfd, path.c_str()));
    RefPtr<OpenFile> file = TRY(vfs::open(start, path.c_str(), flags, mode));
    i32 fd = TRY(ctx.fds.install(move(file), flags & O_CLOEXEC));
    return fd;
}

ErrorOr<i64> sys_open(UserAddr pathname, i32 flags, u32 mode) { return sys_openat(AT_FDCWD, pathname, flags, mode); }

ErrorOr<i64> sys_creat(UserAddr pathname, u32 mode)
{
    return sys_openat(AT_FDCWD, pathname, static_cast<i32>(O_CREAT | O_WRONLY | O_TRUNC), mode);
}

ErrorOr<i64> sys_close(i32 fd)
{
    TRY(current_fs_context().fds.close(fd));
    return ok();
}

ErrorOr<i64> sys_close_range(u32 first, u32 last, u32 flags)
{
    // CLOSE_RANGE_UNSHARE would give the caller its own copy of a shared
    // table first; tables are per process here, so there is nothing to
    // unshare.
    TRY(current_fs_context().fds.close_range(first, last, flags));
    return ok();
}
