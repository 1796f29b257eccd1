#include <kernel/time.hpp>
#include <proc/sched.hpp>
#include <proc/timer.hpp>

namespace timer {
namespace {
Spinlock s_lock;
IntrusiveList<Thread, &Thread::timer_node> s_sleepers; // ascending wake_at_ns
IntrusiveList<Callback, &Callback::node> s_callbacks;  // ascending deadline_ns
Atomic<u64> s_earliest { ~0ull };                     // earliest deadline, read without the lock

void update_earliest()
{
    Thread* head = s_sleepers.front();
    Callback* first = s_callbacks.front();
    u64 a = head ? head->wake_at_ns : ~0ull;
    u64 b = first ? first->deadline_ns : ~0ull;
    s_earliest.store(min(a, b), __ATOMIC_RELEASE);
}
} // namespace

void arm(Thread* t, u64 deadline_ns)
{
    SpinlockGuard guard(s_lock);
    if (t->timer_node.linked())
        s_sleepers.remove(*t);
    t->wake_at_ns = deadline_ns;
    t->timed_out = false;
    Thread* after = nullptr;
    for (Thread& other : s_sleepers) {
        if (other.wake_at_ns > deadline_ns) {
            after = &other;
            break;
        }
    }
    if (after)
        s_sleepers.insert_before(*after, *t);
    else
        s_sleepers.push_back(*t);
    update_earliest();
}

void insert_locked(Callback& c, u64 deadline_ns);

void arm(Callback& c, u64 deadline_ns)
{
    SpinlockGuard guard(s_lock);
    insert_locked(c, deadline_ns);
}

void insert_locked(Callback& c, u64 deadline_ns)
{
    if (c.node.linked())
        s_callbacks.remove(c);
    c.deadline_ns = deadline_ns;
    Callback* after = nullptr;
    for (Callback& other : s_callbacks) {
        if (other.deadline_ns > deadline_ns) {
            after = &other;
            break;
        }
    }
    if (after)
        s_callbacks.insert_before(*after, c);
    else
        s_callbacks.push_back(c);
    update_earliest();
}

void cancel(Callback& c)
{
    SpinlockGuard guard(s_lock);
    if (c.node.linked()) {
        s_callbacks.remove(c);
        update_earliest();
    }
}

void cancel(Thread* t)
{
    SpinlockGuard guard(s_lock);
    if (t->timer_node.linked()) {
        s_sleepers.remove(*t);
        update_earliest();
    }
}

void run_expired()
{
    u64 now = time::since_boot_ns();
    if (now < s_earliest.load(__ATOMIC_ACQUIRE))
        return;
    // Wake under the list lock: a thread woken another way calls cancel()
    // before it can exit, which waits here, so `due` stays alive. Lock
    // order: timer list, then the thread's sched_lock, then a run queue.
    SpinlockGuard guard(s_lock);
    while (Thread* head = s_sleepers.front()) {
        if (head->wake_at_ns > now)
            break;
        s_sleepers.remove(*head);
        head->timed_out = true;
        sched::wake(head);
    }
    while (Callback* c = s_callbacks.front()) {
        if (c->deadline_ns > now)
            break;
        s_callbacks.remove(*c);
        u64 next = c->fn(c->arg, now);
        if (next)
            insert_locked(*c, next);
    }
    update_earliest();
}

} // namespace timer
