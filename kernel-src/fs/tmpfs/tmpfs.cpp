#include <fs/io_prefix.hpp>
#include <fs/tmpfs/tmpfs.hpp>
#include <lib/format.hpp>
#include <lib/string.hpp>
#include <mm/heap.hpp>
#include <mm/accounting.hpp>
#include <mm/page_ref.hpp>
#include <mm/pmm.hpp>

namespace fs {
namespace {
// A tmpfs directory's st_size grows by this per entry (BOGO_DIRENT_SIZE in
// mm/shmem.c), starting from two for "." and "..".
constexpr u64 BOGO_DIRENT_SIZE = 20;

u64 pages_for(u64 bytes) { return (bytes + PAGE_SIZE - 1) / PAGE_SIZE; }
} // namespace

// ---- the file system

TmpFs::TmpFs(const TmpfsOptions& o)
    : m_type_name(o.type_name), m_magic(o.magic), m_root_mode(o.root_mode), m_default_mode(o.default_mode),
      m_max_pages(o.max_pages)
{
    if (!m_max_pages)
        m_max_pages = pmm::stats().managed_pages / 2;
}

ErrorOr<RefPtr<Inode>> TmpFs::create(const TmpfsOptions& options)
{
    auto fs = adopt(new (std::nothrow) TmpFs(options));
    if (!fs)
        return Error::from_errno(ENOMEM);
    auto root = adopt(static_cast<Inode*>(
        new (std::nothrow) TmpfsDirectory(*fs, S_IFDIR | (options.root_mode & MODE_PERMS), 0, 0, nullptr)));
    if (!root)
        return Error::from_errno(ENOMEM);
    return root;
}

ErrorOr<void> TmpFs::statfs(LinuxStatfs& out) const
{
    u64 used = m_pages_used.load();
    out.f_type = m_magic;
    out.f_bsize = PAGE_SIZE;
    out.f_blocks = m_max_pages;
    out.f_bfree = out.f_bavail = used < m_max_pages ? m_max_pages - used : 0;
    // Linux's default inode limit is the number of low-memory pages / 2.
    out.f_files = m_max_pages;
    u64 inodes = m_inodes.load();
    out.f_ffree = inodes < m_max_pages ? m_max_pages - inodes : 0;
    out.f_namelen = NAME_MAX;
    out.f_frsize = PAGE_SIZE;
    return {};
}

void TmpFs::mount_options(char* buf, size_t size) const
{
    // shmem_show_options: the mode only when it is not the default.
    if ((m_root_mode & MODE_PERMS) != m_default_mode)
        format(buf, size, ",mode=%o", m_root_mode & MODE_PERMS);
    else if (size)
        buf[0] = 0;
}

ErrorOr<void> TmpFs::charge_pages(u64 count)
{
    u64 used = m_pages_used.load();
    for (;;) {
        if (used + count > m_max_pages)
            return Error::from_errno(ENOSPC);
        if (m_pages_used.compare_exchange(used, used + count))
            return {};
    }
}

void TmpFs::uncharge_pages(u64 count) { m_pages_used.fetch_sub(count); }

// ---- regular files

TmpfsFile::TmpfsFile(TmpFs& fs, u32 mode, u32 uid, u32 gid)
    : Inode(fs, fs.allocate_ino(), S_IFREG | (mode & MODE_PERMS), uid, gid)
{
    fs.inode_created();
}

TmpfsFile::~TmpfsFile()
{
    drop_shared_locked(); // nobody else holds a reference to the file now
    tmpfs().uncharge_pages(m_pages.data_pages());
    tmpfs().inode_destroyed();
    // m_pages frees the pages themselves.
}

void TmpfsFile::make_unnamed()
{
    MutexGuard guard(lock());
    set_nlink_locked(0);
    m_linkable = true;
}

void TmpfsFile::set_borrowed_data(const u8* data, u64 size)
{
    MutexGuard guard(lock());
    free_pages_from_locked(0);
    drop_shared_locked();
    m_borrowed = data;
    set_size_locked(size);
    update_blocks_locked();
}

void TmpfsFile::update_blocks_locked()
{
    // st_blocks counts 512-byte units; borrowed data counts as the pages it
    // would occupy.
    u64 pages = m_borrowed ? pages_for(size_locked()) : m_pages.data_pages();
    set_blocks_locked(pages * (PAGE_SIZE / 512));
}

void TmpfsFile::free_pages_from_locked(u64 index)
{
    u64 before = m_pages.data_pages();
    m_pages.free_from(index);
    tmpfs().uncharge_pages(before - m_pages.data_pages());
}

ErrorOr<void> TmpfsFile::materialize_locked()
{
    if (!m_borrowed)
        return {};
    u64 size = size_locked();
    u64 pages = pages_for(size);
    TRY(tmpfs().charge_pages(pages));
    for (u64 i = 0; i < pages; i++) {
        auto page = m_pages.get_or_create(i);
        if (page.is_error()) {
            tmpfs().uncharge_pages(pages - m_pages.data_pages());
            free_pages_from_locked(0);
            return page.release_error();
        }
        u64 chunk = min<u64>(PAGE_SIZE, size - i * PAGE_SIZE);
        memcpy(phys_to_ptr<u8>(page.value()), m_borrowed + i * PAGE_SIZE, chunk);
    }
    m_borrowed = nullptr;
    // Mappings keep the pages they have (their own references); new ones
    // read the file's own pages from now on.
    drop_shared_locked();
    return {};
}

void TmpfsFile::drop_shared_locked()
{
    for (u64 i = 0; i < m_shared_slots; i++) {
        if (m_shared[i]) {
            page_ref::put(m_shared[i]);
            accounting::page_cache.sub(1);
        }
    }
    heap::free(m_shared);
    m_shared = nullptr;
    m_shared_slots = 0;
}

ErrorOr<PhysAddr> TmpfsFile::shared_page(u64 index)
{
    MutexGuard guard(lock());
    if (!m_borrowed)
        return Error::from_errno(ENOTSUP);
    u64 size = size_locked();
    u64 pages = pages_for(size);
    if (index >= pages)
        return Error::from_errno(EINVAL);
    if (!m_shared) {
        // The whole file at once, on its first mapping: the cache grows when
        // a program runs for the first time, not page by page later (as
        // Linux reads ahead), so memory use settles after one run.
        m_shared = static_cast<PhysAddr*>(heap::alloc(pages * sizeof(PhysAddr)));
        if (!m_shared)
            return Error::from_errno(ENOMEM);
        memset(m_shared, 0, pages * sizeof(PhysAddr));
        m_shared_slots = pages;
        for (u64 i = 0; i < pages; i++) {
            auto page = page_ref::alloc_zeroed();
            if (page.is_error()) {
                drop_shared_locked(); // the fault handler copies instead
                return page.release_error();
            }
            u64 chunk = min<u64>(PAGE_SIZE, size - i * PAGE_SIZE);
            memcpy(phys_to_ptr<u8>(page.value()), m_borrowed + i * PAGE_SIZE, chunk);
            m_shared[i] = page.value();
            accounting::page_cache.add(1);
        }
    }
    page_ref::get(m_shared[index]);
    return m_shared[index];
}

ErrorOr<size_t> TmpfsFile::read(u64 offset, const IoBuffer& buf)
{
    MutexGuard guard(lock());
    u64 size = size_locked();
    if (offset >= size || buf.size() == 0)
        return 0;
    u64 total = min<u64>(buf.size(), size - offset);
    u64 done = 0;
    while (done < total) {
        u64 pos = offset + done;
        u64 in_page = pos % PAGE_SIZE;
        u64 chunk = min<u64>(PAGE_SIZE - in_page, total - done);
        size_t copied;
        if (m_borrowed) {
            copied = write_prefix(buf, done, m_borrowed + pos, chunk);
        } else {
            // A hole reads as zeros.
            PhysAddr page = m_pages.get(pos / PAGE_SIZE);
            copied = page ? write_prefix(buf, done, phys_to_ptr<u8>(page) + in_page, chunk)
                          : zero_prefix(buf, done, chunk);
        }
        done += copied;
        if (copied < chunk)
            break; // a short read up to the bad address
    }
    if (done == 0)
        return Error::from_errno(EFAULT);
    return done;
}

ErrorOr<size_t> TmpfsFile::write(u64& offset, const IoBuffer& buf, bool append)
{
    MutexGuard guard(lock());
    if (append)
        offset = size_locked();
    if (buf.size() == 0)
        return 0;
    if (offset >= MAX_SIZE)
        return Error::from_errno(EFBIG);
    u64 total = min<u64>(buf.size(), MAX_SIZE - offset);
    TRY(materialize_locked());
    u64 done = 0;
    Error failure = Error::from_errno(0);
    while (done < total) {
        u64 pos = offset + done;
        u64 in_page = pos % PAGE_SIZE;
        u64 chunk = min<u64>(PAGE_SIZE - in_page, total - done);
        u64 index = pos / PAGE_SIZE;
        PhysAddr page = m_pages.get(index);
        if (!page) {
            auto charged = tmpfs().charge_pages(1);
            if (charged.is_error()) {
                failure = charged.release_error();
                break;
            }
            auto fresh = m_pages.get_or_create(index);
            if (fresh.is_error()) {
                tmpfs().uncharge_pages(1);
                failure = fresh.release_error();
                break;
            }
            page = fresh.value();
        }
        size_t copied = read_prefix(buf, done, phys_to_ptr<u8>(page) + in_page, chunk);
        done += copied;
        if (copied < chunk) {
            failure = Error::from_errno(EFAULT);
            break;
        }
    }
    if (done == 0 && failure.code())
        return failure;
    if (offset + done > size_locked())
        set_size_locked(offset + done);
    update_blocks_locked();
    if (done)
        touch_mtime_ctime_locked();
    return done;
}

ErrorOr<void> TmpfsFile::truncate(u64 size)
{
    MutexGuard guard(lock());
    if (size > MAX_SIZE)
        return Error::from_errno(EFBIG);
    TRY(materialize_locked());
    u64 old = size_locked();
    if (size < old) {
        free_pages_from_locked(pages_for(size));
        // Zero the tail of the last page kept, so growing the file again
        // reads zeros there (as a hole would).
        if (size % PAGE_SIZE) {
            PhysAddr last = m_pages.get(size / PAGE_SIZE);
            if (last)
                memset(phys_to_ptr<u8>(last) + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
        }
    }
    set_size_locked(size);
    update_blocks_locked();
    touch_mtime_ctime_locked();
    return {};
}

// ---- directories

TmpfsDirectory::Entry::Entry(Entry&& o) : name(o.name), length(o.length), cookie(o.cookie), inode(move(o.inode))
{
    o.name = nullptr;
}

TmpfsDirectory::Entry& TmpfsDirectory::Entry::operator=(Entry&& o)
{
    if (this != &o) {
        heap::free(name);
        name = o.name;
        length = o.length;
        cookie = o.cookie;
        inode = move(o.inode);
        o.name = nullptr;
    }
    return *this;
}

TmpfsDirectory::Entry::~Entry() { heap::free(name); }

TmpfsDirectory::TmpfsDirectory(TmpFs& fs, u32 mode, u32 uid, u32 gid, TmpfsDirectory* parent)
    : Inode(fs, fs.allocate_ino(), S_IFDIR | (mode & MODE_PERMS), uid, gid), m_parent(parent)
{
    set_nlink_locked(2);
    set_size_locked(2 * BOGO_DIRENT_SIZE);
    fs.inode_created();
}

TmpfsDirectory::~TmpfsDirectory() { tmpfs().inode_destroyed(); }

TmpfsDirectory::Entry* TmpfsDirectory::find_locked(StringView name)
{
    i64 i = index_locked(name);
    return i < 0 ? nullptr : &m_entries[static_cast<size_t>(i)];
}

i64 TmpfsDirectory::index_locked(StringView name)
{
    for (size_t i = 0; i < m_entries.size(); i++) {
        Entry& e = m_entries[i];
        if (e.length == name.length() && memcmp(e.name, name.chars(), name.length()) == 0)
            return static_cast<i64>(i);
    }
    return -1;
}

ErrorOr<void> TmpfsDirectory::add_locked(StringView name, RefPtr<Inode> inode)
{
    if (name.length() > NAME_MAX)
        return Error::from_errno(ENAMETOOLONG);
    Entry e;
    e.name = static_cast<char*>(heap::alloc(name.length() + 1));
    if (!e.name)
        return Error::from_errno(ENOMEM);
    memcpy(e.name, name.chars(), name.length());
    e.name[name.length()] = 0;
    e.length = static_cast<u32>(name.length());
    e.cookie = m_next_cookie;
    e.inode = move(inode);
    TRY(m_entries.append(move(e)));
    m_next_cookie++;
    MutexGuard guard(lock());
    set_size_locked(size_locked() + BOGO_DIRENT_SIZE);
    touch_mtime_ctime_locked();
    return {};
}

void TmpfsDirectory::remove_at_locked(size_t index)
{
    m_entries.remove(index);
    MutexGuard guard(lock());
    set_size_locked(size_locked() - BOGO_DIRENT_SIZE);
    touch_mtime_ctime_locked();
}

ErrorOr<RefPtr<Inode>> TmpfsDirectory::make_child_locked(u32 mode, DeviceNumber rdev, u32 uid, u32 gid)
{
    Inode* inode;
    switch (mode & S_IFMT) {
    case S_IFREG:
        inode = new (std::nothrow) TmpfsFile(tmpfs(), mode, uid, gid);
        break;
    case S_IFDIR:
        inode = new (std::nothrow) TmpfsDirectory(tmpfs(), mode, uid, gid, this);
        break;
    case S_IFCHR:
    case S_IFBLK:
    case S_IFIFO:
    case S_IFSOCK:
        inode = new (std::nothrow) TmpfsNode(tmpfs(), mode, rdev, uid, gid);
        break;
    default:
        return Error::from_errno(EINVAL);
    }
    if (!inode)
        return Error::from_errno(ENOMEM);
    return adopt(inode);
}

ErrorOr<RefPtr<Inode>> TmpfsDirectory::lookup(StringView name)
{
    MutexGuard guard(tmpfs().tree_lock());
    Entry* e = find_locked(name);
    if (!e)
        return Error::from_errno(ENOENT);
    return e->inode;
}

ErrorOr<RefPtr<Inode>> TmpfsDirectory::create(StringView name, u32 mode, DeviceNumber rdev, u32 uid, u32 gid)
{
    MutexGuard guard(tmpfs().tree_lock());
    if (m_removed)
        return Error::from_errno(ENOENT);
    if (find_locked(name))
        return Error::from_errno(EEXIST);
    RefPtr<Inode> child = TRY(make_child_locked(mode, rdev, uid, gid));
    TRY(add_locked(name, child));
    if (child->is_directory())
        adjust_nlink(1);
    return child;
}

ErrorOr<RefPtr<Inode>> TmpfsDirectory::create_symlink(StringView name, StringView target, u32 uid, u32 gid)
{
    MutexGuard guard(tmpfs().tree_lock());
    if (m_removed)
        return Error::from_errno(ENOENT);
    if (find_locked(name))
        return Error::from_errno(EEXIST);
    auto* link = new (std::nothrow) TmpfsSymlink(tmpfs(), uid, gid);
    if (!link)
        return Error::from_errno(ENOMEM);
    RefPtr<Inode> child = adopt(static_cast<Inode*>(link));
    TRY(link->set_target(target));
    TRY(add_locked(name, child));
    return child;
}

ErrorOr<RefPtr<Inode>> TmpfsDirectory::create_unnamed(u32 mode, u32 uid, u32 gid)
{
    auto* file = new (std::nothrow) TmpfsFile(tmpfs(), mode, uid, gid);
    if (!file)
        return Error::from_errno(ENOMEM);
    RefPtr<Inode> inode = adopt(static_cast<Inode*>(file));
    file->make_unnamed();
    return inode;
}

ErrorOr<void> TmpfsDirectory::link(StringView name, Inode& target)
{
    if (&target.fs() != &fs())
        return Error::from_errno(EXDEV);
    if (target.is_directory())
        return Error::from_errno(EPERM);
    MutexGuard guard(tmpfs().tree_lock());
    if (m_removed)
        return Error::from_errno(ENOENT);
    if (find_locked(name))
        return Error::from_errno(EEXIST);
    if (target.nlink() == 0) {
        // Only an O_TMPFILE file may come back from zero links.
        if (!target.is_regular() || !static_cast<TmpfsFile&>(target).linkable())
            return Error::from_errno(ENOENT);
    }
    TRY(add_locked(name, RefPtr<Inode>(&target)));
    target.adjust_nlink(1);
    return {};
}

ErrorOr<void> TmpfsDirectory::unlink(StringView name)
{
    MutexGuard guard(tmpfs().tree_lock());
    i64 i = index_locked(name);
    if (i < 0)
        return Error::from_errno(ENOENT);
    RefPtr<Inode> child = m_entries[static_cast<size_t>(i)].inode;
    if (child->is_directory())
        return Error::from_errno(EISDIR);
    remove_at_locked(static_cast<size_t>(i));
    child->adjust_nlink(-1);
    return {};
}

ErrorOr<void> TmpfsDirectory::rmdir(StringView name)
{
    MutexGuard guard(tmpfs().tree_lock());
    i64 i = index_locked(name);
    if (i < 0)
        return Error::from_errno(ENOENT);
    RefPtr<Inode> child = m_entries[static_cast<size_t>(i)].inode;
    if (!child->is_directory())
        return Error::from_errno(ENOTDIR);
    auto& dir = static_cast<TmpfsDirectory&>(*child);
    if (!dir.empty_locked())
        return Error::from_errno(ENOTEMPTY);
    remove_at_locked(static_cast<size_t>(i));
    dir.m_removed = true;
    dir.m_parent = nullptr;
    {
        MutexGuard child_guard(dir.lock());
        dir.set_nlink_locked(0);
        dir.touch_ctime_locked();
    }
    adjust_nlink(-1);
    return {};
}

ErrorOr<void> TmpfsDirectory::exchange_locked(StringView old_name, TmpfsDirectory& new_dir, StringView new_name)
{
    Entry* a = find_locked(old_name);
    Entry* b = new_dir.find_locked(new_name);
    if (!a || !b)
        return Error::from_errno(ENOENT);
    if (a->inode == b->inode)
        return {};
    // Neither directory may end up inside itself.
    auto inside = [](TmpfsDirectory* start, Inode* ancestor) {
        for (TmpfsDirectory* d = start; d; d = d->m_parent) {
            if (d == ancestor)
                return true;
        }
        return false;
    };
    if (a->inode->is_directory() && inside(&new_dir, a->inode.ptr()))
        return Error::from_errno(EINVAL);
    if (b->inode->is_directory() && inside(this, b->inode.ptr()))
        return Error::from_errno(EINVAL);
    RefPtr<Inode> first = move(a->inode);
    a->inode = move(b->inode);
    b->inode = move(first);
    // a now names what was b (it moved here), b what was a.
    if (a->inode->is_directory())
        static_cast<TmpfsDirectory&>(*a->inode).m_parent = this;
    if (b->inode->is_directory())
        static_cast<TmpfsDirectory&>(*b->inode).m_parent = &new_dir;
    if (&new_dir != this && a->inode->is_directory() != b->inode->is_directory()) {
        int into_new = b->inode->is_directory() ? 1 : -1;
        new_dir.adjust_nlink(into_new);
        adjust_nlink(-into_new);
    }
    touch_mtime_ctime();
    new_dir.touch_mtime_ctime();
    a->inode->touch_ctime();
    b->inode->touch_ctime();
    return {};
}

ErrorOr<void> TmpfsDirectory::rename(StringView old_name, Inode& new_dir_inode, StringView new_name, u32 flags)
{
    if (&new_dir_inode.fs() != &fs())
        return Error::from_errno(EXDEV);
    if (!new_dir_inode.is_directory())
        return Error::from_errno(ENOTDIR);
    auto& new_dir = static_cast<TmpfsDirectory&>(new_dir_inode);
    MutexGuard guard(tmpfs().tree_lock());
    if (flags & RENAME_EXCHANGE)
        return exchange_locked(old_name, new_dir, new_name);
    i64 old_index = index_locked(old_name);
    if (old_index < 0)
        return Error::from_errno(ENOENT);
    if (new_dir.m_removed)
        return Error::from_errno(ENOENT);
    RefPtr<Inode> moving = m_entries[static_cast<size_t>(old_index)].inode;
    i64 target_index = new_dir.index_locked(new_name);
    RefPtr<Inode> target = target_index >= 0 ? new_dir.m_entries[static_cast<size_t>(target_index)].inode : nullptr;
    // Two names of one inode: nothing to do (rename(2) says so).
    if (target == moving)
        return {};
    if (target && (flags & RENAME_NOREPLACE))
        return Error::from_errno(EEXIST);
    if (moving->is_directory()) {
        // Not into itself or below itself.
        for (TmpfsDirectory* d = &new_dir; d; d = d->m_parent) {
            if (d == moving.ptr())
                return Error::from_errno(EINVAL);
        }
        if (target && !target->is_directory())
            return Error::from_errno(ENOTDIR);
        if (target && !static_cast<TmpfsDirectory&>(*target).empty_locked())
            return Error::from_errno(ENOTEMPTY);
    } else if (target && target->is_directory()) {
        return Error::from_errno(EISDIR);
    }

    // Make room for the new entry first, so nothing is lost on ENOMEM.
    if (!target)
        TRY(new_dir.m_entries.ensure_capacity(new_dir.m_entries.size() + 1));
    char* name_copy = static_cast<char*>(heap::alloc(new_name.length() + 1));
    if (!name_copy)
        return Error::from_errno(ENOMEM);
    memcpy(name_copy, new_name.chars(), new_name.length());
    name_copy[new_name.length()] = 0;

    if (target) {
        // The replaced inode loses this link.
        if (target->is_directory()) {
            auto& victim = static_cast<TmpfsDirectory&>(*target);
            victim.m_removed = true;
            victim.m_parent = nullptr;
            MutexGuard victim_guard(victim.lock());
            victim.set_nlink_locked(0);
            victim.touch_ctime_locked();
        } else {
            target->adjust_nlink(-1);
        }
        if (target->is_directory())
            new_dir.adjust_nlink(-1);
        new_dir.remove_at_locked(static_cast<size_t>(target_index));
        if (&new_dir == this && target_index < old_index)
            old_index--;
    }
    remove_at_locked(static_cast<size_t>(old_index));
    Entry e;
    e.name = name_copy;
    e.length = static_cast<u32>(new_name.length());
    e.cookie = new_dir.m_next_cookie++;
    e.inode = moving;
    (void)new_dir.m_entries.append(move(e)); // capacity reserved above (or freed by the removals)
    {
        MutexGuard dir_guard(new_dir.lock());
        new_dir.set_size_locked(new_dir.size_locked() + BOGO_DIRENT_SIZE);
        new_dir.touch_mtime_ctime_locked();
    }
    if (moving->is_directory()) {
        static_cast<TmpfsDirectory&>(*moving).m_parent = &new_dir;
        if (&new_dir != this) {
            adjust_nlink(-1);
            new_dir.adjust_nlink(1);
        }
    }
    moving->touch_ctime();
    return {};
}

ErrorOr<void> TmpfsDirectory::iterate(u64 pos, DirSink& sink)
{
    MutexGuard guard(tmpfs().tree_lock());
    if (m_removed)
        return {}; // a removed directory lists nothing, not even . and ..
    u64 parent_ino = m_parent ? m_parent->ino() : ino();
    if (!emit_dots(pos, sink, ino(), parent_ino))
        return {};
    for (auto& e : m_entries) {
        if (e.cookie < pos)
            continue;
        u8 dtype = dt_from_mode(e.inode->type());
        if (!sink.emit(StringView(e.name, e.length), e.inode->ino(), dtype, e.cookie + 1))
            break;
    }
    return {};
}

ErrorOr<RefPtr<Inode>> TmpfsDirectory::parent()
{
    MutexGuard guard(tmpfs().tree_lock());
    if (m_removed)
        return Error::from_errno(ENOENT);
    if (!m_parent)
        return RefPtr<Inode>(this);
    return RefPtr<Inode>(m_parent);
}

ErrorOr<size_t> TmpfsDirectory::name_of(u64 child_ino, char* buf, size_t size)
{
    MutexGuard guard(tmpfs().tree_lock());
    for (auto& e : m_entries) {
        if (e.inode->ino() == child_ino) {
            StringView(e.name, e.length).copy_to(buf, size);
            return e.length;
        }
    }
    return Error::from_errno(ENOENT);
}

ErrorOr<void> TmpfsDirectory::remove_recursively(StringView name)
{
    RefPtr<Inode> child = TRY(lookup(name));
    if (child->is_directory()) {
        auto& dir = static_cast<TmpfsDirectory&>(*child);
        for (;;) {
            char entry_name[NAME_MAX + 1];
            {
                MutexGuard guard(tmpfs().tree_lock());
                if (dir.m_entries.empty())
                    break;
                Entry& e = dir.m_entries.last();
                StringView(e.name, e.length).copy_to(entry_name, sizeof(entry_name));
            }
            TRY(dir.remove_recursively(StringView(entry_name)));
        }
        return rmdir(name);
    }
    return unlink(name);
}

void TmpfsDirectory::set_all_times(Timespec t)
{
    MutexGuard guard(lock());
    set_times_locked(t, t, t);
}

// ---- symlinks and nodes

TmpfsSymlink::TmpfsSymlink(TmpFs& fs, u32 uid, u32 gid) : Inode(fs, fs.allocate_ino(), S_IFLNK | 0777, uid, gid)
{
    fs.inode_created();
}

TmpfsSymlink::~TmpfsSymlink()
{
    heap::free(m_target);
    static_cast<TmpFs&>(fs()).inode_destroyed();
}

ErrorOr<void> TmpfsSymlink::set_target(StringView target)
{
    char* copy = static_cast<char*>(heap::alloc(target.length() + 1));
    if (!copy)
        return Error::from_errno(ENOMEM);
    memcpy(copy, target.chars(), target.length());
    copy[target.length()] = 0;
    MutexGuard guard(lock());
    heap::free(m_target);
    m_target = copy;
    m_length = target.length();
    set_size_locked(m_length);
    return {};
}

ErrorOr<size_t> TmpfsSymlink::readlink(char* buf, size_t size)
{
    MutexGuard guard(lock());
    size_t n = min(m_length, size);
    memcpy(buf, m_target, n);
    return n;
}

TmpfsNode::TmpfsNode(TmpFs& fs, u32 mode, DeviceNumber rdev, u32 uid, u32 gid)
    : Inode(fs, fs.allocate_ino(), mode, uid, gid, rdev)
{
    fs.inode_created();
}

TmpfsNode::~TmpfsNode() { static_cast<TmpFs&>(fs()).inode_destroyed(); }

} // namespace fs
