// Provisional implementation until the scheduler exists: the lock is taken
// with a compare-and-swap and waiters spin. The scheduler replaces the wait
// with a sleep on m_waiters; the interface does not change.
#include <kernel/percpu.hpp>
#include <proc/mutex.hpp>

namespace {
// Until threads exist, the owner is the CPU's block (unique per CPU).
Thread* current_owner_token() { return reinterpret_cast<Thread*>(this_cpu()); }
} // namespace

void Mutex::lock()
{
    while (!try_lock())
        arch::cpu_relax();
}

bool Mutex::try_lock()
{
    Thread* expected = nullptr;
    return m_owner.compare_exchange(expected, current_owner_token());
}

void Mutex::unlock() { m_owner.store(nullptr, __ATOMIC_RELEASE); }

bool Mutex::held_by_current() const { return m_owner.load(__ATOMIC_RELAXED) == current_owner_token(); }
