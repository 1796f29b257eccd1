#include <fs/inode.hpp>
#include <fs/open_file.hpp>

namespace fs {

ErrorOr<size_t> FileOps::read(OpenFile&, const IoBuffer&, u64) { return Error::from_errno(EINVAL); }
ErrorOr<size_t> FileOps::write(OpenFile&, const IoBuffer&, u64&) { return Error::from_errno(EINVAL); }
ErrorOr<i64> FileOps::ioctl(OpenFile&, u32, u64) { return Error::from_errno(ENOTTY); }
ErrorOr<void> FileOps::iterate(OpenFile&, u64, DirSink&) { return Error::from_errno(ENOTDIR); }

ErrorOr<u64> FileOps::seek(OpenFile& file, i64 offset, int whence, u64 current)
{
    i64 base;
    switch (whence) {
    case SEEK_SET:
        base = 0;
        break;
    case SEEK_CUR:
        base = static_cast<i64>(current);
        break;
    case SEEK_END:
        base = static_cast<i64>(file.inode().size());
        break;
    case SEEK_DATA:
    case SEEK_HOLE: {
        // The whole file counts as data (generic_file_llseek_size): the
        // next data is `offset` itself, the next hole the end.
        i64 size = static_cast<i64>(file.inode().size());
        if (offset < 0 || offset >= size)
            return Error::from_errno(ENXIO);
        return static_cast<u64>(whence == SEEK_DATA ? offset : size);
    }
    default:
        return Error::from_errno(EINVAL);
    }
    i64 result;
    if (__builtin_add_overflow(base, offset, &result) || result < 0)
        return Error::from_errno(EINVAL);
    return static_cast<u64>(result);
}

namespace {

// Regular files: the inode's read/write at the file offset.
class RegularFileOps final : public FileOps {
public:
    ErrorOr<size_t> read(OpenFile& file, const IoBuffer& buf, u64 offset) override
    {
        size_t n = TRY(file.inode().read(offset, buf));
        if (!(file.flags() & O_NOATIME))
            file.inode().touch_atime();
        return n;
    }
    ErrorOr<size_t> write(OpenFile& file, const IoBuffer& buf, u64& offset) override
    {
        return file.inode().write(offset, buf, file.flags() & O_APPEND);
    }
};

// Directories: getdents through iterate; read(2) is EISDIR.
class DirectoryOps final : public FileOps {
public:
    ErrorOr<size_t> read(OpenFile&, const IoBuffer&, u64) override { return Error::from_errno(EISDIR); }
    ErrorOr<size_t> write(OpenFile&, const IoBuffer&, u64&) override { return Error::from_errno(EISDIR); }
    ErrorOr<u64> seek(OpenFile&, i64 offset, int whence, u64 current) override
    {
        // Directory offsets are the positions iterate() hands out
        // (dcache_dir_lseek: SEEK_SET and SEEK_CUR only).
        i64 base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? static_cast<i64>(current) : -1;
        i64 result;
        if (base < 0 || __builtin_add_overflow(base, offset, &result) || result < 0)
            return Error::from_errno(EINVAL);
        return static_cast<u64>(result);
    }
    ErrorOr<void> iterate(OpenFile& file, u64 pos, DirSink& sink) override
    {
        TRY(file.inode().iterate(pos, sink));
        file.inode().touch_atime();
        return {};
    }
};

RegularFileOps s_regular_ops;
DirectoryOps s_directory_ops;

} // namespace

FileOps& regular_file_ops() { return s_regular_ops; }
FileOps& directory_ops() { return s_directory_ops; }

OpenFile::OpenFile(const Location& location, u32 flags, FileOps& ops, void* private_data)
    : m_location(location), m_ops(&ops), m_private(private_data), m_flags(flags)
{
}

OpenFile::~OpenFile()
{
    if (m_opened)
        m_ops->release(*this);
}

ErrorOr<RefPtr<OpenFile>> OpenFile::create(const Location& location, u32 flags, FileOps& ops,
                                           void* private_data)
{
    // Flags that act at open time only are not kept; 64-bit Linux adds
    // O_LARGEFILE (force_o_largefile), which F_GETFL then shows, except
    // on O_PATH descriptors, which keep only O_PATH's own flags.
    u32 kept = flags & O_STATUS_KEPT;
    if (!(kept & O_PATH))
        kept |= O_LARGEFILE;
    auto file = adopt(new (std::nothrow) OpenFile(location, kept, ops, private_data));
    if (!file)
        return Error::from_errno(ENOMEM);
    if (!(kept & O_PATH))
        TRY(ops.open(*file));
    file->m_opened = !(kept & O_PATH);
    return file;
}

ErrorOr<RefPtr<OpenFile>> OpenFile::open(const Location& location, u32 flags)
{
    // O_PATH opens only name the object: no driver is involved.
    if (flags & O_PATH)
        return create(location, flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW), directory_ops());
    FileOps* ops = TRY(location.inode->file_ops());
    return create(location, flags, *ops);
}

void OpenFile::set_status_flags(u32 flags)
{
    u32 old = m_flags.load(__ATOMIC_RELAXED);
    for (;;) {
        u32 fresh = (old & ~O_SETFL_MASK) | (flags & O_SETFL_MASK);
        if (m_flags.compare_exchange(old, fresh))
            return;
    }
}

bool OpenFile::can_read() const
{
    u32 f = flags();
    return !(f & O_PATH) && ((f & O_ACCMODE) == O_RDONLY || (f & O_ACCMODE) == O_RDWR);
}

bool OpenFile::can_write() const
{
    u32 f = flags();
    return !(f & O_PATH) && ((f & O_ACCMODE) == O_WRONLY || (f & O_ACCMODE) == O_RDWR);
}

u64 OpenFile::offset() const
{
    MutexGuard guard(m_offset_lock);
    return m_offset;
}

ErrorOr<size_t> OpenFile::transfer(bool writing, const IoBuffer* bufs, size_t count, i64 offset)
{
    if (writing ? !can_write() : !can_read())
        return Error::from_errno(EBADF);
    bool positional = offset >= 0;
    bool seekable = m_ops->seekable();
    if (positional && !seekable)
        return Error::from_errno(ESPIPE);
    // Streams keep no offset; the shared offset is held across the vector.
    bool hold = seekable && !positional;
    if (hold)
        m_offset_lock.lock();
    u64 pos = positional ? static_cast<u64>(offset) : (seekable ? m_offset : 0);
    size_t total = 0;
    Error failure = Error::from_errno(0);
    for (size_t i = 0; i < count; i++) {
        auto r = writing ? m_ops->write(*this, bufs[i], pos) : m_ops->read(*this, bufs[i], pos);
        if (r.is_error()) {
            failure = r.release_error();
            break;
        }
        size_t n = r.value();
        pos += n;
        total += n;
        if (n < bufs[i].size())
            break;
    }
    if (hold) {
        m_offset = pos;
        m_offset_lock.unlock();
    }
    if (total == 0 && failure.code())
        return failure;
    return total;
}

ErrorOr<size_t> OpenFile::read(const IoBuffer& buf) { return transfer(false, &buf, 1, -1); }
ErrorOr<size_t> OpenFile::write(const IoBuffer& buf) { return transfer(true, &buf, 1, -1); }

ErrorOr<size_t> OpenFile::pread(const IoBuffer& buf, u64 offset)
{
    return transfer(false, &buf, 1, static_cast<i64>(offset & 0x7fffffffffffffffull));
}

// As on Linux, O_APPEND wins over the explicit offset.
ErrorOr<size_t> OpenFile::pwrite(const IoBuffer& buf, u64 offset)
{
    return transfer(true, &buf, 1, static_cast<i64>(offset & 0x7fffffffffffffffull));
}

ErrorOr<size_t> OpenFile::read_vector(const IoBuffer* bufs, size_t count, i64 offset)
{
    return transfer(false, bufs, count, offset);
}

ErrorOr<size_t> OpenFile::write_vector(const IoBuffer* bufs, size_t count, i64 offset)
{
    return transfer(true, bufs, count, offset);
}

ErrorOr<u64> OpenFile::seek(i64 offset, int whence)
{
    if (flags() & O_PATH)
        return Error::from_errno(EBADF);
    if (!m_ops->seekable())
        return Error::from_errno(ESPIPE);
    MutexGuard guard(m_offset_lock);
    m_offset = TRY(m_ops->seek(*this, offset, whence, m_offset));
    return m_offset;
}

ErrorOr<i64> OpenFile::ioctl(u32 request, u64 arg)
{
    if (flags() & O_PATH)
        return Error::from_errno(EBADF);
    return m_ops->ioctl(*this, request, arg);
}

ErrorOr<void> OpenFile::read_directory(DirSink& sink)
{
    if (flags() & O_PATH)
        return Error::from_errno(EBADF);
    if (!inode().is_directory())
        return Error::from_errno(ENOTDIR);
    // The sink reports where it stopped through the positions it accepted.
    struct Tracker final : DirSink {
        DirSink& inner;
        u64 pos;
        Tracker(DirSink& s, u64 p) : inner(s), pos(p) {}
        bool emit(StringView name, u64 ino, u8 dtype, u64 next_pos) override
        {
            if (!inner.emit(name, ino, dtype, next_pos))
                return false;
            pos = next_pos;
            return true;
        }
    };
    MutexGuard guard(m_offset_lock);
    Tracker tracker(sink, m_offset);
    auto result = m_ops->iterate(*this, m_offset, tracker);
    m_offset = tracker.pos;
    return result;
}

} // namespace fs
