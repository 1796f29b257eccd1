#pragma once
// A queue of sleeping threads, woken by whoever changes the condition they
// wait for (pipe data, a child's exit, a released Mutex, TTY input).
//
//   ErrorOr<void> r = queue.wait_until([&] { return pipe.has_data(); }, true);
//   ...                       // producer side:
//   queue.wake_all();
//
// wait_until re-checks the condition after publishing the sleep, so a wake
// between the check and the sleep is never lost. The condition is evaluated
// with interrupts enabled and no lock held by the queue: it must read state
// that the waker changes before calling wake_*().
#include <lib/error_or.hpp>
#include <lib/list.hpp>
#include <lib/spinlock.hpp>
#include <proc/sched.hpp>

class WaitQueue {
public:
    WaitQueue() = default;
    WaitQueue(const WaitQueue&) = delete;
    WaitQueue& operator=(const WaitQueue&) = delete;

    // Sleeps until cond() is true. Interruptible waits return EINTR when a
    // signal is pending for the thread; with a deadline (nanoseconds since
    // boot, 0 = none) ETIMEDOUT when it passes first.
    template <typename F> ErrorOr<void> wait_until(F cond, bool interruptible, u64 deadline_ns = 0)
    {
        for (;;) {
            if (cond())
                return {};
            // True: cond() held on the re-check (it may have side effects,
            // such as taking a lock, so it is never evaluated again after
            // holding once).
            bool done = TRY(sleep_once(interruptible, deadline_ns, [](void* c) { return (*static_cast<F*>(c))(); }, &cond));
            if (done)
                return {};
        }
    }

    // Wakes the threads that are sleeping here; returns how many. Sync:
    // the caller is about to sleep (sched::Wake::Sync).
    u32 wake_one(sched::Wake how = sched::Wake::Normal);
    u32 wake_all(sched::Wake how = sched::Wake::Normal);
    bool has_waiters();

private:
    // One sleep: queue, publish, re-check cond, schedule. Returns true when
    // the re-check found cond() true, false when woken (the caller checks
    // again), or EINTR / ETIMEDOUT.
    ErrorOr<bool> sleep_once(bool interruptible, u64 deadline_ns, bool (*cond)(void*), void* ctx);

    Spinlock m_lock;
    IntrusiveList<Thread, &Thread::wait_node> m_waiters;
};
