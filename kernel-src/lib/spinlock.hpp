#pragma once
// Spinlocks and their RAII guard.
//
// The lock is fair (a ticket lock: CPUs get it in the order they asked) on
// bare metal. Under a hypervisor without paravirtual spinlocks a fair lock
// convoys: the next CPU in line may be a vCPU the host has descheduled, and
// every handoff then waits for the host scheduler (lock-waiter preemption;
// with 16 vCPUs on 2 host cores a contended handoff took milliseconds). There
// the lock is test-and-set, so whichever CPU is running takes it, as Linux's
// virt_spin_lock() does. The mode is chosen once at boot, before other CPUs
// run (spinlock_init), and can be forced with spinlock=ticket|tas.
//
// The guard saves the interrupt flag, disables interrupts, takes the lock,
// and restores both in reverse order when it goes out of scope, so no path
// can forget to unlock.
#include <arch/arch.hpp>
#include <lib/atomic.hpp>

class Spinlock {
public:
    enum class Mode : u8 { Auto, Fair, TestAndSet };

    constexpr Spinlock() = default;
    constexpr explicit Spinlock(Mode mode) : m_mode(mode) {}
    Spinlock(const Spinlock&) = delete;
    Spinlock& operator=(const Spinlock&) = delete;

    void lock()
    {
        if (fair()) {
            u32 ticket = m_next.fetch_add(1, __ATOMIC_RELAXED);
            while (m_serving.load(__ATOMIC_ACQUIRE) != ticket)
                arch::cpu_relax();
            return;
        }
        // Test-and-set: take a ticket only when it would be served at once
        // (no holder, nobody queued), so both modes share one unlock and a
        // lock can change mode whenever it is free.
        for (;;) {
            u32 serving = m_serving.load(__ATOMIC_ACQUIRE);
            u32 expected = serving;
            if (m_next.load(__ATOMIC_RELAXED) == serving && m_next.compare_exchange(expected, serving + 1))
                return;
            arch::cpu_relax();
        }
    }
    void unlock() { m_serving.store(m_serving.load(__ATOMIC_RELAXED) + 1, __ATOMIC_RELEASE); }
    bool is_locked() const { return m_next.load(__ATOMIC_RELAXED) != m_serving.load(__ATOMIC_RELAXED); }
    bool fair() const { return m_mode == Mode::Fair || (m_mode == Mode::Auto && s_fair_by_default); }

    // Sets the mode of every Mode::Auto lock. Only while one CPU runs.
    static void set_fair_by_default(bool fair) { s_fair_by_default = fair; }
    static bool fair_by_default() { return s_fair_by_default; }

private:
    static inline bool s_fair_by_default = true;
    Atomic<u32> m_next { 0 };    // next ticket to hand out
    Atomic<u32> m_serving { 0 }; // ticket being served; free when equal
    Mode m_mode = Mode::Auto;
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
