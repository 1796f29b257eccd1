// Pipes and named FIFOs (see pipe.hpp).
//
// Locking: `lock` (a spinlock) guards the ring and the reader/writer
// counts; it is held only to move bytes between the ring and a small kernel
// buffer, never across a user copy. `write_lock` (a Mutex) keeps one
// writer's whole write together, so writes up to PIPE_BUF never interleave.
// s_fifo_lock guards the list of FIFO pipes and is taken before a pipe's
// lock, never after.
#include <fs/anon.hpp>
#include <fs/pipe.hpp>
#include <fs/poll.hpp>
#include <lib/list.hpp>
#include <lib/new.hpp>
#include <lib/string.hpp>
#include <mm/heap.hpp>
#include <proc/process.hpp>
#include <proc/sched.hpp>
#include <proc/signal.hpp>

namespace fs {
namespace {

struct Pipe {
    Spinlock lock;
    u8* ring = nullptr;
    u64 head = 0;  // next byte to read
    u64 count = 0; // bytes in the ring
    u32 readers = 1;
    u32 writers = 1;
    WaitQueue readable; // readers wait here
    WaitQueue writable; // writers wait here
    Mutex write_lock;
    // A named FIFO's pipe: its inode, and how many times each end was
    // opened (a blocked open waits for the other count to move, as Linux's
    // r_counter/w_counter, so an end opened and closed again still counts).
    Inode* fifo_inode = nullptr;
    ListNode fifo_node;
    u64 reader_opens = 0;
    u64 writer_opens = 0;
    WaitQueue opened;

    ~Pipe() { heap::free(ring); }
    u64 space() const { return PIPE_CAPACITY - count; }
};

Pipe* pipe_of(OpenFile& f) { return static_cast<Pipe*>(f.private_data()); }

// Wakes both ends' sleepers and pollers. Sync after a read or write that
// completed: the caller usually waits for the other end next (Linux wakes
// pipe sleepers with wake_up_interruptible_sync_poll for the same reason).
void notify(Pipe* p, sched::Wake how = sched::Wake::Normal)
{
    p->readable.wake_all(how);
    p->writable.wake_all(how);
    poll_notify();
}

// Drops one end; the pipe goes with the last.
void release_end(Pipe* p, bool reader)
{
    bool last;
    {
        SpinlockGuard guard(p->lock);
        if (reader)
            p->readers--;
        else
            p->writers--;
        last = p->readers == 0 && p->writers == 0;
    }
    if (last) {
        delete p;
        return;
    }
    notify(p);
}

ErrorOr<size_t> pipe_read(OpenFile& f, const IoBuffer& buf)
{
    Pipe* p = pipe_of(f);
    if (buf.size() == 0)
        return static_cast<size_t>(0);
    auto ready = [p] {
        SpinlockGuard guard(p->lock);
        return p->count > 0 || p->writers == 0;
    };
    if (!ready()) {
        if (f.flags() & O_NONBLOCK)
            return Error::from_errno(EAGAIN);
        if (p->readable.wait_until(ready, true).is_error())
            return Error::from_errno(ERESTARTSYS);
    }
    size_t done = 0;
    u8 chunk[512];
    while (done < buf.size()) {
        size_t n = 0;
        {
            SpinlockGuard guard(p->lock);
            n = static_cast<size_t>(min<u64>(min<u64>(sizeof(chunk), buf.size() - done), p->count));
            for (size_t i = 0; i < n; i++)
                chunk[i] = p->ring[(p->head + i) % PIPE_CAPACITY];
            p->head = (p->head + n) % PIPE_CAPACITY;
            p->count -= n;
        }
        if (!n)
            break;
        auto copied = buf.write(done, chunk, n);
        if (copied.is_error()) {
            // The bytes are gone from the pipe either way (as on Linux,
            // a fault mid-read loses them); report what arrived.
            notify(p);
            if (!done)
                return copied.release_error();
            return done;
        }
        done += n;
    }
    notify(p, sched::Wake::Sync);
    return done;
}

u32 read_events(Pipe* p)
{
    SpinlockGuard guard(p->lock);
    u32 events = 0;
    if (p->count > 0)
        events |= POLLIN | POLLRDNORM;
    if (p->writers == 0)
        events |= POLLHUP;
    return events;
}

ErrorOr<i64> pipe_ioctl(OpenFile& f, u32 request, u64 arg)
{
    constexpr u32 FIONREAD = 0x541B;
    if (request == FIONREAD) {
        Pipe* p = pipe_of(f);
        i32 n;
        {
            SpinlockGuard guard(p->lock);
            n = static_cast<i32>(p->count);
        }
        TRY(put_user<i32>(arg, n));
        return 0;
    }
    return Error::from_errno(ENOTTY);
}
ErrorOr<size_t> pipe_write(OpenFile& f, const IoBuffer& buf)
{
    Pipe* p = pipe_of(f);
    bool nonblock = f.flags() & O_NONBLOCK;
    MutexGuard whole(p->write_lock);
    size_t done = 0;
    u8 chunk[512];
    while (done < buf.size()) {
        // Up to PIPE_BUF bytes go in one piece: wait for room for all.
        size_t want = static_cast<size_t>(min<u64>(buf.size() - done, PIPE_BUF));
        auto room = [p, want] {
            SpinlockGuard guard(p->lock);
            return p->readers == 0 || p->space() >= want;
        };
        if (!room()) {
            if (nonblock)
                return done ? ErrorOr<size_t>(done) : ErrorOr<size_t>(Error::from_errno(EAGAIN));
            if (p->writable.wait_until(room, true).is_error())
                return done ? ErrorOr<size_t>(done) : ErrorOr<size_t>(Error::from_errno(ERESTARTSYS));
        }
        size_t moved = 0;
        while (moved < want) {
            size_t n = min(sizeof(chunk), want - moved);
            auto copied = buf.read(done + moved, chunk, n);
            if (copied.is_error()) {
                notify(p);
                if (done + moved)
                    return done + moved;
                return copied.release_error();
            }
            {
                SpinlockGuard guard(p->lock);
                if (p->readers == 0)
                    break;
                for (size_t i = 0; i < n; i++)
                    p->ring[(p->head + p->count + i) % PIPE_CAPACITY] = chunk[i];
                p->count += n;
            }
            moved += n;
        }
        bool no_reader;
        {
            SpinlockGuard guard(p->lock);
            no_reader = p->readers == 0;
        }
        if (no_reader && moved < want) {
            // Nobody will ever read: SIGPIPE (EPIPE when it is ignored).
            if (Process* self = proc::current_process()) {
                SpinlockGuard guard(proc::table_lock());
                SigInfo info {};
                info.signo = SIGPIPE;
                info.code = SI_USER;
                info.kill.pid = self->pid;
                signal::send(self, SIGPIPE, info);
            }
            notify(p);
            if (done + moved)
                return done + moved;
            return Error::from_errno(EPIPE);
        }
        done += moved;
        notify(p, done == buf.size() ? sched::Wake::Sync : sched::Wake::Normal);
    }
    return done;
}

u32 write_events(Pipe* p)
{
    SpinlockGuard guard(p->lock);
    if (p->readers == 0)
        return POLLERR | POLLOUT | POLLWRNORM;
    return p->space() >= PIPE_BUF ? (POLLOUT | POLLWRNORM) : 0;
}
class PipeReadOps final : public FileOps {
public:
    void release(OpenFile& f) override { release_end(pipe_of(f), true); }
    bool seekable() const override { return false; }
    ErrorOr<size_t> read(OpenFile& f, const IoBuffer& buf, u64) override { return pipe_read(f, buf); }
    u32 poll(OpenFile& f) override { return read_events(pipe_of(f)); }
    ErrorOr<i64> ioctl(OpenFile& f, u32 request, u64 arg) override { return pipe_ioctl(f, request, arg); }
};

class PipeWriteOps final : public FileOps {
public:
    void release(OpenFile& f) override { release_end(pipe_of(f), false); }
    bool seekable() const override { return false; }
    ErrorOr<size_t> write(OpenFile& f, const IoBuffer& buf, u64&) override { return pipe_write(f, buf); }
    u32 poll(OpenFile& f) override { return write_events(pipe_of(f)); }
    ErrorOr<i64> ioctl(OpenFile& f, u32 request, u64 arg) override { return pipe_ioctl(f, request, arg); }
};

// Named FIFOs: every open of the same inode shares one pipe, made by the
// first open and gone with the last close (the data with it).
IntrusiveList<Pipe, &Pipe::fifo_node> s_fifos;
Spinlock s_fifo_lock;

bool reads(const OpenFile& f) { return (f.flags() & O_ACCMODE) != O_WRONLY; }
bool writes(const OpenFile& f) { return (f.flags() & O_ACCMODE) != O_RDONLY; }

class FifoOps final : public FileOps {
public:
    // fifo(7): opening one end blocks until the other is open, except with
    // O_NONBLOCK (a reader opens at once, a writer fails with ENXIO) and
    // with O_RDWR (never blocks).
    ErrorOr<void> open(OpenFile& f) override
    {
        bool r = reads(f), w = writes(f);
        bool nonblock = f.flags() & O_NONBLOCK;
        Pipe* p = nullptr;
        u64 seen = 0;
        {
            SpinlockGuard list_guard(s_fifo_lock);
            for (Pipe& candidate : s_fifos) {
                if (candidate.fifo_inode == &f.inode()) {
                    p = &candidate;
                    break;
                }
            }
            if (!p) {
                p = new (std::nothrow) Pipe;
                u8* ring = p ? static_cast<u8*>(heap::alloc(PIPE_CAPACITY)) : nullptr;
                if (!ring) {
                    delete p;
                    return Error::from_errno(ENOMEM);
                }
                p->ring = ring;
                p->readers = p->writers = 0;
                p->fifo_inode = &f.inode();
                s_fifos.push_back(*p);
            }
            bool refused = false, unused = false;
            {
                SpinlockGuard guard(p->lock);
                if (w && !r && nonblock && p->readers == 0) {
                    refused = true;
                    unused = p->writers == 0;
                } else {
                    if (r) {
                        p->readers++;
                        p->reader_opens++;
                    }
                    if (w) {
                        p->writers++;
                        p->writer_opens++;
                    }
                    seen = r ? p->writer_opens : p->reader_opens;
                }
            }
            if (refused) {
                if (unused) {
                    s_fifos.remove(*p);
                    delete p;
                }
                return Error::from_errno(ENXIO);
            }
        }
        f.set_private_data(p);
        p->opened.wake_all();
        notify(p);
        if (r == w || nonblock)
            return {};
        // Wait for the other end: any open of it since ours counts.
        auto other_came = [p, r, seen] {
            SpinlockGuard guard(p->lock);
            return (r ? p->writer_opens : p->reader_opens) != seen || (r ? p->writers : p->readers) > 0;
        };
        if (p->opened.wait_until(other_came, true).is_error()) {
            drop(p, r, w);
            return Error::from_errno(ERESTARTSYS);
        }
        return {};
    }
    void release(OpenFile& f) override { drop(pipe_of(f), reads(f), writes(f)); }
    bool seekable() const override { return false; }
    // OpenFile checks the access mode before these.
    ErrorOr<size_t> read(OpenFile& f, const IoBuffer& buf, u64) override { return pipe_read(f, buf); }
    ErrorOr<size_t> write(OpenFile& f, const IoBuffer& buf, u64&) override { return pipe_write(f, buf); }
    u32 poll(OpenFile& f) override
    {
        Pipe* p = pipe_of(f);
        return (reads(f) ? read_events(p) : 0) | (writes(f) ? write_events(p) : 0);
    }
    ErrorOr<i64> ioctl(OpenFile& f, u32 request, u64 arg) override { return pipe_ioctl(f, request, arg); }

private:
    static void drop(Pipe* p, bool r, bool w)
    {
        bool last;
        {
            SpinlockGuard list_guard(s_fifo_lock);
            {
                SpinlockGuard guard(p->lock);
                if (r)
                    p->readers--;
                if (w)
                    p->writers--;
                last = p->readers == 0 && p->writers == 0;
            }
            if (last)
                s_fifos.remove(*p);
        }
        if (last) {
            delete p;
            return;
        }
        notify(p);
    }
};

PipeReadOps s_read_ops;
PipeWriteOps s_write_ops;
FifoOps s_fifo_ops;
WaitQueue s_poll_waiters;
Atomic<u64> s_poll_generation;

} // namespace

FileOps& fifo_file_ops() { return s_fifo_ops; }

WaitQueue& poll_waiters() { return s_poll_waiters; }
Atomic<u64>& poll_generation() { return s_poll_generation; }

ErrorOr<PipeEnds> create_pipe(u32 flags)
{
    auto* p = new (std::nothrow) Pipe;
    if (!p)
        return Error::from_errno(ENOMEM);
    p->ring = static_cast<u8*>(heap::alloc(PIPE_CAPACITY));
    if (!p->ring) {
        delete p;
        return Error::from_errno(ENOMEM);
    }
    auto location = make_anonymous_inode(S_IFIFO | 0600);
    if (location.is_error()) {
        delete p;
        return location.release_error();
    }
    u32 status = flags & O_NONBLOCK;
    auto reader = OpenFile::create(location.value(), O_RDONLY | status, s_read_ops, p);
    if (reader.is_error()) {
        delete p;
        return reader.release_error();
    }
    auto writer = OpenFile::create(location.value(), O_WRONLY | status, s_write_ops, p);
    if (writer.is_error()) {
        // The read end's release drops the reader; drop the writer by hand.
        {
            SpinlockGuard guard(p->lock);
            p->writers = 0;
        }
        return writer.release_error(); // reader's RefPtr goes: releases p
    }
    return PipeEnds { reader.release_value(), writer.release_value() };
}

} // namespace fs
