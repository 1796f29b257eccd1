#pragma once
// CPU time and scheduler counters that /proc/stat, /proc/uptime,
// /proc/loadavg and /proc/schedstat report. The scheduler fills them (each
// CPU adds to its own entry from its tick or context switch); until it does
// they stay zero and the files show zeros, in the right format.
#include <config.hpp>
#include <lib/atomic.hpp>
#include <lib/types.hpp>

namespace cpu_stats {

// Nanoseconds each CPU spent in each state, the columns of /proc/stat.
struct CpuTimes {
    Atomic<u64> user_ns, nice_ns, system_ns, idle_ns, iowait_ns, irq_ns, softirq_ns, steal_ns;
};

inline CpuTimes per_cpu[config::max_cpus];
// Context switches since boot (/proc/stat ctxt), processes and threads
// created (processes), and the last PID handed out (/proc/loadavg).
inline Atomic<u64> context_switches;
inline Atomic<u64> forks;
inline Atomic<i32> last_pid;
// Load averages over 1, 5 and 15 minutes in Linux's fixed point
// (FSHIFT = 11: 1.0 is 2048), as calc_global_load computes them.
constexpr u32 LOAD_FSHIFT = 11;
inline Atomic<u64> load_average[3];

} // namespace cpu_stats
