// read, write, readv, writev, pread64, pwrite64, preadv, pwritev, lseek,
// sendfile.
#include <lib/string.hpp>
#include <mm/heap.hpp>
#include <syscall/fs_common.hpp>
#include <syscalls.hpp>

using namespace fs_syscall;

namespace {

// Linux checks the whole user range up front (access_ok): EFAULT.
ErrorOr<void> check_range(UserAddr buf, u64 count)
{
    if (!uaccess::range_ok(buf, count))
        return Error::from_errno(EFAULT);
    return {};
}

ErrorOr<i64> read_write(bool writing, i32 fd, UserAddr buf, u64 count, i64 offset)
{
    RefPtr<OpenFile> file = TRY(file_for_io(fd));
    if (writing ? !file->can_write() : !file->can_read())
        return Error::from_errno(EBADF);
    TRY(check_range(buf, count));
    count = min<u64>(count, MAX_RW_COUNT);
    IoBuffer io = IoBuffer::user(buf, count);
    size_t n;
    if (offset < 0)
        n = TRY(writing ? file->write(io) : file->read(io));
    else
        n = TRY(writing ? file->pwrite(io, static_cast<u64>(offset)) : file->pread(io, static_cast<u64>(offset)));
    return static_cast<i64>(n);
}

// The iovec array of readv/writev as IoBuffers (EINVAL for a bad count or
// a total beyond SSIZE_MAX, EFAULT for a bad array or buffer).
class IoVector {
public:
    ~IoVector() { heap::free(m_bufs); }
    ErrorOr<void> load(UserAddr iov, i32 iovcnt)
    {
        if (iovcnt < 0 || static_cast<u32>(iovcnt) > IOV_MAX)
            return Error::from_errno(EINVAL);
        m_count = static_cast<size_t>(iovcnt);
        if (m_count == 0)
            return {};
        auto* raw = static_cast<LinuxIovec*>(heap::alloc(m_count * sizeof(LinuxIovec)));
        if (!raw)
            return Error::from_errno(ENOMEM);
        auto copied = copy_from_user(raw, iov, m_count * sizeof(LinuxIovec));
        m_bufs = static_cast<IoBuffer*>(heap::alloc(m_count * sizeof(IoBuffer)));
        if (copied.is_error() || !m_bufs) {
            heap::free(raw);
            return copied.is_error() ? copied.release_error() : Error::from_errno(ENOMEM);
        }
        u64 total = 0;
        ErrorOr<void> result;
        for (size_t i = 0; i < m_count; i++) {
            u64 len = raw[i].len;
            if (static_cast<i64>(len) < 0 || total + len > static_cast<u64>(INT64_MAX)) {
                result = Error::from_errno(EINVAL);
                break;
            }
            if (!uaccess::range_ok(raw[i].base, len)) {
                result = Error::from_errno(EFAULT);
                break;
            }
            // The total moved in one call is capped like a single read.
            u64 allowed = total < MAX_RW_COUNT ? min<u64>(len, MAX_RW_COUNT - total) : 0;
            new (&m_bufs[i]) IoBuffer(IoBuffer::user(raw[i].base, allowed));
            total += len;
        }
        heap::free(raw);
        return result;
    }
    const IoBuffer* data() const { return m_bufs; }
    size_t count() const { return m_count; }

private:
    IoBuffer* m_bufs = nullptr;
    size_t m_count = 0;
};

ErrorOr<i64> vector_io(bool writing, i32 fd, UserAddr iov, i32 iovcnt, i64 offset)
{
    RefPtr<OpenFile> file = TRY(file_for_io(fd));
    if (writing ? !file->can_write() : !file->can_read())
        return Error::from_errno(EBADF);
    IoVector v;
    TRY(v.load(iov, iovcnt));
    if (v.count() == 0)
        return 0;
    size_t n = TRY(writing ? file->write_vector(v.data(), v.count(), offset)
                           : file->read_vector(v.data(), v.count(), offset));
    return static_cast<i64>(n);
}

} // namespace

ErrorOr<i64> sys_read(i32 fd, UserAddr buf, u64 count) { return read_write(false, fd, buf, count, -1); }
ErrorOr<i64> sys_write(i32 fd, UserAddr buf, u64 count) { return read_write(true, fd, buf, count, -1); }

ErrorOr<i64> sys_pread64(i32 fd, UserAddr buf, u64 count, i64 offset)
{
    if (offset < 0)
        return Error::from_errno(EINVAL);
    return read_write(false, fd, buf, count, offset);
}

ErrorOr<i64> sys_pwrite64(i32 fd, UserAddr buf, u64 count, i64 offset)
{
    if (offset < 0)
        return Error::from_errno(EINVAL);
    return read_write(true, fd, buf, count, offset);
}

ErrorOr<i64> sys_readv(i32 fd, UserAddr iov, i32 iovcnt) { return vector_io(false, fd, iov, iovcnt, -1); }
ErrorOr<i64> sys_writev(i32 fd, UserAddr iov, i32 iovcnt) { return vector_io(true, fd, iov, iovcnt, -1); }

ErrorOr<i64> sys_preadv(i32 fd, UserAddr iov, i32 iovcnt, i64 offset)
{
    if (offset < 0)
        return Error::from_errno(EINVAL);
    return vector_io(false, fd, iov, iovcnt, offset);
}

ErrorOr<i64> sys_pwritev(i32 fd, UserAddr iov, i32 iovcnt, i64 offset)
{
    if (offset < 0)
        return Error::from_errno(EINVAL);
    return vector_io(true, fd, iov, iovcnt, offset);
}

ErrorOr<i64> sys_lseek(i32 fd, i64 offset, i32 whence)
{
    RefPtr<OpenFile> file = TRY(file_for_io(fd));
    if (whence < SEEK_SET || whence > SEEK_HOLE)
        return Error::from_errno(EINVAL);
    u64 pos = TRY(file->seek(offset, whence));
    return static_cast<i64>(pos);
}

ErrorOr<i64> sys_sendfile(i32 out_fd, i32 in_fd, UserAddr offset_ptr, u64 count)
{
    RefPtr<OpenFile> in = TRY(file_for_io(in_fd));
    RefPtr<OpenFile> out = TRY(file_for_io(out_fd));
    if (!in->can_read() || !out->can_write())
        return Error::from_errno(EBADF);
    // The source must be a file with pages behind it; appending is refused.
    if (!in->inode().is_regular() && !in->inode().is_directory())
        return Error::from_errno(EINVAL);
    if (out->flags() & O_APPEND)
        return Error::from_errno(EINVAL);
    i64 pos = -1;
    if (offset_ptr) {
        pos = TRY(get_user<i64>(offset_ptr));
        if (pos < 0)
            return Error::from_errno(EINVAL);
    }
    count = min<u64>(count, MAX_RW_COUNT);
    constexpr size_t CHUNK = 64 * KiB;
    u8* bounce = static_cast<u8*>(heap::alloc(min<u64>(CHUNK, max<u64>(count, 1))));
    if (!bounce)
        return Error::from_errno(ENOMEM);
    u64 done = 0;
    Error failure = Error::from_errno(0);
    while (done < count) {
        size_t want = min<u64>(CHUNK, count - done);
        IoBuffer kbuf = IoBuffer::kernel(bounce, want);
        auto got = pos >= 0 ? in->pread(kbuf, static_cast<u64>(pos) + done) : in->read(kbuf);
        if (got.is_error()) {
            failure = got.release_error();
            break;
        }
        if (got.value() == 0)
            break;
        auto put = out->write(IoBuffer::kernel(bounce, got.value()));
        if (put.is_error()) {
            failure = put.release_error();
            break;
        }
        done += put.value();
        if (put.value() < got.value()) {
            // Give the source back what the destination did not take.
            if (pos < 0)
                (void)in->seek(-static_cast<i64>(got.value() - put.value()), SEEK_CUR);
            break;
        }
        if (got.value() < want)
            break;
    }
    heap::free(bounce);
    if (done == 0 && failure.code())
        return failure;
    if (offset_ptr)
        TRY(put_user<i64>(offset_ptr, pos + static_cast<i64>(done)));
    return static_cast<i64>(done);
}
