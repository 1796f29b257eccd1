// The owner is the current thread (or, before the scheduler runs on this
// CPU, the CPU's block, so early boot code can use a Mutex too: it then
// spins, there being nothing else to run).
#include <kernel/panic.hpp>
#include <kernel/percpu.hpp>
#include <proc/mutex.hpp>

namespace {
Thread* owner_token()
{
    Cpu* cpu = this_cpu();
    return cpu->current ? cpu->current : reinterpret_cast<Thread*>(cpu);
}
} // namespace

bool Mutex::try_lock()
{
    Thread* expected = nullptr;
    return m_owner.compare_exchange(expected, owner_token());
}

void Mutex::lock()
{
    if (try_lock())
        return;
    if (held_by_current())
        panic("mutex: recursive lock by %s", this_cpu()->current ? this_cpu()->current->name : "boot");
    if (!this_cpu()->current) {
        while (!try_lock())
            arch::cpu_relax();
        return;
    }
    // Uninterruptible: a lock holder always lets go.
    (void)m_waiters.wait_until([this] { return try_lock(); }, false);
}

void Mutex::unlock()
{
    m_owner.store(nullptr, __ATOMIC_RELEASE);
    m_waiters.wake_one();
}

bool Mutex::held_by_current() const { return m_owner.load(__ATOMIC_RELAXED) == owner_token(); }
