#pragma once
// A reusable sense-reversing barrier for a fixed number of participants:
// wait() returns once all of them have called it, and the barrier is ready
// for the next round immediately.
#include <arch/arch.hpp>
#include <lib/atomic.hpp>

class Barrier {
public:
    explicit Barrier(u32 participants) : m_participants(participants) {}

    void wait()
    {
        u32 generation = m_generation.load(__ATOMIC_ACQUIRE);
        if (m_arrived.fetch_add(1, __ATOMIC_ACQ_REL) + 1 == m_participants) {
            m_arrived.store(0, __ATOMIC_RELAXED);
            m_generation.fetch_add(1, __ATOMIC_RELEASE);
            return;
        }
        while (m_generation.load(__ATOMIC_ACQUIRE) == generation)
            arch::cpu_relax();
    }

private:
    u32 m_participants;
    Atomic<u32> m_arrived { 0 };
    Atomic<u32> m_generation { 0 };
};
