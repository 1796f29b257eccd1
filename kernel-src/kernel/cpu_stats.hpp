#pragma once
// CPU time and scheduler counters that /proc/stat, /proc/uptime,
// /proc/loadavg and sysinfo report. Each CPU adds to its own entry from its
// timer tick and its context switches (no shared cache line on those
// paths); CPU 0 folds the runnable count into the load averages every five
// seconds, as Linux's calc_global_load does.
#include <config.hpp>
#include <lib/atomic.hpp>
#include <lib/types.hpp>

namespace cpu_stats {

// Nanoseconds each CPU spent in each state (the columns of /proc/stat), and
// its context switches.
struct CpuTimes {
    Atomic<u64> user_ns, nice_ns, system_ns, idle_ns, iowait_ns, irq_ns, softirq_ns, steal_ns;
    Atomic<u64> context_switches;
};

inline CpuTimes per_cpu[config::max_cpus];
// Processes and threads created since boot (/proc/stat processes) and the
// last PID handed out (/proc/loadavg).
inline Atomic<u64> forks;
inline Atomic<i32> last_pid;
// Load averages over 1, 5 and 15 minutes in Linux's fixed point
// (FSHIFT = 11: 1.0 is 2048).
constexpr u32 LOAD_FSHIFT = 11;
constexpr u64 LOAD_FIXED_1 = 1ull << LOAD_FSHIFT;
inline Atomic<u64> load_average[3];

enum class TickKind { User, System, Idle };

// A timer tick of `ns` spent in `kind` on `cpu`.
void account_tick(u32 cpu, TickKind kind, u64 ns);
inline void note_context_switch(u32 cpu) { per_cpu[cpu].context_switches.fetch_add(1, __ATOMIC_RELAXED); }
u64 total_context_switches();
u64 total_idle_ns(u32 cpus);

// One step of the exponential averages with `active` runnable threads
// (kernel/sched/loadavg.c calc_load, every LOAD_FREQ = 5 s).
u64 calc_load(u64 load, u64 exp, u64 active);
void fold_load(u32 active);
// How many timer ticks apart fold_load runs (5 s and one tick, as Linux).
u64 load_interval_ticks();

} // namespace cpu_stats
