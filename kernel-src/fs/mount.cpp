#include <fs/mount.hpp>
#include <lib/spinlock.hpp>
#include <lib/string.hpp>

namespace fs {
namespace {
Spinlock s_table_lock;          // guards s_mounts
Vector<RefPtr<Mount>>* s_mounts; // in mount order; created with the first mount
Mutex s_namespace_lock;
Atomic<u32> s_next_mount_id { 1 };

// Index of `mount` in the table, or -1. Call with s_table_lock held.
i64 index_of(const Mount& mount)
{
    for (size_t i = 0; s_mounts && i < s_mounts->size(); i++) {
        if ((*s_mounts)[i].ptr() == &mount)
            return static_cast<i64>(i);
    }
    return -1;
}
} // namespace

bool Location::same_as(const Location& o) const
{
    return mount == o.mount && inode && o.inode && inode->ino() == o.inode->ino();
}

Mount::Mount(RefPtr<FileSystem> fs, RefPtr<Inode> root, u64 flags, const char* source)
    : m_fs(move(fs)), m_root(move(root)), m_flags(flags), m_id(s_next_mount_id.fetch_add(1))
{
    strlcpy(m_source, source ? source : "none", sizeof(m_source));
}

ErrorOr<RefPtr<Mount>> MountTable::mount(RefPtr<FileSystem> fs, RefPtr<Inode> root, const Location& target,
                                         u64 flags, const char* source)
{
    auto mount = adopt(new (std::nothrow) Mount(move(fs), move(root), flags, source));
    if (!mount)
        return Error::from_errno(ENOMEM);
    if (target) {
        mount->m_parent = target.mount;
        mount->m_mountpoint = target.inode;
    }
    if (!s_mounts) {
        s_mounts = new (std::nothrow) Vector<RefPtr<Mount>>();
        if (!s_mounts)
            return Error::from_errno(ENOMEM);
    }
    // Reserve first so the append under the spinlock cannot fail half-way.
    TRY(s_mounts->ensure_capacity(s_mounts->size() + 1));
    SpinlockGuard guard(s_table_lock);
    if (!target && s_mounts->size() > 0)
        return Error::from_errno(EBUSY);
    (void)s_mounts->append(mount);
    return mount;
}

ErrorOr<void> MountTable::umount(const RefPtr<Mount>& mount, u32 extra_refs, bool detach)
{
    if (!mount->parent())
        return Error::from_errno(EINVAL);
    // Removed entries are dropped after the spinlock is released (dropping
    // the last reference to a mount frees its file system).
    Vector<RefPtr<Mount>> removed;
    TRY(removed.ensure_capacity(s_mounts ? s_mounts->size() : 0));
    SpinlockGuard guard(s_table_lock);
    i64 i = index_of(*mount);
    if (i < 0)
        return Error::from_errno(EINVAL);
    // References: the table's, the caller's, and anyone else's (open
    // files, working directories, mounts stacked on it or below it).
    if (!detach && mount->ref_count() > 1 + extra_refs)
        return Error::from_errno(EBUSY);
    // A lazy unmount takes every mount beneath it along.
    for (size_t k = s_mounts->size(); k-- > 0;) {
        bool beneath = false;
        for (Mount* m = (*s_mounts)[k].ptr(); m; m = m->parent().ptr()) {
            if (m == mount.ptr()) {
                beneath = true;
                break;
            }
        }
        if (beneath) {
            (void)removed.append(move((*s_mounts)[k]));
            s_mounts->remove(k);
        }
    }
    return {};
}

RefPtr<Mount> MountTable::mounted_on(const Mount& parent, u64 ino)
{
    SpinlockGuard guard(s_table_lock);
    for (size_t i = s_mounts ? s_mounts->size() : 0; i-- > 0;) {
        Mount& m = *(*s_mounts)[i];
        if (m.parent().ptr() == &parent && m.mountpoint()->ino() == ino)
            return RefPtr<Mount>(&m);
    }
    return nullptr;
}

Location MountTable::root()
{
    SpinlockGuard guard(s_table_lock);
    if (!s_mounts || s_mounts->empty())
        return {};
    Mount& m = *(*s_mounts)[0];
    return { RefPtr<Mount>(&m), m.root() };
}

ErrorOr<void> MountTable::list(Vector<RefPtr<Mount>>& out)
{
    out.clear();
    for (;;) {
        size_t wanted;
        {
            SpinlockGuard guard(s_table_lock);
            wanted = s_mounts ? s_mounts->size() : 0;
            if (out.empty() && wanted == 0)
                return {};
        }
        TRY(out.ensure_capacity(wanted));
        SpinlockGuard guard(s_table_lock);
        if (s_mounts->size() > wanted)
            continue; // grew meanwhile: reserve again
        for (auto& m : *s_mounts)
            (void)out.append(m);
        return {};
    }
}

Mutex& MountTable::namespace_lock() { return s_namespace_lock; }

Location cross_mounts(Location loc)
{
    while (loc) {
        RefPtr<Mount> above = MountTable::mounted_on(*loc.mount, loc.inode->ino());
        if (!above)
            break;
        loc.inode = above->root();
        loc.mount = move(above);
    }
    return loc;
}

} // namespace fs
