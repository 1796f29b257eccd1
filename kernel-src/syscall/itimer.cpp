// Interval timers: setitimer/getitimer (ITIMER_REAL) and alarm. The timer
// is the process's; SIGALRM goes to it at each expiry.
#include <kernel/time.hpp>
#include <proc/process.hpp>
#include <proc/signal.hpp>
#include <syscalls.hpp>

namespace {
constexpr i32 ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
constexpr u64 NS = 1000000000ull;

struct Timeval {
    i64 sec;
    i64 usec;
};
struct Itimerval {
    Timeval interval;
    Timeval value;
};

// Runs under the timer list lock; the process cancels its timer before it
// goes away, so it is alive here.
u64 expire(void* arg, u64 now)
{
    auto* p = static_cast<Process*>(arg);
    SigInfo info {};
    info.signo = SIGALRM;
    info.code = SI_KERNEL;
    signal::send(p, SIGALRM, info);
    return p->real_interval_ns ? now + p->real_interval_ns : 0;
}

ErrorOr<u64> to_ns(const Timeval& tv)
{
    if (tv.sec < 0 || tv.usec < 0 || tv.usec >= 1000000)
        return Error::from_errno(EINVAL);
    return static_cast<u64>(tv.sec) * NS + static_cast<u64>(tv.usec) * 1000;
}

Timeval to_timeval(u64 ns)
{
    // A running timer never reads as zero (it would look disarmed).
    u64 usec = (ns + 999) / 1000;
    return { static_cast<i64>(usec / 1000000), static_cast<i64>(usec % 1000000) };
}

Itimerval current(Process* p)
{
    u64 now = time::since_boot_ns();
    bool armed = p->real_timer.node.linked();
    u64 left = armed && p->real_timer.deadline_ns > now ? p->real_timer.deadline_ns - now : (armed ? 1 : 0);
    return { to_timeval(p->real_interval_ns), to_timeval(left) };
}
} // namespace

ErrorOr<i64> sys_getitimer(i32 which, UserAddr curr_value)
{
    if (which == ITIMER_VIRTUAL || which == ITIMER_PROF) {
        Itimerval zero {};
        TRY(copy_to_user(curr_value, &zero, sizeof(zero)));
        return 0;
    }
    if (which != ITIMER_REAL)
        return Error::from_errno(EINVAL);
    Itimerval v = current(proc::current_process());
    TRY(copy_to_user(curr_value, &v, sizeof(v)));
    return 0;
}

ErrorOr<i64> sys_setitimer(i32 which, UserAddr new_value, UserAddr old_value)
{
    if (which == ITIMER_VIRTUAL || which == ITIMER_PROF)
        return Error::from_errno(EINVAL); // CPU-time timers are not kept
    if (which != ITIMER_REAL)
        return Error::from_errno(EINVAL);
    Process* p = proc::current_process();
    Itimerval fresh {};
    if (new_value)
        TRY(copy_from_user(&fresh, new_value, sizeof(fresh)));
    u64 value = TRY(to_ns(fresh.value));
    u64 interval = TRY(to_ns(fresh.interval));
    Itimerval old = current(p);
    timer::cancel(p->real_timer);
    p->real_interval_ns = interval;
    if (value) {
        p->real_timer.fn = expire;
        p->real_timer.arg = p;
        timer::arm(p->real_timer, time::since_boot_ns() + value);
    }
    if (old_value)
        TRY(copy_to_user(old_value, &old, sizeof(old)));
    return 0;
}

ErrorOr<i64> sys_alarm(u32 seconds)
{
    Process* p = proc::current_process();
    Itimerval old = current(p);
    timer::cancel(p->real_timer);
    p->real_interval_ns = 0;
    if (seconds) {
        p->real_timer.fn = expire;
        p->real_timer.arg = p;
        timer::arm(p->real_timer, time::since_boot_ns() + static_cast<u64>(seconds) * NS);
    }
    // Whole seconds left on the old alarm, rounded up (0 only when none).
    return old.value.sec + (old.value.usec ? 1 : 0);
}
