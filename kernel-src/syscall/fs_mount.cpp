// mount, umount2.
#include <syscall/fs_common.hpp>
#include <syscalls.hpp>

using namespace fs_syscall;

namespace {
// An optional string argument (null pointer: none).
ErrorOr<void> optional_string(UserAddr addr, ScratchBuffer& buf, const char*& out)
{
    out = nullptr;
    if (!addr)
        return {};
    if (!buf.ok())
        return Error::from_errno(ENOMEM);
    auto n = strncpy_from_user(buf.data(), addr, buf.size());
    if (n.is_error())
        return n.error().code() == ENAMETOOLONG ? Error::from_errno(EINVAL) : n.release_error();
    out = buf.data();
    return {};
}
} // namespace

ErrorOr<i64> sys_mount(UserAddr source, UserAddr target, UserAddr filesystemtype, u64 mountflags, UserAddr data)
{
    ScratchBuffer source_buf(256), type_buf(64), data_buf(4096);
    const char* source_str;
    const char* type_str;
    const char* data_str;
    TRY(optional_string(source, source_buf, source_str));
    TRY(optional_string(filesystemtype, type_buf, type_str));
    TRY(optional_string(data, data_buf, data_str));
    UserPath path = TRY(UserPath::copy(target));
    if (path.empty())
        return Error::from_errno(ENOENT);
    PathStart start = TRY(start_for(AT_FDCWD, path.c_str()));
    TRY(vfs::mount(start, source_str, path.c_str(), type_str, mountflags, data_str));
    return ok();
}

ErrorOr<i64> sys_umount2(UserAddr target, i32 flags)
{
    UserPath path = TRY(UserPath::copy(target));
    if (path.empty())
        return Error::from_errno(ENOENT);
    PathStart start = TRY(start_for(AT_FDCWD, path.c_str()));
    TRY(vfs::umount(start, path.c_str(), flags));
    return ok();
}
