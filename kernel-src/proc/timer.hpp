#pragma once
// Deadlines for sleeping threads: a list sorted by wake-up time, checked on
// every CPU's timer tick (resolution: one tick).
#include <proc/thread.hpp>

namespace timer {
// Wakes `t` (sched::wake, with t->timed_out set) once since_boot_ns()
// reaches deadline_ns, unless cancelled first.
void arm(Thread* t, u64 deadline_ns);
void cancel(Thread* t);
// Wakes every thread whose deadline has passed (the tick calls this).
void run_expired();
} // namespace timer
