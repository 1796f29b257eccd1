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
