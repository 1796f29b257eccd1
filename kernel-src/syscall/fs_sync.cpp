// fsync, fdatasync, sync. Every file system here lives in memory, so
// there is nothing to write back; the calls check their descriptor and ask
// the file's operations (a pipe or socket says EINVAL, as on Linux).
#include <syscall/fs_common.hpp>
#include <syscalls.hpp>

using namespace fs_syscall;

ErrorOr<i64> sys_fsync(i32 fd)
{
    RefPtr<OpenFile> file = TRY(file_for_io(fd));
    TRY(file->ops().fsync(*file));
    return ok();
}

ErrorOr<i64> sys_fdatasync(i32 fd) { return sys_fsync(fd); }

ErrorOr<i64> sys_sync() { return ok(); }
