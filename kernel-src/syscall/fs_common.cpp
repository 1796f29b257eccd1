#include <lib/string.hpp>
#include <mm/heap.hpp>
#include <syscall/fs_common.hpp>

namespace fs_syscall {

ErrorOr<UserPath> UserPath::copy(UserAddr addr)
{
    char* buf = static_cast<char*>(heap::alloc(PATH_MAX));
    if (!buf)
        return Error::from_errno(ENOMEM);
    auto r = strncpy_from_user(buf, addr, PATH_MAX);
    if (r.is_error()) {
        heap::free(buf);
        return r.release_error();
    }
    return UserPath(buf);
}

UserPath::~UserPath() { heap::free(m_data); }

ScratchBuffer::ScratchBuffer(size_t size) : m_data(static_cast<char*>(heap::alloc(size))), m_size(size) {}
ScratchBuffer::~ScratchBuffer() { heap::free(m_data); }

ErrorOr<RefPtr<OpenFile>> file_for(i32 fd) { return current_fs_context().fds.get(fd); }

ErrorOr<RefPtr<OpenFile>> file_for_io(i32 fd)
{
    RefPtr<OpenFile> file = TRY(current_fs_context().fds.get(fd));
    if (file->is_path_only())
        return Error::from_errno(EBADF);
    return file;
}

ErrorOr<PathStart> start_for(i32 dirfd, const char* path)
{
    FsContext& ctx = current_fs_context();
    PathStart start { ctx.root(), {} };
    if (path[0] == '/' || dirfd == AT_FDCWD) {
        start.base = ctx.cwd();
        return start;
    }
    RefPtr<OpenFile> dir = TRY(ctx.fds.get(dirfd));
    // An empty path is the caller's business (AT_EMPTY_PATH); anything
    // else needs a directory to start from.
    if (path[0] && !dir->inode().is_directory())
        return Error::from_errno(ENOTDIR);
    start.base = dir->location();
    return start;
}

ErrorOr<Location> lookup_at(i32 dirfd, const UserPath& path, i32 flags, bool follow)
{
    if (path.empty()) {
        if (!(flags & AT_EMPTY_PATH))
            return Error::from_errno(ENOENT);
        if (dirfd == AT_FDCWD)
            return current_fs_context().cwd();
        RefPtr<OpenFile> file = TRY(file_for(dirfd));
        return file->location();
    }
    PathStart start = TRY(start_for(dirfd, path.c_str()));
    if (flags & AT_SYMLINK_NOFOLLOW)
        follow = false;
    return resolve(start, path.c_str(), follow ? FOLLOW_FINAL : 0);
}

void fill_stat(const Metadata& m, LinuxStat& out)
{
    memset(&out, 0, sizeof(out));
    out.st_dev = m.dev;
    out.st_ino = m.ino;
    out.st_nlink = m.nlink;
    out.st_mode = m.mode;
    out.st_uid = m.uid;
    out.st_gid = m.gid;
    out.st_rdev = m.rdev;
    out.st_size = static_cast<i64>(m.size);
    out.st_blksize = m.blksize;
    out.st_blocks = static_cast<i64>(m.blocks);
    out.st_atime = static_cast<u64>(m.atime.sec);
    out.st_atime_nsec = static_cast<u64>(m.atime.nsec);
    out.st_mtime = static_cast<u64>(m.mtime.sec);
    out.st_mtime_nsec = static_cast<u64>(m.mtime.nsec);
    out.st_ctime = static_cast<u64>(m.ctime.sec);
    out.st_ctime_nsec = static_cast<u64>(m.ctime.nsec);
}

void fill_statx(const Metadata& m, const Location& loc, LinuxStatx& out)
{
    // STATX_ATTR_MOUNT_ROOT (include/uapi/linux/stat.h).
    constexpr u64 STATX_ATTR_MOUNT_ROOT = 0x2000;
    memset(&out, 0, sizeof(out));
    out.stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
    out.stx_blksize = m.blksize;
    out.stx_attributes_mask = STATX_ATTR_MOUNT_ROOT;
    if (loc.mount->is_root_of(*loc.inode))
        out.stx_attributes = STATX_ATTR_MOUNT_ROOT;
    out.stx_nlink = m.nlink;
    out.stx_uid = m.uid;
    out.stx_gid = m.gid;
    out.stx_mode = static_cast<u16>(m.mode);
    out.stx_ino = m.ino;
    out.stx_size = m.size;
    out.stx_blocks = m.blocks;
    auto ts = [](Timespec t) { return StatxTimestamp { t.sec, static_cast<u32>(t.nsec), 0 }; };
    out.stx_atime = ts(m.atime);
    out.stx_ctime = ts(m.ctime);
    out.stx_mtime = ts(m.mtime);
    DeviceNumber rdev = decode_dev(m.rdev);
    DeviceNumber dev = decode_dev(m.dev);
    out.stx_rdev_major = rdev.major;
    out.stx_rdev_minor = rdev.minor;
    out.stx_dev_major = dev.major;
    out.stx_dev_minor = dev.minor;
    out.stx_mnt_id = loc.mount->id();
}

} // namespace fs_syscall
