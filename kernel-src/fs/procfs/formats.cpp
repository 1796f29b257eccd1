#include <config.hpp>
#include <fs/procfs/formats.hpp>
#include <lib/string.hpp>

namespace procfs {
namespace {

constexpr u64 kb(u64 pages) { return pages * 4; } // PAGE_SIZE / 1024

// show_val_kb: a 16-column label, the value in kB right-aligned in 8.
void val_kb(TextBuffer& out, const char* label, u64 pages) { out.appendf("%-16s%8lu kB\n", label, kb(pages)); }
void raw_kb(TextBuffer& out, const char* label, u64 kb_value) { out.appendf("%-16s%8lu kB\n", label, kb_value); }

// A bitmap of `bits` bits as %*pb prints it: 32-bit chunks in hex, most
// significant first, separated by commas; the first chunk as wide as its
// bits need, the others zero-padded to 8 digits.
void bitmap_hex(TextBuffer& out, const u64* words, u32 bits)
{
    u32 chunks = (bits + 31) / 32;
    for (u32 c = chunks; c-- > 0;) {
        u32 word = static_cast<u32>(words[c / 2] >> (32 * (c % 2)));
        u32 chunk_bits = (c == chunks - 1 && bits % 32) ? bits % 32 : 32;
        if (chunk_bits < 32)
            word &= (1u << chunk_bits) - 1;
        if (c != chunks - 1)
            out.append_char(',');
        out.appendf("%0*x", static_cast<int>((chunk_bits + 3) / 4), word);
    }
}

// The same bitmap as %*pbl prints it: ranges "0-3,5".
void bitmap_list(TextBuffer& out, const u64* words, u32 bits)
{
    bool first = true;
    for (u32 i = 0; i < bits;) {
        if (!(words[i / 64] & (1ull << (i % 64)))) {
            i++;
            continue;
        }
        u32 j = i;
        while (j + 1 < bits && (words[(j + 1) / 64] & (1ull << ((j + 1) % 64))))
            j++;
        if (!first)
            out.append_char(',');
        first = false;
        if (j == i)
            out.appendf("%u", i);
        else
            out.appendf("%u-%u", i, j);
        i = j + 1;
    }
}

// mangle() in fs/proc_namespace.c: octal escapes for what would break the
// space-separated fields.
void mangle(TextBuffer& out, const char* s)
{
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
            out.appendf("\\%03o", static_cast<unsigned char>(*s));
        else
            out.append_char(*s);
    }
}

const char* state_name(char state)
{
    switch (state) {
    case 'R': return "R (running)";
    case 'S': return "S (sleeping)";
    case 'D': return "D (disk sleep)";
    case 'T': return "T (stopped)";
    case 't': return "t (tracing stop)";
    case 'X': return "X (dead)";
    case 'Z': return "Z (zombie)";
    case 'P': return "P (parked)";
    case 'I': return "I (idle)";
    default: return "R (running)";
    }
}

// proc_task_name(.., escape=true): the name with \n and \\ escaped.
void escaped_name(TextBuffer& out, const char* name)
{
    for (const char* p = name; *p; p++) {
        if (*p == '\n')
            out.append("\\n");
        else if (*p == '\\')
            out.append("\\\\");
        else
            out.append_char(*p);
    }
}

} // namespace

void format_meminfo(const MemInfo& m, TextBuffer& out)
{
    val_kb(out, "MemTotal:", m.total);
    val_kb(out, "MemFree:", m.free);
    val_kb(out, "MemAvailable:", m.available);
    val_kb(out, "Buffers:", m.buffers);
    val_kb(out, "Cached:", m.cached);
    val_kb(out, "SwapCached:", m.swap_cached);
    val_kb(out, "Active:", m.active);
    val_kb(out, "Inactive:", m.inactive);
    val_kb(out, "Active(anon):", m.active_anon);
    val_kb(out, "Inactive(anon):", m.inactive_anon);
    val_kb(out, "Active(file):", m.active_file);
    val_kb(out, "Inactive(file):", m.inactive_file);
    val_kb(out, "Unevictable:", m.unevictable);
    val_kb(out, "Mlocked:", m.mlocked);
    val_kb(out, "SwapTotal:", m.swap_total);
    val_kb(out, "SwapFree:", m.swap_free);
    val_kb(out, "Zswap:", m.zswap);
    val_kb(out, "Zswapped:", m.zswapped);
    val_kb(out, "Dirty:", m.dirty);
    val_kb(out, "Writeback:", m.writeback);
    val_kb(out, "AnonPages:", m.anon_pages);
    val_kb(out, "Mapped:", m.mapped);
    val_kb(out, "Shmem:", m.shmem);
    val_kb(out, "KReclaimable:", m.kreclaimable);
    val_kb(out, "Slab:", m.slab);
    val_kb(out, "SReclaimable:", m.sreclaimable);
    val_kb(out, "SUnreclaim:", m.sunreclaim);
    raw_kb(out, "KernelStack:", m.kernel_stack_kb);
    val_kb(out, "PageTables:", m.page_tables);
    val_kb(out, "NFS_Unstable:", m.nfs_unstable);
    val_kb(out, "Bounce:", m.bounce);
    val_kb(out, "WritebackTmp:", m.writeback_tmp);
    val_kb(out, "CommitLimit:", m.commit_limit);
    val_kb(out, "Committed_AS:", m.committed_as);
    raw_kb(out, "VmallocTotal:", m.vmalloc_total_kb);
    raw_kb(out, "VmallocUsed:", m.vmalloc_used_kb);
    raw_kb(out, "VmallocChunk:", m.vmalloc_chunk_kb);
    val_kb(out, "Percpu:", m.percpu);
    out.appendf("HardwareCorrupted: %5lu kB\n", m.hardware_corrupted_kb);
    val_kb(out, "AnonHugePages:", m.anon_huge);
    val_kb(out, "ShmemHugePages:", m.shmem_huge);
    val_kb(out, "ShmemPmdMapped:", m.shmem_pmd_mapped);
    val_kb(out, "FileHugePages:", m.file_huge);
    val_kb(out, "FilePmdMapped:", m.file_pmd_mapped);
    out.appendf("HugePages_Total:   %5lu\n", m.huge_total);
    out.appendf("HugePages_Free:    %5lu\n", m.huge_free);
    out.appendf("HugePages_Rsvd:    %5lu\n", m.huge_rsvd);
    out.appendf("HugePages_Surp:    %5lu\n", m.huge_surp);
    out.appendf("Hugepagesize:   %8lu kB\n", m.hugepage_kb);
    out.appendf("Hugetlb:        %8lu kB\n", m.hugetlb_kb);
    out.appendf("DirectMap4k:    %8lu kB\n", m.direct_map_4k_kb);
    out.appendf("DirectMap2M:    %8lu kB\n", m.direct_map_2m_kb);
    if (m.show_direct_map_1g)
        out.appendf("DirectMap1G:    %8lu kB\n", m.direct_map_1g_kb);
}

void format_uptime(u64 uptime_ns, u64 idle_ns, TextBuffer& out)
{
    constexpr u64 NS = 1000000000;
    out.appendf("%lu.%02lu %lu.%02lu\n", uptime_ns / NS, (uptime_ns % NS) / (NS / 100), idle_ns / NS,
                (idle_ns % NS) / (NS / 100));
}

void format_loadavg(const u64 load[3], u32 running, u32 threads, i32 last_pid, TextBuffer& out)
{
    // LOAD_INT / LOAD_FRAC of include/linux/sched/loadavg.h, with the
    // rounding get_avenrun(..., FIXED_1/200, 0) adds.
    constexpr u64 FIXED_1 = 1u << 11;
    u64 v[3];
    for (int i = 0; i < 3; i++)
        v[i] = load[i] + FIXED_1 / 200;
    auto whole = [](u64 x) { return x >> 11; };
    auto frac = [](u64 x) { return ((x & (FIXED_1 - 1)) * 100) >> 11; };
    out.appendf("%lu.%02lu %lu.%02lu %lu.%02lu %u/%d %d\n", whole(v[0]), frac(v[0]), whole(v[1]), frac(v[1]),
                whole(v[2]), frac(v[2]), running, static_cast<i32>(threads), last_pid);
}

void format_cpuinfo_block(const CpuInfo& c, TextBuffer& out)
{
    const arch::CpuDescription& d = *c.cpu;
    out.appendf("processor\t: %u\n", c.processor);
    out.appendf("vendor_id\t: %s\n", d.vendor[0] ? d.vendor : "unknown");
    out.appendf("cpu family\t: %u\n", d.family);
    out.appendf("model\t\t: %u\n", d.model);
    out.appendf("model name\t: %s\n", d.model_name[0] ? d.model_name : "unknown");
    out.appendf("stepping\t: %u\n", d.stepping);
    out.appendf("cpu MHz\t\t: %lu.%03lu\n", c.khz / 1000, c.khz % 1000);
    if (d.cache_kb)
        out.appendf("cache size\t: %u KB\n", d.cache_kb);
    out.appendf("physical id\t: 0\n");
    out.appendf("siblings\t: %u\n", c.cpu_count);
    out.appendf("core id\t\t: %u\n", c.processor);
    out.appendf("cpu cores\t: %u\n", c.cpu_count);
    out.appendf("apicid\t\t: %u\n", c.apic_id);
    out.appendf("initial apicid\t: %u\n", c.apic_id);
    out.appendf("fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\nwp\t\t: yes\n", d.cpuid_level);
    out.appendf("flags\t\t: %s\n", d.flags);
    out.append("bugs\t\t:\n");
    // loops_per_jiffy follows the TSC: bogomips is twice the MHz.
    out.appendf("bogomips\t: %lu.%02lu\n", c.khz / 500, (c.khz / 5) % 100);
    out.appendf("clflush size\t: %u\n", d.clflush_size);
    out.appendf("cache_alignment\t: %u\n", d.clflush_size);
    out.appendf("address sizes\t: %u bits physical, %u bits virtual\n", d.phys_bits, d.virt_bits);
    out.append("power management:");
    static const char* const power_names[] = { "ts",  "fid",         "vid",      "ttp",          "tm",
                                               "stc", "100mhzsteps", "hwpstate", "",             "cpb",
                                               "eff_freq_ro", "proc_feedback", "acc_power" };
    for (u32 i = 0; i < 32; i++) {
        if (!(d.power_flags & (1u << i)))
            continue;
        if (i < array_size(power_names)) {
            if (power_names[i][0])
                out.appendf(" %s", power_names[i]);
        } else {
            out.appendf(" [%u]", i);
        }
    }
    out.append("\n\n");
}

void format_stat(const StatInfo& s, TextBuffer& out)
{
    auto row = [&](const CpuTimeRow& r) {
        out.appendf(" %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu\n", ns_to_clock_t(r.user), ns_to_clock_t(r.nice),
                    ns_to_clock_t(r.system), ns_to_clock_t(r.idle), ns_to_clock_t(r.iowait), ns_to_clock_t(r.irq),
                    ns_to_clock_t(r.softirq), ns_to_clock_t(r.steal), ns_to_clock_t(r.guest),
                    ns_to_clock_t(r.guest_nice));
    };
    out.append("cpu ");
    row(s.total);
    for (u32 i = 0; i < s.cpu_count; i++) {
        out.appendf("cpu%u", i);
        row(s.cpus[i]);
    }
    // The total counts every interrupt; the per-IRQ columns list the 16
    // legacy IRQs (the tick here is the local APIC timer, not an IRQ line).
    out.appendf("intr %lu", s.interrupts);
    for (int i = 0; i < 16; i++)
        out.append(" 0");
    out.appendf("\nctxt %lu\nbtime %lu\nprocesses %lu\nprocs_running %u\nprocs_blocked %u\n", s.context_switches,
                s.boot_time, s.processes, s.running, s.blocked);
    out.append("softirq 0 0 0 0 0 0 0 0 0 0 0\n");
}

void format_schedstat(u64 ticks, u32 cpu_count, TextBuffer& out)
{
    out.appendf("version 15\ntimestamp %lu\n", ticks);
    for (u32 i = 0; i < cpu_count; i++)
        out.appendf("cpu%u 0 0 0 0 0 0 0 0 0\n", i);
}

void format_version(TextBuffer& out)
{
    out.appendf("Linux version %s (oskit@oskit) (clang version %s, LLD) #1 SMP oskit %s\n", KERNEL_RELEASE,
                __clang_version__, config::version);
}

void format_mount_line(const char* source, const char* path, const char* type, const char* options,
                       TextBuffer& out)
{
    mangle(out, source);
    out.append_char(' ');
    mangle(out, path);
    out.append_char(' ');
    mangle(out, type);
    out.append_char(' ');
    out.append(options);
    out.append(" 0 0\n");
}

void format_pid_stat(const proc::ProcessInfo& p, TextBuffer& out)
{
    bool mm = !p.kernel_thread;
    // Fields 1-8: pid (comm) state ppid pgrp session tty_nr tpgid
    out.appendf("%d (%s) %c %d %d %d %d %d", p.pid, p.comm, p.state, p.ppid, p.pgid, p.sid, p.tty_nr, p.tpgid);
    // 9-17: flags minflt cminflt majflt cmajflt utime stime cutime cstime
    out.appendf(" %u %lu %lu %lu %lu %lu %lu %ld %ld", p.kernel_flags, p.minor_faults, p.children_minor_faults,
                p.major_faults, p.children_major_faults, p.utime_ticks, p.stime_ticks,
                static_cast<i64>(p.cutime_ticks), static_cast<i64>(p.cstime_ticks));
    // 18-25: priority nice num_threads itrealvalue starttime vsize rss rsslim
    out.appendf(" %d %d %u 0 %lu %lu %lu %lu", p.priority, p.nice, p.threads, p.start_ticks,
                mm ? p.vsize_bytes : 0, mm ? p.rss_pages : 0, ~0ul);
    // 26-30: startcode endcode startstack kstkesp kstkeip
    out.appendf(" %lu %lu %lu 0 0", mm ? p.start_code : 0, mm ? p.end_code : 0, mm ? p.start_stack : 0);
    // 31-34: signal blocked sigignore sigcatch (decimal, first word only)
    out.appendf(" %lu %lu %lu %lu", p.signals_pending & 0x7fffffff, p.signals_blocked & 0x7fffffff,
                p.signals_ignored & 0x7fffffff, p.signals_caught & 0x7fffffff);
    // 35-41: wchan (1 unless running) nswap cnswap exit_signal processor rt_priority policy
    out.appendf(" %d 0 0 %d %u %u %u", p.state == 'R' ? 0 : 1, p.exit_signal, p.cpu, p.rt_priority, p.policy);
    // 42-44: delayacct_blkio_ticks guest_time cguest_time
    out.append(" 0 0 0");
    // 45-51: start_data end_data start_brk arg_start arg_end env_start env_end
    if (mm)
        out.appendf(" %lu %lu %lu %lu %lu %lu %lu", p.start_data, p.end_data, p.start_brk, p.arg_start, p.arg_end,
                    p.env_start, p.env_end);
    else
        out.append(" 0 0 0 0 0 0 0");
    // 52: exit_code
    out.appendf(" %d\n", p.exit_code);
}

void format_pid_status(const proc::ProcessInfo& p, u32 cpu_count, TextBuffer& out)
{
    out.append("Name:\t");
    escaped_name(out, p.comm);
    out.appendf("\nUmask:\t%04o\n", p.umask & 0777);
    out.appendf("State:\t%s\n", state_name(p.state));
    out.appendf("Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", p.pid, p.pid, p.ppid);
    out.appendf("Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", p.uid, p.uid, p.uid, p.uid, p.gid, p.gid, p.gid, p.gid);
    out.appendf("FDSize:\t%u\nGroups:\t \n", p.fd_table_size);
    out.appendf("NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", p.pid, p.pid, p.pgid, p.sid);
    if (!p.kernel_thread) {
        auto vm = [&](const char* label, u64 kb_value) { out.appendf("%s\t%8lu kB\n", label, kb_value); };
        u64 size_kb = p.vsize_bytes / 1024;
        vm("VmPeak:", p.vm_peak_bytes ? p.vm_peak_bytes / 1024 : size_kb);
        vm("VmSize:", size_kb);
        vm("VmLck:", 0);
        vm("VmPin:", 0);
        vm("VmHWM:", kb(p.rss_peak_pages ? p.rss_peak_pages : p.rss_pages));
        vm("VmRSS:", kb(p.rss_pages));
        vm("RssAnon:", kb(p.rss_anon_pages));
        vm("RssFile:", kb(p.rss_file_pages));
        vm("RssShmem:", kb(p.rss_shmem_pages));
        vm("VmData:", p.data_bytes / 1024);
        vm("VmStk:", p.stack_bytes / 1024);
        vm("VmExe:", p.exe_bytes / 1024);
        vm("VmLib:", p.lib_bytes / 1024);
        vm("VmPTE:", p.page_table_bytes / 1024);
        vm("VmSwap:", 0);
        vm("HugetlbPages:", 0);
        out.append("CoreDumping:\t0\nTHP_enabled:\t1\n");
    }
    out.appendf("Threads:\t%u\n", p.threads);
    // Queued signals / RLIMIT_SIGPENDING (a fixed limit here).
    out.appendf("SigQ:\t0/%u\n", 4096u);
    out.appendf("SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n",
                p.signals_pending, 0ul, p.signals_blocked, p.signals_ignored, p.signals_caught);
    // Root holds every capability (41 of them in Linux 6.1).
    constexpr u64 ALL_CAPS = (1ull << 41) - 1;
    bool root = p.uid == 0;
    out.appendf("CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\nCapBnd:\t%016lx\nCapAmb:\t%016lx\n", 0ul,
                root ? ALL_CAPS : 0, root ? ALL_CAPS : 0, ALL_CAPS, 0ul);
    out.append("NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
    out.append("Speculation_Store_Bypass:\tthread vulnerable\nSpeculationIndirectBranch:\tconditional enabled\n");
    u64 cpus[1] = { cpu_count >= 64 ? p.cpus_allowed : p.cpus_allowed & ((1ull << cpu_count) - 1) };
    u32 bits = cpu_count > 64 ? 64 : cpu_count;
    out.append("Cpus_allowed:\t");
    bitmap_hex(out, cpus, bits);
    out.append("\nCpus_allowed_list:\t");
    bitmap_list(out, cpus, bits);
    // One memory node of MAX_NUMNODES (1024 with Debian's NODES_SHIFT 10).
    u64 nodes[16] = { 1 };
    out.append("\nMems_allowed:\t");
    bitmap_hex(out, nodes, 1024);
    out.append("\nMems_allowed_list:\t");
    bitmap_list(out, nodes, 1024);
    out.appendf("\nvoluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n", p.voluntary_switches,
                p.involuntary_switches);
}

void format_pid_statm(const proc::ProcessInfo& p, TextBuffer& out)
{
    // size resident shared text lib data dt, in pages (task_statm).
    if (p.kernel_thread) {
        out.append("0 0 0 0 0 0 0\n");
        return;
    }
    out.appendf("%lu %lu %lu %lu 0 %lu 0\n", p.vsize_bytes / 4096, p.rss_pages, p.rss_file_pages + p.rss_shmem_pages,
                p.exe_bytes / 4096, (p.data_bytes + p.stack_bytes) / 4096);
}

} // namespace procfs
