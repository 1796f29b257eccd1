// procfs: the text of /proc files byte for byte against Linux's formats
// (synthetic input to the pure formatters, expected text written from
// Linux's own output), and the live files through the VFS.
#include <fs/procfs/formats.hpp>
#include <kernel/cpu_stats.hpp>
#include <kernel/smp.hpp>
#include <kernel/time.hpp>
#include <mm/pmm.hpp>
#include <tests/fs_test_util.hpp>

namespace {
using namespace fstest;
using namespace procfs;

// Compares line by line so a failure names the first differing line.
void expect_text(KTest& t, const char* got, const char* expected, const char* what)
{
    u32 line = 1;
    const char* g = got;
    const char* e = expected;
    while (*g && *e && *g == *e) {
        if (*g == '\n')
            line++;
        g++;
        e++;
    }
    if (*g || *e) {
        const char* gl = g;
        while (gl > got && gl[-1] != '\n')
            gl--;
        const char* el = e;
        while (el > expected && el[-1] != '\n')
            el--;
        t.fail(__FILE__, __LINE__, "%s differs at line %u: got \"%.60s\" expected \"%.60s\"", what, line, gl, el);
    }
}

const char* strstr_simple(const char* haystack, const char* needle)
{
    size_t n = strlen(needle);
    for (const char* p = haystack; *p; p++) {
        if (strncmp(p, needle, n) == 0)
            return p;
    }
    return nullptr;
}

// Fields of a /proc/PID/stat line: the comm (in parentheses, may hold
// spaces) counts as one.
u32 stat_fields(const char* line)
{
    const char* close = nullptr;
    for (const char* p = line; *p; p++) {
        if (*p == ')')
            close = p;
    }
    if (!close)
        return 0;
    u32 n = 2; // pid and comm
    for (const char* p = close + 1; *p && *p != '\n'; p++) {
        if (*p == ' ')
            n++;
    }
    return n;
}

void meminfo_format(KTest& t)
{
    MemInfo m {};
    m.total = 8131100 / 4;
    m.free = 262144 / 4;
    m.available = 5000000 / 4;
    m.buffers = 104448 / 4;
    m.cached = 4200000 / 4;
    m.active = 1000000 / 4;
    m.inactive = 3000000 / 4;
    m.active_anon = 40000 / 4;
    m.inactive_anon = 1000000 / 4;
    m.active_file = 960000 / 4;
    m.inactive_file = 2000000 / 4;
    m.unevictable = m.mlocked = 32 / 4;
    m.swap_total = m.swap_free = 1000000 / 4;
    m.dirty = 100 / 4;
    m.anon_pages = 1040000 / 4;
    m.mapped = 400000 / 4;
    m.shmem = 12000 / 4;
    m.kreclaimable = m.sreclaimable = 200000 / 4;
    m.slab = 300000 / 4;
    m.sunreclaim = 100000 / 4;
    m.kernel_stack_kb = 12345;
    m.page_tables = 20000 / 4;
    m.commit_limit = 5065548 / 4;
    m.committed_as = 3000000 / 4;
    m.vmalloc_total_kb = 34359738367ul;
    m.vmalloc_used_kb = 40000;
    m.percpu = 2048 / 4;
    m.hugepage_kb = 2048;
    m.direct_map_4k_kb = 300000;
    m.direct_map_2m_kb = 8000000;
    m.direct_map_1g_kb = 2097152;
    m.show_direct_map_1g = true;
    TextBuffer out;
    format_meminfo(m, out);
    expect_text(t, out.c_str(),
    "MemTotal:        8131100 kB\n"
    "MemFree:          262144 kB\n"
    "MemAvailable:    5000000 kB\n"
    "Buffers:          104448 kB\n"
    "Cached:          4200000 kB\n"
    "SwapCached:            0 kB\n"
    "Active:          1000000 kB\n"
    "Inactive:        3000000 kB\n"
    "Active(anon):      40000 kB\n"
    "Inactive(anon):  1000000 kB\n"
    "Active(file):     960000 kB\n"
    "Inactive(file):  2000000 kB\n"
    "Unevictable:          32 kB\n"
    "Mlocked:              32 kB\n"
    "SwapTotal:       1000000 kB\n"
    "SwapFree:        1000000 kB\n"
    "Zswap:                 0 kB\n"
    "Zswapped:              0 kB\n"
    "Dirty:               100 kB\n"
    "Writeback:             0 kB\n"
    "AnonPages:       1040000 kB\n"
    "Mapped:           400000 kB\n"
    "Shmem:             12000 kB\n"
    "KReclaimable:     200000 kB\n"
    "Slab:             300000 kB\n"
    "SReclaimable:     200000 kB\n"
    "SUnreclaim:       100000 kB\n"
    "KernelStack:       12345 kB\n"
    "PageTables:        20000 kB\n"
    "NFS_Unstable:          0 kB\n"
    "Bounce:                0 kB\n"
    "WritebackTmp:          0 kB\n"
    "CommitLimit:     5065548 kB\n"
    "Committed_AS:    3000000 kB\n"
    "VmallocTotal:   34359738367 kB\n"
    "VmallocUsed:       40000 kB\n"
    "VmallocChunk:          0 kB\n"
    "Percpu:             2048 kB\n"
    "HardwareCorrupted:     0 kB\n"
    "AnonHugePages:         0 kB\n"
    "ShmemHugePages:        0 kB\n"
    "ShmemPmdMapped:        0 kB\n"
    "FileHugePages:         0 kB\n"
    "FilePmdMapped:         0 kB\n"
    "HugePages_Total:       0\n"
    "HugePages_Free:        0\n"
    "HugePages_Rsvd:        0\n"
    "HugePages_Surp:        0\n"
    "Hugepagesize:       2048 kB\n"
    "Hugetlb:               0 kB\n"
    "DirectMap4k:      300000 kB\n"
    "DirectMap2M:     8000000 kB\n"
    "DirectMap1G:     2097152 kB\n",
                "meminfo");
    // Without 1 GiB pages the last line is not printed.
    size_t with_1g = out.size();
    m.show_direct_map_1g = false;
    out.clear();
    format_meminfo(m, out);
    KEXPECT_EQ(t, out.size(), with_1g - strlen("DirectMap1G:     2097152 kB\n"));
    KEXPECT(t, !strstr_simple(out.c_str(), "DirectMap1G"));
}

void small_files_format(KTest& t)
{
    TextBuffer out;
    format_uptime(1234567000000ul, 4567891000000ul, out);
    KEXPECT_STREQ(t, out.c_str(), "1234.56 4567.89\n");
    out.clear();
    format_uptime(5000000, 0, out);
    KEXPECT_STREQ(t, out.c_str(), "0.00 0.00\n");
    out.clear();
    // 0.5, 1.0 and 0 in FSHIFT-11 fixed point.
    const u64 load[3] = { 1024, 2048, 0 };
    format_loadavg(load, 2, 57, 1234, out);
    KEXPECT_STREQ(t, out.c_str(), "0.50 1.00 0.00 2/57 1234\n");
    out.clear();
    format_schedstat(4295000000ul, 2, out);
    KEXPECT_STREQ(t, out.c_str(), "version 15\ntimestamp 4295000000\ncpu0 0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0\n");
    out.clear();
    format_mount_line("my src", "/tmp/a b\\c", "tmpfs", "rw,relatime", out);
    KEXPECT_STREQ(t, out.c_str(), "my\\040src /tmp/a\\040b\\134c tmpfs rw,relatime 0 0\n");
    out.clear();
    format_version(out);
    KEXPECT(t, strncmp(out.c_str(), "Linux version 6.1.0-oskit (oskit@oskit) (clang version ", 55) == 0);
    KEXPECT_EQ(t, out.c_str()[out.size() - 1], '\n');
}

void stat_format(KTest& t)
{
    constexpr u64 TICK = 10000000; // ns per USER_HZ tick
    CpuTimeRow cpus[2] = {};
    cpus[0].user = 100 * TICK;
    cpus[0].system = 50 * TICK;
    cpus[0].idle = 5000 * TICK;
    cpus[1].user = 200 * TICK;
    cpus[1].system = 100 * TICK;
    cpus[1].idle = 5000 * TICK + TICK / 2; // partial ticks round down
    StatInfo s {};
    s.total.user = 300 * TICK;
    s.total.system = 150 * TICK;
    s.total.idle = 10000 * TICK;
    s.cpus = cpus;
    s.cpu_count = 2;
    s.interrupts = 12345;
    s.context_switches = 999;
    s.boot_time = 1700000000;
    s.processes = 42;
    s.running = 1;
    TextBuffer out;
    format_stat(s, out);
    expect_text(t, out.c_str(),
                "cpu  300 0 150 10000 0 0 0 0 0 0\n"
                "cpu0 100 0 50 5000 0 0 0 0 0 0\n"
                "cpu1 200 0 100 5000 0 0 0 0 0 0\n"
                "intr 12345 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
                "ctxt 999\n"
                "btime 1700000000\n"
                "processes 42\n"
                "procs_running 1\n"
                "procs_blocked 0\n"
                "softirq 0 0 0 0 0 0 0 0 0 0 0\n",
                "stat");
}

void cpuinfo_format(KTest& t)
{
    auto* d = new (std::nothrow) arch::CpuDescription {};
    KASSERT_TRUE(t, d);
    strlcpy(d->vendor, "GenuineIntel", sizeof(d->vendor));
    d->family = 6;
    d->model = 142;
    d->stepping = 10;
    strlcpy(d->model_name, "Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz", sizeof(d->model_name));
    d->cpuid_level = 22;
    d->cache_kb = 8192;
    d->clflush_size = 64;
    d->phys_bits = 39;
    d->virt_bits = 48;
    d->power_flags = 1u << 8; // invariant TSC: shown as constant_tsc, not here
    strlcpy(d->flags, "fpu vme de pse tsc", sizeof(d->flags));
    TextBuffer out;
    // A 1999.968 MHz TSC gives Linux's "bogomips : 3999.93".
    format_cpuinfo_block(CpuInfo { 1, 2, 4, 1999968, d }, out);
    expect_text(t, out.c_str(),
                "processor\t: 1\n"
                "vendor_id\t: GenuineIntel\n"
                "cpu family\t: 6\n"
                "model\t\t: 142\n"
                "model name\t: Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz\n"
                "stepping\t: 10\n"
                "cpu MHz\t\t: 1999.968\n"
                "cache size\t: 8192 KB\n"
                "physical id\t: 0\n"
                "siblings\t: 4\n"
                "core id\t\t: 1\n"
                "cpu cores\t: 4\n"
                "apicid\t\t: 2\n"
                "initial apicid\t: 2\n"
                "fpu\t\t: yes\n"
                "fpu_exception\t: yes\n"
                "cpuid level\t: 22\n"
                "wp\t\t: yes\n"
                "flags\t\t: fpu vme de pse tsc\n"
                "bugs\t\t:\n"
                "bogomips\t: 3999.93\n"
                "clflush size\t: 64\n"
                "cache_alignment\t: 64\n"
                "address sizes\t: 39 bits physical, 48 bits virtual\n"
                "power management:\n"
                "\n",
                "cpuinfo");
    delete d;
}

proc::ProcessInfo* bash_like()
{
    auto* p = new (std::nothrow) proc::ProcessInfo {};
    if (!p)
        return nullptr;
    p->pid = 1234;
    p->ppid = 1233;
    p->pgid = 1234;
    p->sid = 1234;
    p->state = 'S';
    strlcpy(p->comm, "bash", sizeof(p->comm));
    p->cpu = 2;
    p->threads = 1;
    p->tty_nr = 34816;
    p->tpgid = 1250;
    p->kernel_flags = 4194560;
    p->minor_faults = 1117;
    p->children_minor_faults = 8364;
    p->utime_ticks = 2;
    p->stime_ticks = 1;
    p->cutime_ticks = 9;
    p->cstime_ticks = 3;
    p->start_ticks = 12345;
    p->vsize_bytes = 8708096;
    p->rss_pages = 1290;
    p->rss_anon_pages = 425;
    p->rss_file_pages = 865;
    p->start_code = 94216455000064ul;
    p->end_code = 94216455906877ul;
    p->start_stack = 140727000000000ul;
    p->signals_blocked = 0x10000;
    p->signals_ignored = 0x384004;
    p->signals_caught = 0x4b813efb;
    p->start_data = 94216456150256ul;
    p->end_data = 94216456197156ul;
    p->start_brk = 94216480878592ul;
    p->arg_start = 140727000005000ul;
    p->arg_end = 140727000005010ul;
    p->env_start = 140727000005010ul;
    p->env_end = 140727000006126ul;
    p->data_bytes = 1452 * 1024;
    p->stack_bytes = 132 * 1024;
    p->exe_bytes = 892 * 1024;
    p->lib_bytes = 1884 * 1024;
    p->page_table_bytes = 56 * 1024;
    p->voluntary_switches = 130;
    p->involuntary_switches = 3;
    return p;
}

void pid_stat_format(KTest& t)
{
    proc::ProcessInfo* p = bash_like();
    KASSERT_TRUE(t, p);
    TextBuffer out;
    format_pid_stat(*p, out);
    // The line a bash on Linux 6.1 prints, with these figures.
    expect_text(t, out.c_str(),
                "1234 (bash) S 1233 1234 1234 34816 1250 4194560 1117 8364 0 0 2 1 9 3 20 0 1 0 12345 8708096 1290 "
                "18446744073709551615 94216455000064 94216455906877 140727000000000 0 0 0 65536 3686404 "
                "1266761467 1 0 0 17 2 0 0 0 0 0 94216456150256 94216456197156 94216480878592 140727000005000 "
                "140727000005010 140727000005010 140727000006126 0\n",
                "stat");
    KEXPECT_EQ(t, stat_fields(out.c_str()), 52u);
    // A name with spaces and parentheses stays one field; a kernel thread
    // has no addresses; a running task has no wait channel.
    strlcpy(p->comm, "a (b) c", sizeof(p->comm));
    p->kernel_thread = true;
    p->state = 'R';
    out.clear();
    format_pid_stat(*p, out);
    KEXPECT_EQ(t, stat_fields(out.c_str()), 52u);
    KEXPECT(t, strncmp(out.c_str(), "1234 (a (b) c) R ", 17) == 0);
    KEXPECT(t, strstr_simple(out.c_str(), " 12345 0 0 18446744073709551615 0 0 0 0 0 0 65536 3686404 1266761467 0 0 0 17 2 "));
    KEXPECT(t, strstr_simple(out.c_str(), " 0 0 0 0 0 0 0 0\n"));
    out.clear();
    format_pid_statm(*p, out);
    KEXPECT_STREQ(t, out.c_str(), "0 0 0 0 0 0 0\n");
    p->kernel_thread = false;
    out.clear();
    format_pid_statm(*p, out);
    KEXPECT_STREQ(t, out.c_str(), "2126 1290 865 223 0 396 0\n");
    delete p;
}

void pid_status_format(KTest& t)
{
    proc::ProcessInfo* p = bash_like();
    KASSERT_TRUE(t, p);
    TextBuffer out;
    format_pid_status(*p, 4, out);
    TextBuffer mems;
    for (int i = 0; i < 31; i++)
        mems.append("00000000,");
    mems.append("00000001");
    TextBuffer expected;
    expected.append("Name:\tbash\n"
                    "Umask:\t0022\n"
                    "State:\tS (sleeping)\n"
                    "Tgid:\t1234\n"
                    "Ngid:\t0\n"
                    "Pid:\t1234\n"
                    "PPid:\t1233\n"
                    "TracerPid:\t0\n"
                    "Uid:\t0\t0\t0\t0\n"
                    "Gid:\t0\t0\t0\t0\n"
                    "FDSize:\t64\n"
                    "Groups:\t \n"
                    "NStgid:\t1234\n"
                    "NSpid:\t1234\n"
                    "NSpgid:\t1234\n"
                    "NSsid:\t1234\n"
                    "VmPeak:\t    8504 kB\n"
                    "VmSize:\t    8504 kB\n"
                    "VmLck:\t       0 kB\n"
                    "VmPin:\t       0 kB\n"
                    "VmHWM:\t    5160 kB\n"
                    "VmRSS:\t    5160 kB\n"
                    "RssAnon:\t    1700 kB\n"
                    "RssFile:\t    3460 kB\n"
                    "RssShmem:\t       0 kB\n"
                    "VmData:\t    1452 kB\n"
                    "VmStk:\t     132 kB\n"
                    "VmExe:\t     892 kB\n"
                    "VmLib:\t    1884 kB\n"
                    "VmPTE:\t      56 kB\n"
                    "VmSwap:\t       0 kB\n"
                    "HugetlbPages:\t       0 kB\n"
                    "CoreDumping:\t0\n"
                    "THP_enabled:\t1\n"
                    "Threads:\t1\n"
                    "SigQ:\t0/4096\n"
                    "SigPnd:\t0000000000000000\n"
                    "ShdPnd:\t0000000000000000\n"
                    "SigBlk:\t0000000000010000\n"
                    "SigIgn:\t0000000000384004\n"
                    "SigCgt:\t000000004b813efb\n"
                    "CapInh:\t0000000000000000\n"
                    "CapPrm:\t000001ffffffffff\n"
                    "CapEff:\t000001ffffffffff\n"
                    "CapBnd:\t000001ffffffffff\n"
                    "CapAmb:\t0000000000000000\n"
                    "NoNewPrivs:\t0\n"
                    "Seccomp:\t0\n"
                    "Seccomp_filters:\t0\n"
                    "Speculation_Store_Bypass:\tthread vulnerable\n"
                    "SpeculationIndirectBranch:\tconditional enabled\n"
                    "Cpus_allowed:\tf\n"
                    "Cpus_allowed_list:\t0-3\n"
                    "Mems_allowed:\t");
    expected.append(mems.c_str());
    expected.append("\nMems_allowed_list:\t0\n"
                    "voluntary_ctxt_switches:\t130\n"
                    "nonvoluntary_ctxt_switches:\t3\n");
    expect_text(t, out.c_str(), expected.c_str(), "status");
    // 40 CPUs with some excluded: hex chunks and ranges.
    p->cpus_allowed = 0xffffffffffull & ~0x30ull;
    out.clear();
    format_pid_status(*p, 40, out);
    KEXPECT(t, strstr_simple(out.c_str(), "Cpus_allowed:\tff,ffffffcf\nCpus_allowed_list:\t0-3,6-39\n"));
    p->kernel_thread = true;
    out.clear();
    format_pid_status(*p, 4, out);
    KEXPECT(t, !strstr_simple(out.c_str(), "VmSize"));
    delete p;
}

void live_files(KTest& t)
{
    TextBuffer text;
    KTRY(t, read_file("/proc/meminfo", text));
    char line[64];
    format(line, sizeof(line), "MemTotal:       %8lu kB\n", pmm::stats().managed_pages * 4);
    KEXPECT(t, strncmp(text.c_str(), line, strlen(line)) == 0);
    KEXPECT(t, strstr_simple(text.c_str(), "\nHugepagesize:       2048 kB\n"));
    KTRY(t, read_file("/proc/filesystems", text));
    KEXPECT_STREQ(t, text.c_str(), "nodev\trootfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\n");
    KTRY(t, read_file("/proc/mounts", text));
    if (strncmp(text.c_str(), "rootfs / rootfs ro,relatime 0 0\n", 32) != 0)
        t.fail(__FILE__, __LINE__, "/proc/mounts starts \"%.60s\"", text.c_str());
    KEXPECT(t, strstr_simple(text.c_str(), "\ndevtmpfs /dev devtmpfs rw,nosuid,relatime,mode=755 0 0\n"));
    KEXPECT(t, strstr_simple(text.c_str(), "\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"));
    KEXPECT(t, strstr_simple(text.c_str(), "\ntmpfs /tmp tmpfs rw,nosuid,nodev,relatime 0 0\n"));
    KTRY(t, read_file("/proc/cpuinfo", text));
    u32 processors = 0;
    for (const char* p = text.c_str(); (p = strstr_simple(p, "processor\t: ")); p++)
        processors++;
    KEXPECT_EQ(t, processors, smp::online_count());
    // The tick count in schedstat lies between two readings of it.
    u64 before = time::ticks();
    KTRY(t, read_file("/proc/schedstat", text));
    u64 after = time::ticks();
    KEXPECT(t, strncmp(text.c_str(), "version 15\ntimestamp ", 21) == 0);
    u64 stamp = 0;
    for (const char* p = text.c_str() + 21; *p >= '0' && *p <= '9'; p++)
        stamp = stamp * 10 + static_cast<u64>(*p - '0');
    KEXPECT_GE(t, stamp, before);
    KEXPECT_LE(t, stamp, after);
    // Uptime: whole seconds agree with the kernel's clock.
    KTRY(t, read_file("/proc/uptime", text));
    u64 seconds = 0;
    for (const char* p = text.c_str(); *p >= '0' && *p <= '9'; p++)
        seconds = seconds * 10 + static_cast<u64>(*p - '0');
    KEXPECT_LE(t, seconds, time::since_boot_ns() / 1000000000);
    KEXPECT_GE(t, seconds + 1, time::since_boot_ns() / 1000000000);
    KTRY(t, read_file("/proc/version", text));
    KEXPECT(t, strncmp(text.c_str(), "Linux version ", 14) == 0);
    KTRY(t, read_file("/proc/stat", text));
    KEXPECT(t, strncmp(text.c_str(), "cpu  ", 5) == 0);
    KTRY(t, read_file("/proc/loadavg", text));
    // No processes run under ktest: 0 of 0 runnable, then the last PID.
    char expect[64];
    format(expect, sizeof(expect), " 0/0 %d\n", cpu_stats::last_pid.load());
    KEXPECT(t, strstr_simple(text.c_str(), expect));
}

void procfs_objects(KTest& t)
{
    Metadata root = KTRY(t, stat_path("/proc"));
    KEXPECT_EQ(t, root.mode, S_IFDIR | 0555u);
    KEXPECT_EQ(t, root.ino, 1u);
    Metadata a = KTRY(t, stat_path("/proc/meminfo"));
    Metadata b = KTRY(t, stat_path("/proc/meminfo"));
    KEXPECT_EQ(t, a.mode, S_IFREG | 0444u);
    KEXPECT_EQ(t, a.size, 0u);
    KEXPECT_EQ(t, a.ino, b.ino);
    LinuxStatfs st;
    KTRY(t, vfs::statfs(KTRY(t, resolve(kstart(), "/proc", 0)), st));
    KEXPECT_EQ(t, st.f_type, PROC_SUPER_MAGIC);
    // No process calls this: /proc/self leads nowhere, and there are no
    // PID directories.
    Location self = KTRY(t, resolve(kstart(), "/proc/self", 0));
    KEXPECT(t, self.inode->is_symlink());
    char buf[16];
    KEXPECT_ERRNO(t, vfs::readlink(self, buf, sizeof(buf)), ENOENT);
    KEXPECT_ERRNO(t, resolve(kstart(), "/proc/self/stat", 0), ENOENT);
    KEXPECT_ERRNO(t, resolve(kstart(), "/proc/1", 0), ENOENT);
    KEXPECT_ERRNO(t, resolve(kstart(), "/proc/01", 0), ENOENT);
    // Read-only text: writes are EINVAL, SEEK_END is EINVAL, and a read
    // from offset 0 regenerates.
    RefPtr<OpenFile> f = KTRY(t, vfs::open(kstart(), "/proc/uptime", O_RDWR, 0));
    KEXPECT_ERRNO(t, f->write(IoBuffer::kernel(buf, 1)), EINVAL);
    KEXPECT_ERRNO(t, f->seek(0, SEEK_END), EINVAL);
    char first[32] = {}, second[32] = {};
    KTRY(t, f->pread(IoBuffer::kernel(first, sizeof(first) - 1), 0));
    time::delay_us(30000);
    KTRY(t, f->pread(IoBuffer::kernel(second, sizeof(second) - 1), 0));
    KEXPECT(t, strcmp(first, second) != 0);
    // The listing: the fixed entries, in order.
    struct Names final : DirSink {
        TextBuffer seen;
        bool emit(StringView name, u64, u8, u64) override
        {
            seen.append(name.chars(), name.length());
            seen.append_char(' ');
            return true;
        }
    } names;
    RefPtr<OpenFile> dir = KTRY(t, vfs::open(kstart(), "/proc", O_RDONLY | O_DIRECTORY, 0));
    KTRY(t, dir->read_directory(names));
    KEXPECT_STREQ(t, names.seen.c_str(), ". .. cpuinfo filesystems loadavg meminfo mounts schedstat self stat uptime version ");
}

} // namespace

KTEST_SUITE(procfs, KTEST_CASE(meminfo_format), KTEST_CASE(small_files_format), KTEST_CASE(stat_format),
            KTEST_CASE(cpuinfo_format), KTEST_CASE(pid_stat_format), KTEST_CASE(pid_status_format),
            KTEST_CASE(live_files), KTEST_CASE(procfs_objects));
