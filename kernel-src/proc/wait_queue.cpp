#include <kernel/time.hpp>
#include <proc/timer.hpp>
#include <proc/wait_queue.hpp>

ErrorOr<bool> WaitQueue::sleep_once(bool interruptible, u64 deadline_ns, bool (*cond)(void*), void* ctx)
{
    Thread* t = sched::current();
    if (interruptible && thread::has_unblocked_signal(*t))
        return Error::from_errno(EINTR);
    if (deadline_ns && time::since_boot_ns() >= deadline_ns)
        return Error::from_errno(ETIMEDOUT);
    u64 flags = arch::irq_save();
    if (deadline_ns)
        timer::arm(t, deadline_ns);
    {
        m_lock.lock();
        m_waiters.push_back(*t);
        sched::prepare_to_sleep(interruptible);
        m_lock.unlock();
    }
    // Published: a waker from now on finds us. Check once more before
    // sleeping so a change that happened just before is not slept through.
    bool done = cond(ctx);
    if (done || (interruptible && thread::has_unblocked_signal(*t)))
        sched::cancel_sleep();
    else
        sched::schedule();
    {
        m_lock.lock();
        if (t->wait_node.linked())
            m_waiters.remove(*t);
        m_lock.unlock();
    }
    bool timed_out = false;
    if (deadline_ns) {
        timer::cancel(t);
        timed_out = t->timed_out;
    }
    arch::irq_restore(flags);
    if (done)
        return true;
    // The caller re-checks the condition before these count.
    UNUSED(timed_out);
    return false;
}

u32 WaitQueue::wake_one(sched::Wake how)
{
    SpinlockGuard guard(m_lock);
    // Wake the first thread that was actually still sleeping.
    while (Thread* t = m_waiters.pop_front()) {
        if (sched::wake(t, how))
            return 1;
    }
    return 0;
}

u32 WaitQueue::wake_all(sched::Wake how)
{
    SpinlockGuard guard(m_lock);
    u32 n = 0;
    while (Thread* t = m_waiters.pop_front())
        n += sched::wake(t, how) ? 1 : 0;
    return n;
}

bool WaitQueue::has_waiters()
{
    SpinlockGuard guard(m_lock);
    return !m_waiters.empty();
}
