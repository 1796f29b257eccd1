#pragma once
// A fair (ticket) spinlock and its RAII guard. The guard saves the interrupt
// flag, disables interrupts, takes the lock, and restores both in reverse
// order when it goes out of scope, so no path can forget to unlock.
#include <arch/arch.hpp>
#include <lib/atomic.hpp>

class Spinlock {
public:
    constexpr Spinlock() = default;
    Spinlock(const Spinlock&) = delete;
    Spinlock& operator=(const Spinlock&) = delete;

    void lock()
    {
        u32 ticket = m_next.fetch_add(1, __ATOMIC_RELAXED);
        while (m_serving.load(__ATOMIC_ACQUIRE) != ticket)
            arch::cpu_relax();
    }
    void unlock() { m_serving.store(m_serving.load(__ATOMIC_RELAXED) + 1, __ATOMIC_RELEASE); }
    bool is_locked() const { return m_next.load(__ATOMIC_RELAXED) != m_serving.load(__ATOMIC_RELAXED); }

private:
    Atomic<u32> m_next { 0 };
    Atomic<u32> m_serving { 0 };
};

class [[nodiscard]] SpinlockGuard {
public:
    explicit SpinlockGuard(Spinlock& lock) : m_lock(lock), m_flags(arch::irq_save()) { m_lock.lock(); }
    ~SpinlockGuard()
    {
        m_lock.unlock();
        arch::irq_restore(m_flags);
    }
    SpinlockGuard(const SpinlockGuard&) = delete;
    SpinlockGuard& operator=(const SpinlockGuard&) = delete;

private:
    Spinlock& m_lock;
    u64 m_flags;
};
