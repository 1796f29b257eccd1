#pragma once
// Inodes: one file system object (regular file, directory, symlink, device
// node, FIFO, socket) with its metadata, as the VFS sees it. Each file
// system derives its own inodes and overrides the operations its object
// types support; the defaults return the errno Linux gives for an object that
// does not support the operation (ENOTDIR for directory operations on a
// non-directory, EINVAL for readlink on a non-symlink, ...).
//
// Lifetime: inodes are reference counted (RefPtr). A directory entry holds a
// reference to its inode, and so do open files, working directories and
// mounts (through Location). An inode whose last link is removed stays alive
// while anything still holds it (unlink while open) and frees its data in its
// destructor. Every inode holds a reference to its FileSystem, so a file
// system lives until its last inode is gone (even after a lazy unmount).
//
// Locking: the inode's Mutex guards its metadata and its data. Directory
// operations are serialised by the file system (tmpfs: one tree Mutex per
// instance), taken before any inode Mutex.
#include <fs/abi.hpp>
#include <kernel/uaccess.hpp>
#include <lib/error_or.hpp>
#include <lib/ref_ptr.hpp>
#include <lib/string_view.hpp>
#include <mm/layout.hpp>
#include <proc/mutex.hpp>

namespace fs {

class FileSystem;
class FileOps;

// st_blksize: the preferred I/O size (a page, as tmpfs reports).
constexpr u32 STAT_BLKSIZE = 4096;

// Current wall-clock time as an inode timestamp.
Timespec now();

// A consistent copy of an inode's attributes (what stat reports).
struct Metadata {
    u64 dev;     // st_dev, encoded
    u64 ino;
    u32 mode;
    u32 nlink;
    u32 uid;
    u32 gid;
    u64 rdev;    // st_rdev, encoded
    u64 size;
    u64 blocks;  // 512-byte units actually allocated
    u32 blksize;
    Timespec atime, mtime, ctime;
};

// Receives directory entries from Inode::iterate. emit() returns false when
// the entry did not fit (iteration then stops and the entry is offered again
// next time). next_pos is the position just after this entry.
class DirSink {
public:
    virtual bool emit(StringView name, u64 ino, u8 dtype, u64 next_pos) = 0;

protected:
    ~DirSink() = default;
};

// Attribute changes (chmod, chown, utimensat, truncate) as one request.
struct AttributeChange {
    bool set_mode = false;
    u32 mode = 0;              // permission bits only
    bool chown = false;        // a chown call (kills set-ID bits even when nothing changes)
    bool set_uid = false, set_gid = false;
    u32 uid = 0, gid = 0;
    bool set_atime = false, set_mtime = false;
    Timespec atime {}, mtime {};
};

class Inode : public RefCounted<Inode> {
public:
    virtual ~Inode();

    FileSystem& fs() const { return *m_fs; }
    u64 ino() const { return m_ino; }
    // The file type bits never change, so reading them needs no lock.
    u32 type() const { return m_mode & S_IFMT; }
    bool is_directory() const { return type() == S_IFDIR; }
    bool is_regular() const { return type() == S_IFREG; }
    bool is_symlink() const { return type() == S_IFLNK; }
    DeviceNumber rdev() const { return m_rdev; }

    Mutex& lock() const { return m_lock; }
    Metadata metadata() const;
    u64 size() const;
    u32 mode() const;
    u32 nlink() const;

    // chmod/chown/utimensat: applies the change and sets ctime. A chown
    // clears set-user-ID (and set-group-ID when group-executable) on
    // non-directories, as Linux does even for root.
    void change_attributes(const AttributeChange& change);
    // Updates atime after a read, the relatime way (only when atime is
    // older than mtime or ctime, or more than a day old).
    void touch_atime();
    void touch_ctime();
    void touch_mtime_ctime();
    // Adds `delta` links and sets ctime (link, unlink, rename).
    void adjust_nlink(int delta);

    // ---- directories (names are single components: no '/', not . or ..)
    virtual ErrorOr<RefPtr<Inode>> lookup(StringView name);
    // Creates a regular file, directory, device node, FIFO or socket
    // (`mode` carries the type); EEXIST when the name is taken.
    virtual ErrorOr<RefPtr<Inode>> create(StringView name, u32 mode, DeviceNumber rdev, u32 uid, u32 gid);
    virtual ErrorOr<RefPtr<Inode>> create_symlink(StringView name, StringView target, u32 uid, u32 gid);
    // An unnamed regular file in this directory's file system (O_TMPFILE).
    virtual ErrorOr<RefPtr<Inode>> create_unnamed(u32 mode, u32 uid, u32 gid);
    virtual ErrorOr<void> link(StringView name, Inode& target);
    // Removes a non-directory entry (EISDIR for a directory).
    virtual ErrorOr<void> unlink(StringView name);
    // Removes an empty directory (ENOTDIR, ENOTEMPTY).
    virtual ErrorOr<void> rmdir(StringView name);
    // Moves old_name here to new_dir/new_name with Linux's replacement rules;
    // new_dir is in the same file system. flags: RENAME_NOREPLACE/EXCHANGE.
    virtual ErrorOr<void> rename(StringView old_name, Inode& new_dir, StringView new_name, u32 flags);
    // Emits entries from position `pos` (0 is ".", 1 is "..").
    virtual ErrorOr<void> iterate(u64 pos, DirSink& sink);
    // ".." inside this file system (the root returns itself); ENOENT for a
    // removed directory.
    virtual ErrorOr<RefPtr<Inode>> parent();
    // The name under which the child with inode number `child_ino` appears
    // here (getcwd, /proc/mounts); ENOENT when none does.
    virtual ErrorOr<size_t> name_of(u64 child_ino, char* buf, size_t size);

    // ---- symlinks: the target, not NUL-terminated, truncated to size.
    virtual ErrorOr<size_t> readlink(char* buf, size_t size);

    // ---- regular files
    virtual ErrorOr<size_t> read(u64 offset, const IoBuffer& buf);
    // Writes at `offset` (at the end of the file when `append`, and then
    // `offset` is set to where the data went). EFBIG past the size limit.
    virtual ErrorOr<size_t> write(u64& offset, const IoBuffer& buf, bool append);
    virtual ErrorOr<void> truncate(u64 size);
    // The page cache for private mappings: a page holding the file's bytes
    // [index * 4096, +4096), which every private mapping of that part of
    // the file may map read-only (a write copies it first), with a
    // reference (page_ref) for the caller. ENOTSUP where a file keeps no
    // such pages (the default): the fault handler copies the bytes instead.
    virtual ErrorOr<PhysAddr> shared_page(u64 index);

    // The operations an open file of this inode uses: regular files and
    // directories get the generic ones, device nodes their driver's
    // (ENXIO without one), FIFOs the pipe implementation.
    virtual ErrorOr<FileOps*> file_ops();

protected:
    Inode(FileSystem& fs, u64 ino, u32 mode, u32 uid, u32 gid, DeviceNumber rdev = {});

    // Helpers for subclasses; call with lock() held.
    void set_size_locked(u64 size) { m_size = size; }
    void set_blocks_locked(u64 blocks) { m_blocks = blocks; }
    void set_nlink_locked(u32 n) { m_nlink = n; }
    void touch_mtime_ctime_locked();
    void touch_ctime_locked();
    void set_times_locked(Timespec atime, Timespec mtime, Timespec ctime);
    u32 nlink_locked() const { return m_nlink; }
    u64 size_locked() const { return m_size; }

private:
    RefPtr<FileSystem> m_fs;
    u64 m_ino;
    mutable Mutex m_lock;
    u32 m_mode;
    u32 m_nlink = 1;
    u32 m_uid, m_gid;
    DeviceNumber m_rdev;
    u64 m_size = 0;
    u64 m_blocks = 0;
    Timespec m_atime, m_mtime, m_ctime;
};

// Positions of "." and ".." in a directory stream; entries follow.
constexpr u64 DIR_POS_DOT = 0;
constexpr u64 DIR_POS_DOTDOT = 1;
constexpr u64 DIR_POS_FIRST = 2;
// Emits "." and ".." when pos is before them; false when the sink is full.
bool emit_dots(u64& pos, DirSink& sink, u64 self_ino, u64 parent_ino);

} // namespace fs
