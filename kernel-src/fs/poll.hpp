#pragma once
// Waiting for any of several files (poll, select): one wait queue that
// every source of readiness (pipes, terminals) also wakes. A poller sleeps
// on it and re-checks all its files after each wake-up; wakers call
// poll_notify() after changing what FileOps::poll would report.
#include <proc/wait_queue.hpp>

namespace fs {
WaitQueue& poll_waiters();
// Bumped by every notification: a poller reads it before checking its
// files and sleeps until it changes, so no notification is lost.
Atomic<u64>& poll_generation();
inline void poll_notify()
{
    poll_generation().fetch_add(1);
    poll_waiters().wake_all();
}
} // namespace fs
