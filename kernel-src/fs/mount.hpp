#pragma once
// Mounts and locations. A Mount attaches a file system's root inode on a
// directory (its mount point) of a parent mount; the mount table lists them.
// A Location is (mount, inode): where a path lookup stands, what a working
// directory, a root or an open file refers to. Holding a Location keeps the
// mount, and so its file system, alive; umount refuses (EBUSY) while anyone
// but the table holds the mount, unless asked to detach lazily.
#include <fs/file_system.hpp>
#include <fs/inode.hpp>
#include <lib/ref_ptr.hpp>
#include <lib/vector.hpp>

namespace fs {

class Mount;

struct Location {
    RefPtr<Mount> mount;
    RefPtr<Inode> inode;

    explicit operator bool() const { return inode && mount; }
    // Same object: same mount and same inode number (procfs makes fresh
    // inode objects for the same file).
    bool same_as(const Location& o) const;
};

class Mount : public RefCounted<Mount> {
public:
    Mount(RefPtr<FileSystem> fs, RefPtr<Inode> root, u64 flags, const char* source);

    FileSystem& fs() const { return *m_fs; }
    const RefPtr<Inode>& root() const { return m_root; }
    // The mount this one sits on and the directory it covers (null for /
    // and for internal mounts such as the pipe file system).
    const RefPtr<Mount>& parent() const { return m_parent; }
    const RefPtr<Inode>& mountpoint() const { return m_mountpoint; }
    u64 flags() const { return m_flags.load(__ATOMIC_RELAXED); }
    void set_flags(u64 flags) { m_flags.store(flags, __ATOMIC_RELAXED); }
    bool read_only() const { return flags() & MS_RDONLY; }
    const char* source() const { return m_source; }
    u32 id() const { return m_id; }
    bool is_root_of(const Inode& inode) const { return m_root->ino() == inode.ino(); }

private:
    friend class MountTable;
    RefPtr<FileSystem> m_fs;
    RefPtr<Inode> m_root;
    RefPtr<Mount> m_parent;
    RefPtr<Inode> m_mountpoint;
    Atomic<u64> m_flags;
    char m_source[64];
    u32 m_id;
};

// The system-wide mount table (one namespace). The table itself is guarded
// by a spinlock held only to search or edit the list. namespace_lock() is
// the outermost file-system Mutex: mount, umount, and the namespace changes
// that must not race with them (rmdir, rename, unlink of a mount point)
// hold it across their check and the change.
class MountTable {
public:
    // Mounts `fs` (whose root is `root`) on `target`, or as the root mount
    // when target is empty (the first mount). EBUSY if a root exists already.
    static ErrorOr<RefPtr<Mount>> mount(RefPtr<FileSystem> fs, RefPtr<Inode> root, const Location& target, u64 flags,
                                        const char* source);
    // Removes `mount` (which must be a mount root location's mount). EBUSY
    // while something uses it (`extra_refs` references held by the caller
    // are not counted) unless `detach`; EINVAL for the root mount.
    static ErrorOr<void> umount(const RefPtr<Mount>& mount, u32 extra_refs, bool detach);
    // The topmost mount covering (parent, inode), or null.
    static RefPtr<Mount> mounted_on(const Mount& parent, u64 ino);
    static bool is_mountpoint(const Location& loc) { return loc && mounted_on(*loc.mount, loc.inode->ino()); }
    static Location root();
    // Snapshot of the table in mount order.
    static ErrorOr<void> list(Vector<RefPtr<Mount>>& out);
    static Mutex& namespace_lock();
};

// Steps down through every mount stacked on `loc`.
Location cross_mounts(Location loc);

} // namespace fs
