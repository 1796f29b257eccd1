// dup, dup2, dup3, fcntl, ioctl.
#include <syscall/fs_common.hpp>
#include <syscalls.hpp>

using namespace fs_syscall;

ErrorOr<i64> sys_dup(i32 oldfd) { return TRY(current_fs_context().fds.dup(oldfd)); }
ErrorOr<i64> sys_dup2(i32 oldfd, i32 newfd) { return TRY(current_fs_context().fds.dup2(oldfd, newfd)); }
ErrorOr<i64> sys_dup3(i32 oldfd, i32 newfd, i32 flags)
{
    return TRY(current_fs_context().fds.dup3(oldfd, newfd, static_cast<u32>(flags)));
}

namespace {

// F_GETLK/F_SETLK/F_SETLKW and the OFD variants. Record locks are
// accepted and not enforced: one process owns all files today, so a lock
// can never conflict; F_GETLK therefore always answers F_UNLCK. The
// arguments are checked as Linux checks them.
ErrorOr<i64> record_lock(OpenFile& file, i32 cmd, UserAddr arg)
{
    LinuxFlock lock = TRY(get_user<LinuxFlock>(arg));
    if (lock.l_whence < SEEK_SET || lock.l_whence > SEEK_END)
        return Error::from_errno(EINVAL);
    bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
    if (ofd && lock.l_pid != 0)
        return Error::from_errno(EINVAL);
    if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
        if (lock.l_type != F_RDLCK && lock.l_type != F_WRLCK)
            return Error::from_errno(EINVAL);
        lock.l_type = F_UNLCK;
        TRY(put_user<LinuxFlock>(arg, lock));
        return ok();
    }
    switch (lock.l_type) {
    case F_RDLCK:
        if (!file.can_read())
            return Error::from_errno(EBADF);
        break;
    case F_WRLCK:
        if (!file.can_write())
            return Error::from_errno(EBADF);
        break;
    case F_UNLCK:
        break;
    default:
        return Error::from_errno(EINVAL);
    }
    return ok();
}

} // namespace

ErrorOr<i64> sys_fcntl(i32 fd, i32 cmd, u64 arg)
{
    FsContext& ctx = current_fs_context();
    RefPtr<OpenFile> file = TRY(file_for(fd));
    // O_PATH descriptors allow only the descriptor-level commands.
    bool descriptor_cmd = cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD || cmd == F_SETFD ||
                          cmd == F_GETFL;
    if (file->is_path_only() && !descriptor_cmd)
        return Error::from_errno(EBADF);
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        if (arg >= ctx.fds.limit())
            return Error::from_errno(EINVAL);
        return TRY(ctx.fds.install(move(file), cmd == F_DUPFD_CLOEXEC, static_cast<i32>(arg)));
    }
    case F_GETFD:
        return TRY(ctx.fds.cloexec(fd)) ? FD_CLOEXEC : 0;
    case F_SETFD:
        TRY(ctx.fds.set_cloexec(fd, arg & FD_CLOEXEC));
        return ok();
    case F_GETFL:
        return file->flags();
    case F_SETFL:
        file->set_status_flags(static_cast<u32>(arg));
        return ok();
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
    case F_OFD_GETLK:
    case F_OFD_SETLK:
    case F_OFD_SETLKW:
        return record_lock(*file, cmd, arg);
    case F_GETOWN:
        return 0; // no SIGIO owner
    case F_SETOWN:
        return ok();
    default:
        return Error::from_errno(EINVAL);
    }
}

ErrorOr<i64> sys_ioctl(i32 fd, u32 request, u64 arg)
{
    FsContext& ctx = current_fs_context();
    RefPtr<OpenFile> file = TRY(file_for_io(fd));
    // The requests every file answers (fs/ioctl.c do_vfs_ioctl).
    switch (request) {
    case FIOCLEX:
        TRY(ctx.fds.set_cloexec(fd, true));
        return ok();
    case FIONCLEX:
        TRY(ctx.fds.set_cloexec(fd, false));
        return ok();
    case FIONBIO: {
        i32 on = TRY(get_user<i32>(arg));
        u32 flags = file->flags();
        file->set_status_flags(on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK));
        return ok();
    }
    case FIOASYNC: {
        i32 on = TRY(get_user<i32>(arg));
        u32 flags = file->flags();
        file->set_status_flags(on ? (flags | O_ASYNC) : (flags & ~O_ASYNC));
        return ok();
    }
    case FIOQSIZE: {
        Inode& inode = file->inode();
        if (!inode.is_regular() && !inode.is_directory() && !inode.is_symlink())
            return Error::from_errno(ENOTTY);
        TRY(put_user<i64>(arg, static_cast<i64>(inode.size())));
        return ok();
    }
    case FIONREAD:
        if (file->inode().is_regular()) {
            i64 left = static_cast<i64>(file->inode().size()) - static_cast<i64>(file->offset());
            TRY(put_user<i32>(arg, static_cast<i32>(left < 0 ? 0 : left)));
            return ok();
        }
        break; // devices and pipes answer it themselves
    default:
        break;
    }
    return file->ioctl(request, arg);
}
