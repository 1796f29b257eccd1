#include <fs/devfs/devfs.hpp>
#include <fs/fs_context.hpp>
#include <fs/procfs/procfs.hpp>
#include <fs/tmpfs/tmpfs.hpp>
#include <fs/vfs.hpp>
#include <lib/string.hpp>
#include <mm/heap.hpp>
#include <mm/pmm.hpp>

namespace fs {

PathStart start_at_cwd(FsContext& ctx) { return { ctx.root(), ctx.cwd() }; }

namespace vfs {
namespace {

// Writes to a read-only mount are EROFS for the objects that live in the
// file system (regular files, directories, symlinks); device nodes and
// FIFOs on it can still be written (may_open in fs/namei.c).
bool write_refused(const Location& loc)
{
    if (!loc.mount->read_only())
        return false;
    u32 t = loc.inode->type();
    return t == S_IFREG || t == S_IFDIR || t == S_IFLNK;
}

Error erofs() { return Error::from_errno(EROFS); }

void* heap_alloc_path() { return heap::alloc(PATH_MAX); }
void heap_free_path(void* p) { heap::free(p); }
u64 pmm_bytes_percent(u64 percent) { return pmm::stats().managed_pages * PAGE_SIZE / 100 * percent; }

// New objects get the caller's ids; a set-group-ID directory passes its
// group on (and its set-group-ID bit to subdirectories), as
// inode_init_owner does.
void owner_for_new(Inode& dir, u32& mode, u32& uid, u32& gid)
{
    Metadata m = dir.metadata();
    uid = 0;
    gid = 0;
    if (m.mode & S_ISGID) {
        gid = m.gid;
        if (s_isdir(mode))
            mode |= S_ISGID;
    }
}

// Opens or creates the last component for open(O_CREAT), following
// symlinks (also dangling ones: O_CREAT creates their target).
ErrorOr<Location> open_create(const PathStart& start, const char* path, u32 flags, u32 mode, bool& created)
{
    u32 links = 0;
    bool follow = !(flags & O_NOFOLLOW) && !(flags & O_EXCL);
    ParentAndName where = TRY(resolve_parent(start, path, &links));
    for (;;) {
        if (where.kind != LastComponent::Normal)
            return Error::from_errno(EISDIR); // ".", ".." or "/" name a directory
        auto found = where.parent.inode->lookup(where.view());
        if (found.is_error() && found.error().code() == ENOENT) {
            if (where.trailing_slash)
                return Error::from_errno(EISDIR);
            if (where.parent.mount->read_only())
                return erofs();
            u32 uid, gid;
            u32 file_mode = S_IFREG | (mode & MODE_PERMS);
            owner_for_new(*where.parent.inode, file_mode, uid, gid);
            auto made = where.parent.inode->create(where.view(), file_mode, {}, uid, gid);
            if (made.is_error() && made.error().code() == EEXIST && !(flags & O_EXCL))
                continue; // created by someone else meanwhile: open theirs
            created = true;
            // (TRY must not run inside a braced initializer: an early
            // return would skip destroying the members built so far.)
            RefPtr<Inode> inode = TRY(move(made));
            return Location { where.parent.mount, move(inode) };
        }
        if (found.is_error())
            return found.release_error();
        Location child = cross_mounts({ where.parent.mount, found.release_value() });
        if (flags & O_EXCL)
            return Error::from_errno(EEXIST);
        if (child.inode->is_symlink()) {
            if (!follow)
                return Error::from_errno(ELOOP);
            if (++links > MAX_SYMLINKS)
                return Error::from_errno(ELOOP);
            char* target = static_cast<char*>(heap_alloc_path());
            if (!target)
                return Error::from_errno(ENOMEM);
            auto n = child.inode->readlink(target, PATH_MAX - 1);
            if (n.is_error()) {
                heap_free_path(target);
                return n.release_error();
            }
            target[n.value()] = 0;
            PathStart from { start.root, where.parent };
            auto next = n.value() ? resolve_parent(from, target, &links) : ErrorOr<ParentAndName>(Error::from_errno(ENOENT));
            heap_free_path(target);
            where = TRY(move(next));
            continue;
        }
        if (where.trailing_slash && !child.inode->is_directory())
            return Error::from_errno(ENOTDIR);
        return child;
    }
}

} // namespace

ErrorOr<RefPtr<OpenFile>> open(const PathStart& start, const char* path, u32 flags, u32 mode)
{
    bool created = false;
    Location loc;
    if ((flags & O_TMPFILE) == O_TMPFILE) {
        u32 acc = flags & O_ACCMODE;
        if ((flags & O_CREAT) || (acc != O_WRONLY && acc != O_RDWR))
            return Error::from_errno(EINVAL);
        Location dir = TRY(resolve(start, path, FOLLOW_FINAL | MUST_BE_DIRECTORY));
        if (dir.mount->read_only())
            return erofs();
        RefPtr<Inode> inode = TRY(dir.inode->create_unnamed(mode & MODE_PERMS, 0, 0));
        return OpenFile::open({ dir.mount, move(inode) }, flags & ~O_TMPFILE);
    }
    if ((flags & O_CREAT) && (flags & O_DIRECTORY))
        return Error::from_errno(EINVAL);
    if (flags & O_PATH) {
        u32 walk_flags = (flags & O_NOFOLLOW ? 0 : FOLLOW_FINAL) | (flags & O_DIRECTORY ? MUST_BE_DIRECTORY : 0);
        loc = TRY(resolve(start, path, walk_flags));
        return OpenFile::open(loc, flags);
    }
    if (flags & O_CREAT) {
        loc = TRY(open_create(start, path, flags, mode, created));
    } else {
        u32 walk_flags = (flags & O_NOFOLLOW ? 0 : FOLLOW_FINAL) | (flags & O_DIRECTORY ? MUST_BE_DIRECTORY : 0);
        loc = TRY(resolve(start, path, walk_flags));
    }
    Inode& inode = *loc.inode;
    if (inode.is_symlink())
        return Error::from_errno(ELOOP); // O_NOFOLLOW on a symlink
    if ((flags & O_DIRECTORY) && !inode.is_directory())
        return Error::from_errno(ENOTDIR);
    u32 acc = flags & O_ACCMODE;
    bool wants_write = acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC);
    if (inode.is_directory() && (wants_write || (flags & O_CREAT)))
        return Error::from_errno(EISDIR);
    if (wants_write && write_refused(loc))
        return erofs();
    if ((inode.type() == S_IFCHR || inode.type() == S_IFBLK) && (loc.mount->flags() & MS_NODEV))
        return Error::from_errno(EACCES);
    if ((flags & O_TRUNC) && inode.is_regular() && !created)
        TRY(inode.truncate(0));
    return OpenFile::open(loc, flags);
}

ErrorOr<void> check_exec(const Location& loc)
{
    if (!loc.inode->is_regular())
        return Error::from_errno(EACCES);
    if (loc.mount->flags() & MS_NOEXEC)
        return Error::from_errno(EACCES);
    if (!(loc.inode->mode() & S_IXUGO))
        return Error::from_errno(EACCES);
    return {};
}

ErrorOr<RefPtr<OpenFile>> open_for_exec(const PathStart& start, const char* path)
{
    Location loc = TRY(resolve(start, path, FOLLOW_FINAL));
    TRY(check_exec(loc));
    return OpenFile::open(loc, O_RDONLY);
}

ErrorOr<void> real_path(const PathStart& start, const char* path, TextBuffer& out)
{
    u32 links = 0;
    ParentAndName where = TRY(resolve_parent(start, path, &links));
    for (;;) {
        if (where.kind != LastComponent::Normal) {
            // ".", ".." or "/": a directory, which path_of names itself.
            const char* last = where.kind == LastComponent::Dot ? "." : where.kind == LastComponent::DotDot ? ".." : "/";
            Location dir = TRY(resolve({ start.root, where.parent }, last, FOLLOW_FINAL));
            return path_of(dir, start.root, out);
        }
        RefPtr<Inode> child = TRY(where.parent.inode->lookup(where.view()));
        Location loc = cross_mounts({ where.parent.mount, move(child) });
        if (loc.inode->is_symlink()) {
            if (++links > MAX_SYMLINKS)
                return Error::from_errno(ELOOP);
            char* target = static_cast<char*>(heap_alloc_path());
            if (!target)
                return Error::from_errno(ENOMEM);
            auto n = loc.inode->readlink(target, PATH_MAX - 1);
            ErrorOr<ParentAndName> next = Error::from_errno(ENOENT);
            if (!n.is_error() && n.value() > 0) {
                target[n.value()] = 0;
                next = resolve_parent({ start.root, where.parent }, target, &links);
            } else if (n.is_error()) {
                next = n.release_error();
            }
            heap_free_path(target);
            where = TRY(move(next));
            continue;
        }
        if (loc.inode->is_directory())
            return path_of(loc, start.root, out);
        TRY(path_of(where.parent, start.root, out));
        if (out.size() > 1)
            out.append_char('/');
        out.append(where.name, where.length);
        return out.status();
    }
}

ErrorOr<size_t> read_kernel(OpenFile& file, u64 offset, void* buf, size_t size)
{
    return file.pread(IoBuffer::kernel(buf, size), offset);
}

namespace {
// Shared front half of the calls that create a name: the parent, EEXIST
// for an existing name (before EROFS, as Linux checks), EROFS.
ErrorOr<ParentAndName> prepare_create(const PathStart& start, const char* path, bool is_directory)
{
    ParentAndName where = TRY(resolve_parent(start, path));
    if (where.kind != LastComponent::Normal)
        return Error::from_errno(EEXIST);
    auto existing = where.parent.inode->lookup(where.view());
    if (!existing.is_error())
        return Error::from_errno(EEXIST);
    if (existing.error().code() != ENOENT)
        return existing.release_error();
    // "name/" may only create a directory.
    if (where.trailing_slash && !is_directory)
        return Error::from_errno(ENOENT);
    if (where.parent.mount->read_only())
        return erofs();
    return where;
}
} // namespace

ErrorOr<void> mkdir(const PathStart& start, const char* path, u32 mode)
{
    ParentAndName where = TRY(prepare_create(start, path, true));
    u32 uid, gid;
    u32 dir_mode = S_IFDIR | (mode & (0777 | S_ISVTX));
    owner_for_new(*where.parent.inode, dir_mode, uid, gid);
    TRY(where.parent.inode->create(where.view(), dir_mode, {}, uid, gid));
    return {};
}

ErrorOr<void> mknod(const PathStart& start, const char* path, u32 mode, DeviceNumber dev)
{
    u32 type = mode & S_IFMT;
    if (type == 0)
        type = S_IFREG;
    if (type == S_IFDIR)
        return Error::from_errno(EPERM);
    if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO && type != S_IFSOCK)
        return Error::from_errno(EINVAL);
    ParentAndName where = TRY(prepare_create(start, path, false));
    u32 uid, gid;
    u32 node_mode = type | (mode & MODE_PERMS);
    owner_for_new(*where.parent.inode, node_mode, uid, gid);
    TRY(where.parent.inode->create(where.view(), node_mode, dev, uid, gid));
    return {};
}

ErrorOr<void> unlink(const PathStart& start, const char* path)
{
    ParentAndName where = TRY(resolve_parent(start, path));
    if (where.kind != LastComponent::Normal)
        return Error::from_errno(EISDIR);
    if (where.parent.mount->read_only())
        return erofs();
    MutexGuard guard(MountTable::namespace_lock());
    RefPtr<Inode> child_inode = TRY(where.parent.inode->lookup(where.view()));
    Location child = { where.parent.mount, move(child_inode) };
    if (child.inode->is_directory())
        return Error::from_errno(EISDIR);
    if (where.trailing_slash)
        return Error::from_errno(ENOTDIR);
    if (MountTable::is_mountpoint(child))
        return Error::from_errno(EBUSY);
    return where.parent.inode->unlink(where.view());
}

ErrorOr<void> rmdir(const PathStart& start, const char* path)
{
    ParentAndName where = TRY(resolve_parent(start, path));
    switch (where.kind) {
    case LastComponent::Dot:
        return Error::from_errno(EINVAL);
    case LastComponent::DotDot:
        return Error::from_errno(ENOTEMPTY);
    case LastComponent::Root:
        return Error::from_errno(EBUSY);
    case LastComponent::Normal:
        break;
    }
    if (where.parent.mount->read_only())
        return erofs();
    MutexGuard guard(MountTable::namespace_lock());
    RefPtr<Inode> child_inode = TRY(where.parent.inode->lookup(where.view()));
    Location child = { where.parent.mount, move(child_inode) };
    if (!child.inode->is_directory())
        return Error::from_errno(ENOTDIR);
    if (MountTable::is_mountpoint(child))
        return Error::from_errno(EBUSY);
    return where.parent.inode->rmdir(where.view());
}

ErrorOr<void> rename(const PathStart& old_start, const char* old_path, const PathStart& new_start,
                     const char* new_path, u32 flags)
{
    if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
        return Error::from_errno(EINVAL);
    if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
        return Error::from_errno(EINVAL);
    if (flags & RENAME_WHITEOUT)
        return Error::from_errno(EINVAL); // overlayfs' business; tmpfs here has no whiteouts
    ParentAndName from = TRY(resolve_parent(old_start, old_path));
    ParentAndName to = TRY(resolve_parent(new_start, new_path));
    if (from.parent.mount != to.parent.mount)
        return Error::from_errno(EXDEV);
    if (from.kind != LastComponent::Normal)
        return Error::from_errno(EBUSY);
    if (to.kind != LastComponent::Normal)
        return Error::from_errno(flags & RENAME_NOREPLACE ? EEXIST : EBUSY);
    if (from.parent.mount->read_only())
        return erofs();
    MutexGuard guard(MountTable::namespace_lock());
    RefPtr<Inode> moving_inode = TRY(from.parent.inode->lookup(from.view()));
    Location moving = { from.parent.mount, move(moving_inode) };
    if (!moving.inode->is_directory() && (from.trailing_slash || to.trailing_slash))
        return Error::from_errno(ENOTDIR);
    if (MountTable::is_mountpoint(moving))
        return Error::from_errno(EBUSY);
    auto replaced = to.parent.inode->lookup(to.view());
    if (!replaced.is_error() && MountTable::is_mountpoint({ to.parent.mount, replaced.value() }))
        return Error::from_errno(EBUSY);
    return from.parent.inode->rename(from.view(), *to.parent.inode, to.view(), flags);
}

ErrorOr<void> link(const Location& target, const PathStart& new_start, const char* new_path)
{
    if (target.inode->is_directory())
        return Error::from_errno(EPERM);
    ParentAndName where = TRY(resolve_parent(new_start, new_path));
    if (where.kind != LastComponent::Normal)
        return Error::from_errno(EEXIST);
    auto existing = where.parent.inode->lookup(where.view());
    if (!existing.is_error())
        return Error::from_errno(EEXIST);
    if (where.parent.mount != target.mount)
        return Error::from_errno(EXDEV);
    if (where.trailing_slash)
        return Error::from_errno(ENOENT);
    if (where.parent.mount->read_only())
        return erofs();
    return where.parent.inode->link(where.view(), *target.inode);
}

ErrorOr<void> symlink(const char* target, const PathStart& start, const char* path)
{
    size_t len = strlen(target);
    if (len == 0)
        return Error::from_errno(ENOENT);
    if (len >= PATH_MAX)
        return Error::from_errno(ENAMETOOLONG);
    ParentAndName where = TRY(prepare_create(start, path, false));
    TRY(where.parent.inode->create_symlink(where.view(), StringView(target, len), 0, 0));
    return {};
}

ErrorOr<size_t> readlink(const Location& loc, char* buf, size_t size)
{
    if (!loc.inode->is_symlink())
        return Error::from_errno(EINVAL);
    size_t n = TRY(loc.inode->readlink(buf, size));
    loc.inode->touch_atime();
    return n;
}

ErrorOr<void> truncate(const Location& loc, i64 length)
{
    if (length < 0)
        return Error::from_errno(EINVAL);
    if (loc.inode->is_directory())
        return Error::from_errno(EISDIR);
    if (!loc.inode->is_regular())
        return Error::from_errno(EINVAL);
    if (loc.mount->read_only())
        return erofs();
    return loc.inode->truncate(static_cast<u64>(length));
}

ErrorOr<void> change_attributes(const Location& loc, const AttributeChange& change)
{
    if (loc.mount->read_only())
        return erofs();
    loc.inode->change_attributes(change);
    return {};
}

ErrorOr<void> access(const Location& loc, i32 mode)
{
    if (mode & ~(R_OK | W_OK | X_OK))
        return Error::from_errno(EINVAL);
    if ((mode & W_OK) && write_refused(loc))
        return erofs();
    // Root may read and write anything, and execute what has an x bit
    // (directories are always searchable for root).
    if ((mode & X_OK) && !loc.inode->is_directory() && !(loc.inode->mode() & S_IXUGO))
        return Error::from_errno(EACCES);
    return {};
}

ErrorOr<void> statfs(const Location& loc, LinuxStatfs& out)
{
    memset(&out, 0, sizeof(out));
    TRY(loc.inode->fs().statfs(out));
    u64 mf = loc.mount->flags();
    i64 flags = ST_VALID;
    if (mf & MS_RDONLY)
        flags |= ST_RDONLY;
    if (mf & MS_NOSUID)
        flags |= ST_NOSUID;
    if (mf & MS_NODEV)
        flags |= ST_NODEV;
    if (mf & MS_NOEXEC)
        flags |= ST_NOEXEC;
    if (mf & MS_NOATIME)
        flags |= ST_NOATIME;
    if (mf & MS_RELATIME)
        flags |= ST_RELATIME;
    out.f_flags = flags;
    return {};
}

ErrorOr<void> chdir(FsContext& ctx, const Location& loc)
{
    if (!loc.inode->is_directory())
        return Error::from_errno(ENOTDIR);
    ctx.set_cwd(loc);
    return {};
}

// ---- mounting

namespace {

// Parses tmpfs options: mode=OCTAL, size=N[k|m|g|%]; others are ignored
// (uid=, gid=, nr_inodes=, ...), unknown ones too, as Linux only warns.
ErrorOr<TmpfsOptions> tmpfs_options(const char* data)
{
    TmpfsOptions o;
    if (!data)
        return o;
    const char* p = data;
    while (*p) {
        const char* end = p;
        while (*end && *end != ',')
            end++;
        size_t len = static_cast<size_t>(end - p);
        if (len > 5 && strncmp(p, "mode=", 5) == 0) {
            u32 mode = 0;
            for (const char* q = p + 5; q < end; q++) {
                if (*q < '0' || *q > '7')
                    return Error::from_errno(EINVAL);
                mode = mode * 8 + static_cast<u32>(*q - '0');
            }
            o.root_mode = mode & MODE_PERMS;
        } else if (len > 5 && strncmp(p, "size=", 5) == 0) {
            u64 value = 0;
            const char* q = p + 5;
            for (; q < end && *q >= '0' && *q <= '9'; q++)
                value = value * 10 + static_cast<u64>(*q - '0');
            u64 bytes = value;
            if (q < end) {
                switch (*q) {
                case 'k': case 'K': bytes = value * KiB; break;
                case 'm': case 'M': bytes = value * MiB; break;
                case 'g': case 'G': bytes = value * GiB; break;
                case '%': bytes = pmm_bytes_percent(value); break;
                default: return Error::from_errno(EINVAL);
                }
            }
            o.max_pages = max<u64>(1, (bytes + PAGE_SIZE - 1) / PAGE_SIZE);
        }
        p = *end ? end + 1 : end;
    }
    return o;
}

struct FileSystemType {
    const char* name;
    ErrorOr<RefPtr<Inode>> (*create)(const char* data);
};

ErrorOr<RefPtr<Inode>> make_tmpfs(const char* data)
{
    TmpfsOptions o = TRY(tmpfs_options(data));
    return TmpFs::create(o);
}
ErrorOr<RefPtr<Inode>> make_proc(const char*) { return procfs::create(); }
ErrorOr<RefPtr<Inode>> make_devtmpfs(const char*) { return devfs::create(); }

const FileSystemType s_types[] = {
    { "tmpfs", make_tmpfs },
    { "proc", make_proc },
    { "devtmpfs", make_devtmpfs },
};

} // namespace

size_t filesystem_types(const char** out, size_t max)
{
    size_t n = 0;
    if (n < max)
        out[n++] = "rootfs";
    for (auto& t : s_types) {
        if (n < max)
            out[n++] = t.name;
    }
    return n;
}

ErrorOr<void> mount(const PathStart& start, const char* source, const char* target, const char* type, u64 flags,
                    const char* data)
{
    if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
        flags &= ~MS_MGC_MSK;
    Location at = TRY(resolve(start, target, FOLLOW_FINAL));
    if (flags & MS_REMOUNT) {
        if (!at.mount->is_root_of(*at.inode))
            return Error::from_errno(EINVAL);
        constexpr u64 changeable = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME |
                                   MS_RELATIME | MS_STRICTATIME;
        at.mount->set_flags((at.mount->flags() & ~changeable) | (flags & changeable));
        return {};
    }
    if (flags & (MS_BIND | MS_MOVE))
        return Error::from_errno(EINVAL); // bind and move mounts are not supported
    // Propagation changes (MS_SHARED, MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE):
    // there is one namespace and no propagation, so they change nothing.
    constexpr u64 propagation = (1ull << 20) | (1ull << 18) | (1ull << 19) | (1ull << 17);
    if (flags & propagation)
        return {};
    if (!type)
        return Error::from_errno(ENODEV);
    const FileSystemType* fs_type = nullptr;
    for (auto& t : s_types) {
        if (strcmp(t.name, type) == 0)
            fs_type = &t;
    }
    if (!fs_type)
        return Error::from_errno(ENODEV);
    if (!at.inode->is_directory())
        return Error::from_errno(ENOTDIR);
    RefPtr<Inode> root = TRY(fs_type->create(data));
    MutexGuard guard(MountTable::namespace_lock());
    if (at.inode->nlink() == 0)
        return Error::from_errno(ENOENT); // the directory was removed meanwhile
    constexpr u64 kept = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_NOATIME |
                         MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_DIRSYNC | MS_NOSYMFOLLOW;
    u64 mount_flags = flags & kept;
    if (!(mount_flags & (MS_NOATIME | MS_STRICTATIME)))
        mount_flags |= MS_RELATIME; // Linux's default
    RefPtr<FileSystem> fs(&root->fs());
    TRY(MountTable::mount(move(fs), move(root), at, mount_flags, source ? source : "none"));
    return {};
}

ErrorOr<void> umount(const PathStart& start, const char* target, i32 flags)
{
    if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
        return Error::from_errno(EINVAL);
    if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
        return Error::from_errno(EINVAL);
    Location at = TRY(resolve(start, target, (flags & UMOUNT_NOFOLLOW) ? 0 : FOLLOW_FINAL));
    if (!at.mount->is_root_of(*at.inode))
        return Error::from_errno(EINVAL);
    if (!at.mount->parent())
        return Error::from_errno(EBUSY); // the root file system stays
    MutexGuard guard(MountTable::namespace_lock());
    RefPtr<Mount> mount = at.mount;
    at = {};
    // References the caller holds: `mount` here.
    return MountTable::umount(mount, 1, flags & MNT_DETACH);
}

} // namespace vfs
} // namespace fs
