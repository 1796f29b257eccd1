// truncate, ftruncate, umask, chmod, fchmod, fchmodat, chown, fchown,
// lchown, fchownat, utimensat.
#include <syscall/fs_common.hpp>
#include <syscalls.hpp>

using namespace fs_syscall;

namespace {

ErrorOr<i64> change(const Location& loc, const AttributeChange& c)
{
    TRY(vfs::change_attributes(loc, c));
    return ok();
}

AttributeChange chmod_change(u32 mode)
{
    AttributeChange c;
    c.set_mode = true;
    c.mode = mode & MODE_PERMS;
    return c;
}

// (uid_t)-1 and (gid_t)-1 leave that id alone.
AttributeChange chown_change(u32 owner, u32 group)
{
    AttributeChange c;
    c.chown = true;
    c.set_uid = owner != ~0u;
    c.uid = owner;
    c.set_gid = group != ~0u;
    c.gid = group;
    return c;
}

ErrorOr<i64> chown_at(i32 dirfd, UserAddr pathname, u32 owner, u32 group, i32 flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return Error::from_errno(EINVAL);
    UserPath path = TRY(UserPath::copy(pathname));
    Location loc = TRY(lookup_at(dirfd, path, flags, true));
    return change(loc, chown_change(owner, group));
}

// One utimensat timestamp: now, omitted, or a valid time.
ErrorOr<void> time_from(const LinuxTimespec& t, bool& set, Timespec& out, Timespec now)
{
    if (t.tv_nsec == UTIME_OMIT) {
        set = false;
        return {};
    }
    set = true;
    if (t.tv_nsec == UTIME_NOW) {
        out = now;
        return {};
    }
    if (t.tv_nsec < 0 || t.tv_nsec > 999999999)
        return Error::from_errno(EINVAL);
    out = { t.tv_sec, t.tv_nsec };
    return {};
}

} // namespace

ErrorOr<i64> sys_truncate(UserAddr pathname, i64 length)
{
    UserPath path = TRY(UserPath::copy(pathname));
    Location loc = TRY(lookup_at(AT_FDCWD, path, 0, true));
    if (length < 0)
        return Error::from_errno(EINVAL);
    // truncate(2) to the current size changes nothing, not even the times
    // (shmem_setattr); ftruncate always sets them.
    if (loc.inode->is_regular() && loc.inode->size() == static_cast<u64>(length)) {
        if (loc.mount->read_only())
            return Error::from_errno(EROFS);
        return ok();
    }
    TRY(vfs::truncate(loc, length));
    return ok();
}

ErrorOr<i64> sys_ftruncate(i32 fd, i64 length)
{
    if (length < 0)
        return Error::from_errno(EINVAL);
    RefPtr<OpenFile> file = TRY(file_for_io(fd));
    if (!file->inode().is_regular() || !file->can_write())
        return Error::from_errno(EINVAL);
    TRY(file->inode().truncate(static_cast<u64>(length)));
    return ok();
}

ErrorOr<i64> sys_umask(u32 mask) { return current_fs_context().umask.exchange(mask & 0777); }

ErrorOr<i64> sys_fchmodat(i32 dirfd, UserAddr pathname, u32 mode, i32)
{
    // Linux's fchmodat takes no flags (glibc handles AT_SYMLINK_NOFOLLOW).
    UserPath path = TRY(UserPath::copy(pathname));
    Location loc = TRY(lookup_at(dirfd, path, 0, true));
    return change(loc, chmod_change(mode));
}

ErrorOr<i64> sys_chmod(UserAddr pathname, u32 mode) { return sys_fchmodat(AT_FDCWD, pathname, mode, 0); }

ErrorOr<i64> sys_fchmod(i32 fd, u32 mode)
{
    RefPtr<OpenFile> file = TRY(file_for_io(fd));
    return change(file->location(), chmod_change(mode));
}

ErrorOr<i64> sys_fchownat(i32 dirfd, UserAddr pathname, u32 owner, u32 group, i32 flags)
{
    return chown_at(dirfd, pathname, owner, group, flags);
}

ErrorOr<i64> sys_chown(UserAddr pathname, u32 owner, u32 group) { return chown_at(AT_FDCWD, pathname, owner, group, 0); }

ErrorOr<i64> sys_lchown(UserAddr pathname, u32 owner, u32 group)
{
    return chown_at(AT_FDCWD, pathname, owner, group, AT_SYMLINK_NOFOLLOW);
}

ErrorOr<i64> sys_fchown(i32 fd, u32 owner, u32 group)
{
    RefPtr<OpenFile> file = TRY(file_for_io(fd));
    return change(file->location(), chown_change(owner, group));
}

ErrorOr<i64> sys_utimensat(i32 dirfd, UserAddr pathname, UserAddr times, i32 flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return Error::from_errno(EINVAL);
    AttributeChange c;
    Timespec t = now();
    if (times) {
        LinuxTimespec ts[2];
        TRY(copy_from_user(ts, times, sizeof(ts)));
        TRY(time_from(ts[0], c.set_atime, c.atime, t));
        TRY(time_from(ts[1], c.set_mtime, c.mtime, t));
        if (!c.set_atime && !c.set_mtime)
            return ok(); // both UTIME_OMIT: nothing to do
    } else {
        c.set_atime = c.set_mtime = true;
        c.atime = c.mtime = t;
    }
    Location loc;
    if (!pathname) {
        // futimens: a null path means dirfd itself.
        if (dirfd == AT_FDCWD)
            return Error::from_errno(EFAULT);
        if (flags & AT_SYMLINK_NOFOLLOW)
            return Error::from_errno(EINVAL);
        RefPtr<OpenFile> file = TRY(file_for(dirfd));
        loc = file->location();
    } else {
        UserPath path = TRY(UserPath::copy(pathname));
        loc = TRY(lookup_at(dirfd, path, flags, true));
    }
    return change(loc, c);
}
