#pragma once
// A sleeping lock for long critical sections in thread context (file
// systems, address spaces): a thread that finds it taken sleeps until the
// holder releases it, instead of spinning with interrupts off. Never take a
// Mutex in an interrupt handler or while holding a Spinlock. Not recursive.
//
//   MutexGuard guard(inode.lock());
#include <lib/atomic.hpp>
#include <proc/wait_queue.hpp>

struct Thread;

class Mutex {
public:
    Mutex() = default;
    Mutex(const Mutex&) = delete;
    Mutex& operator=(const Mutex&) = delete;

    void lock();
    bool try_lock();
    void unlock();
    // True when the calling thread holds it (for assertions).
    bool held_by_current() const;
    bool is_locked() const { return m_owner.load(__ATOMIC_RELAXED) != nullptr; }

private:
    Atomic<Thread*> m_owner { nullptr };
    WaitQueue m_waiters;
};

class [[nodiscard]] MutexGuard {
public:
    explicit MutexGuard(Mutex& m) : m_mutex(m) { m_mutex.lock(); }
    ~MutexGuard() { m_mutex.unlock(); }
    MutexGuard(const MutexGuard&) = delete;
    MutexGuard& operator=(const MutexGuard&) = delete;

private:
    Mutex& m_mutex;
};
