#pragma once
// Deadlines for sleeping threads: a list sorted by wake-up time, checked on
// every CPU's timer tick (resolution: one tick).
#include <proc/thread.hpp>

namespace timer {

// A deadline that runs a function (interrupt context, timer lock held:
// it must be short and take only locks that come after the timer list's).
// It returns the next deadline (interval timers), or 0.
struct Callback {
    u64 deadline_ns = 0;
    u64 (*fn)(void* arg, u64 now_ns) = nullptr;
    void* arg = nullptr;
    ListNode node;
};
void arm(Callback& c, u64 deadline_ns);
void cancel(Callback& c);

// Wakes `t` (sched::wake, with t->timed_out set) once since_boot_ns()
// reaches deadline_ns, unless cancelled first.
void arm(Thread* t, u64 deadline_ns);
void cancel(Thread* t);
// Wakes every thread whose deadline has passed (the tick calls this).
void run_expired();
} // namespace timer
