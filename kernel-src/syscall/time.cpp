// Time system calls: clock_gettime, clock_getres, gettimeofday, time,
// nanosleep, clock_nanosleep.
#include <config.hpp>
#include <kernel/time.hpp>
#include <proc/process.hpp>
#include <proc/sched.hpp>
#include <syscalls.hpp>

namespace {
struct Timespec {
    i64 sec;
    i64 nsec;
};
constexpr u64 NS = 1000000000ull;
enum Clock : i32 {
    REALTIME = 0, MONOTONIC = 1, PROCESS_CPUTIME = 2, THREAD_CPUTIME = 3, MONOTONIC_RAW = 4,
    REALTIME_COARSE = 5, MONOTONIC_COARSE = 6, BOOTTIME = 7,
};

ErrorOr<u64> clock_now(i32 clock)
{
    switch (clock) {
    case REALTIME:
    case REALTIME_COARSE:
        return time::realtime_ns();
    case MONOTONIC:
    case MONOTONIC_RAW:
    case MONOTONIC_COARSE:
    case BOOTTIME:
        return time::since_boot_ns();
    case PROCESS_CPUTIME:
    case THREAD_CPUTIME: {
        Thread* t = sched::current();
        return (t->user_ticks + t->system_ticks) * (NS / config::timer_hz);
    }
    default:
        return Error::from_errno(EINVAL);
    }
}

ErrorOr<void> put_timespec(UserAddr addr, u64 ns)
{
    Timespec ts { static_cast<i64>(ns / NS), static_cast<i64>(ns % NS) };
    return copy_to_user(addr, &ts, sizeof(ts));
}

ErrorOr<u64> get_timespec(UserAddr addr)
{
    Timespec ts;
    TRY(copy_from_user(&ts, addr, sizeof(ts)));
    if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= static_cast<i64>(NS))
        return Error::from_errno(EINVAL);
    u64 sec = static_cast<u64>(ts.sec);
    if (sec > ~0ull / NS - 1)
        return ~0ull;
    return sec * NS + static_cast<u64>(ts.nsec);
}

// Sleeps until the monotonic deadline; EINTR (with the time left in *left)
// when a signal interrupts.
ErrorOr<void> sleep_until(u64 deadline, u64* left)
{
    u64 now = time::since_boot_ns();
    if (deadline <= now)
        return {};
    if (!sched::sleep_ns(deadline - now, true)) {
        now = time::since_boot_ns();
        *left = deadline > now ? deadline - now : 0;
        return Error::from_errno(EINTR);
    }
    return {};
}
} // namespace

ErrorOr<i64> sys_clock_gettime(i32 clock, UserAddr tp)
{
    u64 ns = TRY(clock_now(clock));
    TRY(put_timespec(tp, ns));
    return 0;
}

ErrorOr<i64> sys_clock_getres(i32 clock, UserAddr res)
{
    TRY(clock_now(clock));
    if (res) {
        // The clocks read the timestamp counter: nanosecond resolution; CPU
        // time and the coarse clocks count timer ticks.
        bool coarse = clock == PROCESS_CPUTIME || clock == THREAD_CPUTIME || clock == REALTIME_COARSE ||
                      clock == MONOTONIC_COARSE;
        TRY(put_timespec(res, coarse ? NS / config::timer_hz : 1));
    }
    return 0;
}

ErrorOr<i64> sys_gettimeofday(UserAddr tv, UserAddr tz)
{
    if (tv) {
        u64 ns = time::realtime_ns();
        i64 val[2] = { static_cast<i64>(ns / NS), static_cast<i64>(ns % NS / 1000) };
        TRY(copy_to_user(tv, val, sizeof(val)));
    }
    if (tz) {
        i32 zone[2] = { 0, 0 }; // UTC, no DST
        TRY(copy_to_user(tz, zone, sizeof(zone)));
    }
    return 0;
}

ErrorOr<i64> sys_time(UserAddr tloc)
{
    i64 now = static_cast<i64>(time::realtime_ns() / NS);
    if (tloc)
        TRY(put_user<i64>(tloc, now));
    return now;
}

ErrorOr<i64> sys_nanosleep(UserAddr req, UserAddr rem)
{
    u64 ns = TRY(get_timespec(req));
    u64 deadline = time::since_boot_ns() + ns;
    if (deadline < ns)
        deadline = ~0ull;
    u64 left = 0;
    auto slept = sleep_until(deadline, &left);
    if (slept.is_error()) {
        if (rem)
            TRY(put_timespec(rem, left));
        return slept.release_error();
    }
    return 0;
}

ErrorOr<i64> sys_clock_nanosleep(i32 clock, i32 flags, UserAddr request, UserAddr remain)
{
    constexpr i32 TIMER_ABSTIME = 1;
    if (clock == THREAD_CPUTIME)
        return Error::from_errno(EINVAL);
    TRY(clock_now(clock));
    u64 ns = TRY(get_timespec(request));
    u64 deadline;
    if (flags & TIMER_ABSTIME) {
        u64 now_clock = TRY(clock_now(clock));
        u64 now = time::since_boot_ns();
        deadline = ns > now_clock ? now + (ns - now_clock) : now;
    } else {
        deadline = time::since_boot_ns() + ns;
        if (deadline < ns)
            deadline = ~0ull;
    }
    u64 left = 0;
    auto slept = sleep_until(deadline, &left);
    if (slept.is_error()) {
        if (remain && !(flags & TIMER_ABSTIME))
            TRY(put_timespec(remain, left));
        return slept.release_error();
    }
    return 0;
}
