#pragma once
// Open file descriptions (Linux's struct file): what open() creates and file
// descriptors point at. One OpenFile is shared by every descriptor dup()ed
// from it and by a forked child, so they share the offset and the status
// flags (O_APPEND, O_NONBLOCK); close-on-exec is per descriptor and lives in
// the FdTable. Reference counted: the description goes away, and its
// FileOps::release runs, when the last descriptor (or kernel user) drops it.
//
// FileOps is what a kind of open file does on read/write/ioctl/seek: the
// generic regular-file and directory operations, a character device's
// driver, a pipe, a procfs snapshot.
#include <fs/abi.hpp>
#include <fs/mount.hpp>
#include <kernel/uaccess.hpp>
#include <lib/atomic.hpp>
#include <lib/error_or.hpp>
#include <lib/ref_ptr.hpp>
#include <proc/mutex.hpp>

namespace fs {

class OpenFile;
class DirSink;

// poll(2) event bits (include/uapi/asm-generic/poll.h).
constexpr u32 POLLIN = 0x001;
constexpr u32 POLLPRI = 0x002;
constexpr u32 POLLOUT = 0x004;
constexpr u32 POLLERR = 0x008;
constexpr u32 POLLHUP = 0x010;
constexpr u32 POLLNVAL = 0x020;
constexpr u32 POLLRDNORM = 0x040;
constexpr u32 POLLWRNORM = 0x100;

class FileOps {
public:
    // Called once when the description is created (may refuse it).
    virtual ErrorOr<void> open(OpenFile&) { return {}; }
    // Called once when the last reference goes.
    virtual void release(OpenFile&) {}
    // Reads at `offset` (ignored by streams). Default: EINVAL.
    virtual ErrorOr<size_t> read(OpenFile&, const IoBuffer&, u64 offset);
    // Writes at `offset`; may move it (O_APPEND puts it at the end first).
    virtual ErrorOr<size_t> write(OpenFile&, const IoBuffer&, u64& offset);
    virtual ErrorOr<i64> ioctl(OpenFile&, u32 request, u64 arg);
    // Streams (pipes, terminals) are not seekable: lseek/pread give ESPIPE
    // and reads do not take the offset lock.
    virtual bool seekable() const { return true; }
    // New offset for lseek. Default: SEEK_SET/CUR/END/DATA/HOLE against the
    // inode size; EINVAL for a negative result.
    virtual ErrorOr<u64> seek(OpenFile&, i64 offset, int whence, u64 current);
    // Events ready now (POLL* bits); the wait queues come with the scheduler.
    virtual u32 poll(OpenFile&) { return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM; }
    virtual ErrorOr<void> fsync(OpenFile&) { return {}; }
    // Directory streams (getdents). Default: ENOTDIR.
    virtual ErrorOr<void> iterate(OpenFile&, u64 pos, DirSink&);

protected:
    ~FileOps() = default;
};

class OpenFile : public RefCounted<OpenFile> {
public:
    // Opens an inode with the operations it provides (Inode::file_ops).
    // `flags` are open(2) flags; those that act at open time only
    // (O_CREAT, O_EXCL, O_TRUNC, O_CLOEXEC, O_NOCTTY) are dropped.
    static ErrorOr<RefPtr<OpenFile>> open(const Location& location, u32 flags);
    // An open file with explicit operations (pipes, sockets, anonymous
    // files); `private_data` belongs to the ops.
    static ErrorOr<RefPtr<OpenFile>> create(const Location& location, u32 flags, FileOps& ops,
                                            void* private_data = nullptr);
    ~OpenFile();

    const Location& location() const { return m_location; }
    Inode& inode() const { return *m_location.inode; }
    FileOps& ops() const { return *m_ops; }
    void* private_data() const { return m_private; }
    void set_private_data(void* p) { m_private = p; }

    u32 flags() const { return m_flags.load(__ATOMIC_RELAXED); }
    // F_SETFL: replaces the changeable status flags (O_APPEND, O_NONBLOCK, ...).
    void set_status_flags(u32 flags);
    bool is_path_only() const { return flags() & O_PATH; }
    bool can_read() const;
    bool can_write() const;

    // read/write at the shared offset (EBADF when not opened for it).
    ErrorOr<size_t> read(const IoBuffer& buf);
    ErrorOr<size_t> write(const IoBuffer& buf);
    // At an explicit offset, leaving the shared one alone (ESPIPE on streams).
    ErrorOr<size_t> pread(const IoBuffer& buf, u64 offset);
    ErrorOr<size_t> pwrite(const IoBuffer& buf, u64 offset);
    // readv/writev (offset < 0: at the shared offset) and preadv/pwritev:
    // the buffers in order under one hold of the offset, stopping at the
    // first short transfer; an error after some bytes moved returns them.
    ErrorOr<size_t> read_vector(const IoBuffer* bufs, size_t count, i64 offset);
    ErrorOr<size_t> write_vector(const IoBuffer* bufs, size_t count, i64 offset);
    ErrorOr<u64> seek(i64 offset, int whence);
    ErrorOr<i64> ioctl(u32 request, u64 arg);
    // Directory entries from the shared offset into `sink`; the offset moves
    // past the entries the sink took.
    ErrorOr<void> read_directory(DirSink& sink);
    u64 offset() const;

private:
    OpenFile(const Location& location, u32 flags, FileOps& ops, void* private_data);
    ErrorOr<size_t> transfer(bool writing, const IoBuffer* bufs, size_t count, i64 offset);

    Location m_location;
    FileOps* m_ops;
    void* m_private;
    Atomic<u32> m_flags;
    mutable Mutex m_offset_lock; // serialises offset users (seekable files)
    u64 m_offset = 0;
    bool m_opened = false;       // ops.open succeeded, so release must run
};

// Generic operations of regular files and directories (tmpfs, initrd).
FileOps& regular_file_ops();
FileOps& directory_ops();

} // namespace fs
