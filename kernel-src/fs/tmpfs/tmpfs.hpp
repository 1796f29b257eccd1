#pragma once
// tmpfs: a file system whose files live in memory. It backs /tmp (tmpfs),
// /dev (devtmpfs, with device nodes) and the root file system unpacked from
// the initrd (rootfs, mounted read-only, with file data borrowed from the
// archive). Directory structure is guarded by one tree Mutex per instance;
// file data and metadata by each inode's own Mutex (taken after the tree's).
#include <fs/file_system.hpp>
#include <fs/inode.hpp>
#include <fs/tmpfs/page_tree.hpp>
#include <lib/vector.hpp>

namespace fs {

struct TmpfsOptions {
    const char* type_name = "tmpfs";
    i64 magic = TMPFS_MAGIC;
    u32 root_mode = 01777;
    // /proc/mounts shows mode= only when it differs from this (01777 for
    // tmpfs and devtmpfs, 0755 for rootfs, which Linux backs with ramfs).
    u32 default_mode = 01777;
    // Data pages allowed (ENOSPC beyond); 0: half of RAM, Linux's default.
    u64 max_pages = 0;
};

class TmpFs final : public FileSystem {
public:
    // A new, empty instance; returns its root directory.
    static ErrorOr<RefPtr<Inode>> create(const TmpfsOptions& options = {});

    const char* type_name() const override { return m_type_name; }
    ErrorOr<void> statfs(LinuxStatfs& out) const override;
    void mount_options(char* buf, size_t size) const override;

    Mutex& tree_lock() { return m_tree_lock; }
    // Reserves data pages against the size limit (ENOSPC).
    ErrorOr<void> charge_pages(u64 count);
    void uncharge_pages(u64 count);
    u64 pages_used() const { return m_pages_used.load(); }
    u64 inode_count() const { return m_inodes.load(); }
    void inode_created() { m_inodes.fetch_add(1); }
    void inode_destroyed() { m_inodes.fetch_sub(1); }

private:
    explicit TmpFs(const TmpfsOptions& options);
    const char* m_type_name;
    i64 m_magic;
    u32 m_root_mode;
    u32 m_default_mode;
    u64 m_max_pages;
    Mutex m_tree_lock;
    Atomic<u64> m_pages_used { 0 };
    Atomic<u64> m_inodes { 0 };
};

// A regular tmpfs file. Its data is either pages in a PageTree, or bytes
// borrowed from memory that outlives the file (an initrd archive), copied
// into pages on the first change.
class TmpfsFile final : public Inode {
public:
    TmpfsFile(TmpFs& fs, u32 mode, u32 uid, u32 gid);
    ~TmpfsFile() override;

    ErrorOr<size_t> read(u64 offset, const IoBuffer& buf) override;
    ErrorOr<size_t> write(u64& offset, const IoBuffer& buf, bool append) override;
    ErrorOr<void> truncate(u64 size) override;

    // Makes the file's content `size` bytes at `data` (not copied).
    void set_borrowed_data(const u8* data, u64 size);
    // Borrowed data only (the initrd's files, which do not change): the
    // page is copied from the archive once and kept for every later
    // mapping, so every exec of a program maps the same pages.
    ErrorOr<PhysAddr> shared_page(u64 index) override;
    // O_TMPFILE: no links yet, but linkat(AT_EMPTY_PATH) may give it one.
    void make_unnamed();
    bool linkable() const { return m_linkable; }
    // Largest file size (PageTree::MAX_PAGES pages).
    static constexpr u64 MAX_SIZE = PageTree::MAX_PAGES * PAGE_SIZE;

private:
    TmpFs& tmpfs() const { return static_cast<TmpFs&>(fs()); }
    ErrorOr<void> materialize_locked();
    void drop_shared_locked();
    void update_blocks_locked();
    void free_pages_from_locked(u64 index);

    PageTree m_pages;
    const u8* m_borrowed = nullptr;
    // Pages handed out by shared_page() (one reference each is the cache's),
    // one slot per page of the borrowed data; 0 = not made yet.
    PhysAddr* m_shared = nullptr;
    u64 m_shared_slots = 0;
    bool m_linkable = false; // an O_TMPFILE file may get its first link
};

class TmpfsDirectory final : public Inode {
public:
    TmpfsDirectory(TmpFs& fs, u32 mode, u32 uid, u32 gid, TmpfsDirectory* parent);
    ~TmpfsDirectory() override;

    ErrorOr<RefPtr<Inode>> lookup(StringView name) override;
    ErrorOr<RefPtr<Inode>> create(StringView name, u32 mode, DeviceNumber rdev, u32 uid, u32 gid) override;
    ErrorOr<RefPtr<Inode>> create_symlink(StringView name, StringView target, u32 uid, u32 gid) override;
    ErrorOr<RefPtr<Inode>> create_unnamed(u32 mode, u32 uid, u32 gid) override;
    ErrorOr<void> link(StringView name, Inode& target) override;
    ErrorOr<void> unlink(StringView name) override;
    ErrorOr<void> rmdir(StringView name) override;
    ErrorOr<void> rename(StringView old_name, Inode& new_dir, StringView new_name, u32 flags) override;
    ErrorOr<void> iterate(u64 pos, DirSink& sink) override;
    ErrorOr<RefPtr<Inode>> parent() override;
    ErrorOr<size_t> name_of(u64 child_ino, char* buf, size_t size) override;

    // For the initrd unpacker: removes `name` whatever it is (a directory
    // with everything below it). ENOENT when absent.
    ErrorOr<void> remove_recursively(StringView name);
    // Sets every timestamp (initrd entries carry their mtime).
    void set_all_times(Timespec t);

private:
    struct Entry {
        char* name = nullptr;
        u32 length = 0;
        u64 cookie = 0; // readdir position, ascending along the vector
        RefPtr<Inode> inode;
        Entry() = default;
        Entry(Entry&& o);
        Entry& operator=(Entry&& o);
        ~Entry();
    };
    TmpFs& tmpfs() const { return static_cast<TmpFs&>(fs()); }
    // Call with the tree lock held.
    Entry* find_locked(StringView name);
    i64 index_locked(StringView name);
    ErrorOr<void> add_locked(StringView name, RefPtr<Inode> inode);
    void remove_at_locked(size_t index);
    bool empty_locked() const { return m_entries.empty(); }
    ErrorOr<RefPtr<Inode>> make_child_locked(u32 mode, DeviceNumber rdev, u32 uid, u32 gid);
    ErrorOr<void> exchange_locked(StringView old_name, TmpfsDirectory& new_dir, StringView new_name);

    Vector<Entry> m_entries;
    u64 m_next_cookie = DIR_POS_FIRST;
    TmpfsDirectory* m_parent; // null for the root; guarded by the tree lock
    bool m_removed = false;   // rmdir'ed (or replaced by a rename)
};

class TmpfsSymlink final : public Inode {
public:
    TmpfsSymlink(TmpFs& fs, u32 uid, u32 gid);
    ~TmpfsSymlink() override;
    ErrorOr<void> set_target(StringView target);
    ErrorOr<size_t> readlink(char* buf, size_t size) override;

private:
    char* m_target = nullptr;
    size_t m_length = 0;
};

// Device nodes, FIFOs and sockets: metadata only.
class TmpfsNode final : public Inode {
public:
    TmpfsNode(TmpFs& fs, u32 mode, DeviceNumber rdev, u32 uid, u32 gid);
    ~TmpfsNode() override;
};

} // namespace fs
