#pragma once
// The text of /proc files, in Linux's exact formats, as pure functions of
// their inputs: procfs gathers the figures, these only print them, and the
// KTAP tests feed them synthetic input and compare the text byte for byte.
// References: Linux 6.1 fs/proc/{meminfo,stat,uptime,loadavg,version,
// array,task_mmu}.c, arch/x86/kernel/cpu/proc.c, kernel/sched/stats.c,
// fs/proc_namespace.c, and proc(5).
#include <arch/arch.hpp>
#include <lib/text_buffer.hpp>
#include <proc/process_info.hpp>

namespace procfs {

// /proc/meminfo. Every figure is in pages except where noted.
struct MemInfo {
    u64 total, free, available, buffers, cached, swap_cached;
    u64 active, inactive, active_anon, inactive_anon, active_file, inactive_file, unevictable, mlocked;
    u64 swap_total, swap_free, zswap, zswapped, dirty, writeback, anon_pages, mapped, shmem;
    u64 kreclaimable, slab, sreclaimable, sunreclaim;
    u64 kernel_stack_kb; // KernelStack is kept in kB, as Linux does
    u64 page_tables, nfs_unstable, bounce, writeback_tmp, commit_limit, committed_as;
    u64 vmalloc_total_kb, vmalloc_used_kb, vmalloc_chunk_kb, percpu, hardware_corrupted_kb;
    u64 anon_huge, shmem_huge, shmem_pmd_mapped, file_huge, file_pmd_mapped;
    u64 huge_total, huge_free, huge_rsvd, huge_surp, hugepage_kb, hugetlb_kb;
    u64 direct_map_4k_kb, direct_map_2m_kb, direct_map_1g_kb;
    bool show_direct_map_1g; // the CPU has 1 GiB pages
};
void format_meminfo(const MemInfo& m, TextBuffer& out);

// /proc/uptime: seconds since boot and idle seconds summed over CPUs.
void format_uptime(u64 uptime_ns, u64 idle_ns, TextBuffer& out);

// /proc/loadavg. `load` in fixed point (FSHIFT 11).
void format_loadavg(const u64 load[3], u32 running, u32 threads, i32 last_pid, TextBuffer& out);

// /proc/cpuinfo: one block per CPU.
struct CpuInfo {
    u32 processor;
    u32 apic_id;
    u32 cpu_count;
    u64 khz; // timestamp-counter frequency
    const arch::CpuDescription* cpu;
};
void format_cpuinfo_block(const CpuInfo& c, TextBuffer& out);

// /proc/stat. Times in nanoseconds (printed in USER_HZ ticks).
struct CpuTimeRow {
    u64 user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice;
};
struct StatInfo {
    CpuTimeRow total;
    const CpuTimeRow* cpus; // one per online CPU
    u32 cpu_count;
    u64 interrupts;         // all interrupts since boot
    u64 context_switches;
    u64 boot_time;          // seconds since the epoch
    u64 processes;          // forks since boot
    u32 running, blocked;
};
void format_stat(const StatInfo& s, TextBuffer& out);

// /proc/schedstat: version 15, the tick count, a line per CPU.
void format_schedstat(u64 ticks, u32 cpu_count, TextBuffer& out);

// /proc/version.
void format_version(TextBuffer& out);

// One line of /proc/mounts (fields escaped as Linux's mangle() does).
void format_mount_line(const char* source, const char* path, const char* type, const char* options,
                       TextBuffer& out);

// /proc/PID/stat (52 fields), /proc/PID/status, /proc/PID/statm.
void format_pid_stat(const proc::ProcessInfo& p, TextBuffer& out);
void format_pid_status(const proc::ProcessInfo& p, u32 cpu_count, TextBuffer& out);
void format_pid_statm(const proc::ProcessInfo& p, TextBuffer& out);

// Clock ticks per second of the user ABI (USER_HZ).
constexpr u64 USER_HZ = 100;
constexpr u64 ns_to_clock_t(u64 ns) { return ns / (1000000000 / USER_HZ); }

// The release uname(2) and /proc/version report: glibc wants >= 3.2.
constexpr const char* KERNEL_RELEASE = "6.1.0-oskit";

} // namespace procfs
