#pragma once
// What the rest of the kernel (procfs, sysinfo) may read about processes:
// snapshots copied out under the process table's lock, so readers never hold
// a pointer to a process that may exit.
#include <lib/error_or.hpp>
#include <lib/types.hpp>
#include <lib/vector.hpp>

namespace proc {

struct ProcessInfo {
    i32 pid;
    i32 ppid;
    i32 pgid;
    i32 sid;
    // Linux's one-letter state: R running/runnable, S sleeping
    // (interruptible), D uninterruptible, T stopped, Z zombie.
    char state;
    char comm[16];        // program name (NUL-terminated, at most 15 chars)
    u32 cpu;              // CPU it runs on or last ran on
    u32 threads;
    u32 uid, gid;
    i32 tty_nr;           // controlling terminal as Linux encodes it, 0 if none
    i32 tpgid;            // foreground process group of that terminal, -1 if none
    u64 utime_ticks;      // user and system CPU time, in clock ticks (USER_HZ = 100)
    u64 stime_ticks;
    u64 cutime_ticks;     // of waited-for children
    u64 cstime_ticks;
    u64 start_ticks;      // start time after boot, in USER_HZ ticks
    u64 vsize_bytes;      // virtual memory size
    u64 rss_pages;        // resident pages
    u64 minor_faults;
    u64 start_code, end_code, start_stack, start_brk, brk;
    u64 arg_start, arg_end, env_start, env_end;
    i32 exit_code;        // wait status for zombies, else 0

    // Added for procfs. The defaults describe an ordinary process; the
    // process code fills in what it tracks.
    bool kernel_thread = false; // no user memory: no Vm* lines, address fields 0
    u32 umask = 022;
    i32 nice = 0;
    i32 priority = 20;          // /proc/PID/stat field 18 (20 + nice for normal tasks)
    u32 policy = 0;             // SCHED_OTHER
    u32 rt_priority = 0;
    i32 exit_signal = 17;       // SIGCHLD
    u32 kernel_flags = 0;       // PF_* (stat field 9)
    u64 major_faults = 0;
    u64 children_minor_faults = 0, children_major_faults = 0;
    u64 start_data = 0, end_data = 0;
    u64 signals_pending = 0, signals_blocked = 0, signals_ignored = 0, signals_caught = 0;
    u64 vm_peak_bytes = 0;      // VmPeak (0: same as vsize)
    u64 rss_peak_pages = 0;     // VmHWM (0: same as rss)
    u64 rss_anon_pages = 0, rss_file_pages = 0, rss_shmem_pages = 0;
    u64 data_bytes = 0, stack_bytes = 0, exe_bytes = 0, lib_bytes = 0, page_table_bytes = 0;
    u64 voluntary_switches = 0, involuntary_switches = 0;
    u32 fd_table_size = 64;     // FDSize
    u64 cpus_allowed = ~0ull;   // affinity over the first 64 CPUs
    char exe[256] = {};         // /proc/PID/exe's target; "" when unknown (ENOENT)
};

// Live processes (zombies included), ascending.
ErrorOr<void> list_pids(Vector<i32>& out);
// ESRCH when no such process.
ErrorOr<void> get_info(i32 pid, ProcessInfo& out);
// The process's argv as Linux's /proc/PID/cmdline shows it (each argument
// NUL-terminated); returns the bytes written (truncated to size). 0 for
// kernel threads and zombies.
ErrorOr<size_t> read_cmdline(i32 pid, char* buf, size_t size);
// PID of the calling process (/proc/self), 0 when not in a process.
i32 current_pid();

} // namespace proc
