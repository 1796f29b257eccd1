// Pipes (see pipe.hpp).
//
// Locking: `lock` (a spinlock) guards the ring and the reader/writer
// counts; it is held only to move bytes between the ring and a small kernel
// buffer, never across a user copy. `write_lock` (a Mutex) keeps one
// writer's whole write together, so writes up to PIPE_BUF never interleave.
#include <fs/anon.hpp>
#include <fs/pipe.hpp>
#include <fs/poll.hpp>
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

    ~Pipe() { heap::free(ring); }
    u64 space() const { return PIPE_CAPACITY - count; }
};

Pipe* pipe_of(OpenFile& f) { return static_cast<Pipe*>(f.private_data()); }

void notify(Pipe* p)
{
    p->readable.wake_all();
    p->writable.wake_all();
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

class PipeReadOps final : public FileOps {
public:
    void release(OpenFile& f) override { release_end(pipe_of(f), true); }
    bool seekable() const override { return false; }

    ErrorOr<size_t> read(OpenFile& f, const IoBuffer& buf, u64) override
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
        notify(p);
        return done;
    }

    u32 poll(OpenFile& f) override
    {
        Pipe* p = pipe_of(f);
        SpinlockGuard guard(p->lock);
        u32 events = 0;
        if (p->count > 0)
            events |= POLLIN | POLLRDNORM;
        if (p->writers == 0)
            events |= POLLHUP;
        return events;
    }

    ErrorOr<i64> ioctl(OpenFile& f, u32 request, u64 arg) override
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
};

class PipeWriteOps final : public FileOps {
public:
    void release(OpenFile& f) override { release_end(pipe_of(f), false); }
    bool seekable() const override { return false; }

    ErrorOr<size_t> write(OpenFile& f, const IoBuffer& buf, u64&) override
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
            notify(p);
        }
        return done;
    }

    u32 poll(OpenFile& f) override
    {
        Pipe* p = pipe_of(f);
        SpinlockGuard guard(p->lock);
        if (p->readers == 0)
            return POLLERR | POLLOUT | POLLWRNORM;
        return p->space() >= PIPE_BUF ? (POLLOUT | POLLWRNORM) : 0;
    }
};

PipeReadOps s_read_ops;
PipeWriteOps s_write_ops;
WaitQueue s_poll_waiters;
Atomic<u64> s_poll_generation;

} // namespace

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
