// System-wide calls: uname, sysinfo, reboot, getrandom, sched_yield,
// getcpu, sched_getaffinity, getrusage, times, personality.
#include <arch/arch.hpp>
#include <config.hpp>
#include <kernel/cpu_stats.hpp>
#include <kernel/crng.hpp>
#include <kernel/exit_codes.hpp>
#include <kernel/log.hpp>
#include <kernel/percpu.hpp>
#include <kernel/time.hpp>
#include <lib/string.hpp>
#include <mm/heap.hpp>
#include <mm/pmm.hpp>
#include <proc/process.hpp>
#include <proc/sched.hpp>
#include <syscalls.hpp>

namespace {
// What uname reports. The release is above 3.2 because glibc refuses to
// start on older kernels (its static start-up checks it).
constexpr char SYSNAME[] = "oskit";
constexpr char RELEASE[] = "6.1.0-oskit";
constexpr char MACHINE[] = "x86_64";
} // namespace

ErrorOr<i64> sys_uname(UserAddr buf)
{
    char u[6][65] = {};
    strlcpy(u[0], SYSNAME, 65);
    strlcpy(u[1], config::hostname, 65);
    strlcpy(u[2], RELEASE, 65);
    format(u[3], 65, "#1 SMP PREEMPT oskit %s", config::version);
    strlcpy(u[4], MACHINE, 65);
    strlcpy(u[5], "(none)", 65);
    TRY(copy_to_user(buf, u, sizeof(u)));
    return 0;
}

ErrorOr<i64> sys_sysinfo(UserAddr info)
{
    struct {
        i64 uptime;
        u64 loads[3];
        u64 totalram, freeram, sharedram, bufferram, totalswap, freeswap;
        u16 procs;
        u16 pad;
        u32 pad2;
        u64 totalhigh, freehigh;
        u32 mem_unit;
        u32 pad3;
    } s {};
    static_assert(sizeof(s) == 112);
    pmm::Stats m = pmm::stats();
    s.uptime = static_cast<i64>(time::since_boot_ns() / 1000000000ull);
    // Load averages with SI_LOAD_SHIFT = 16 (1 << 16 is 1.0), from the
    // kernel's FSHIFT = 11 averages.
    for (int i = 0; i < 3; i++)
        s.loads[i] = cpu_stats::load_average[i].load() << (16 - cpu_stats::LOAD_FSHIFT);
    s.totalram = m.managed_pages * PAGE_SIZE;
    s.freeram = m.free_pages * PAGE_SIZE;
    s.procs = static_cast<u16>(min<u32>(proc::count(), 0xFFFF));
    s.mem_unit = 1;
    TRY(copy_to_user(info, &s, sizeof(s)));
    return 0;
}

ErrorOr<i64> sys_reboot(u32 magic, u32 magic2, u32 cmd, UserAddr)
{
    // include/uapi/linux/reboot.h
    constexpr u32 MAGIC1 = 0xfee1dead;
    constexpr u32 MAGIC2 = 672274793, MAGIC2A = 85072278, MAGIC2B = 369367448, MAGIC2C = 537993216;
    constexpr u32 CMD_RESTART = 0x01234567, CMD_HALT = 0xCDEF0123, CMD_POWER_OFF = 0x4321FEDC,
                  CMD_CAD_ON = 0x89ABCDEF, CMD_CAD_OFF = 0;
    if (magic != MAGIC1 || (magic2 != MAGIC2 && magic2 != MAGIC2A && magic2 != MAGIC2B && magic2 != MAGIC2C))
        return Error::from_errno(EINVAL);
    Process* p = proc::current_process();
    if (p->uid != 0)
        return Error::from_errno(EPERM);
    switch (cmd) {
    case CMD_CAD_ON:
    case CMD_CAD_OFF:
        return 0;
    case CMD_POWER_OFF:
    case CMD_HALT:
        log_info("reboot: Power down");
        arch::exit_emulator(EXIT_SUCCESS_CODE);
    case CMD_RESTART:
        // QEMU runs with -no-reboot: a restart ends the run as well.
        log_info("reboot: Restarting system");
        arch::exit_emulator(EXIT_SUCCESS_CODE);
    default:
        return Error::from_errno(EINVAL);
    }
}

ErrorOr<i64> sys_getrandom(UserAddr buf, u64 length, u32 flags)
{
    constexpr u32 GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
        return Error::from_errno(EINVAL);
    if ((flags & GRND_RANDOM) && (flags & GRND_INSECURE))
        return Error::from_errno(EINVAL);
    // Linux returns at most 32 MiB per call (and less if interrupted).
    length = min<u64>(length, 32 * MiB);
    u8 chunk[256];
    u64 done = 0;
    while (done < length) {
        size_t n = static_cast<size_t>(min<u64>(sizeof(chunk), length - done));
        crng::fill(chunk, n);
        auto copied = copy_to_user(buf + done, chunk, n);
        if (copied.is_error())
            return done ? ErrorOr<i64>(static_cast<i64>(done)) : ErrorOr<i64>(copied.release_error());
        done += n;
        if (done < length && thread::has_unblocked_signal(*sched::current()))
            break;
    }
    return static_cast<i64>(done);
}

ErrorOr<i64> sys_sched_yield()
{
    sched::yield();
    return 0;
}

ErrorOr<i64> sys_getcpu(UserAddr cpu, UserAddr node, UserAddr)
{
    u32 id = this_cpu()->id;
    if (cpu)
        TRY(put_user<u32>(cpu, id));
    if (node)
        TRY(put_user<u32>(node, 0));
    return 0;
}

ErrorOr<i64> sys_sched_getaffinity(i32 pid, u64 size, UserAddr mask)
{
    u32 cpus = percpu::count();
    u64 bytes = align_up((cpus + 7) / 8, 8);
    if (size < bytes || (size & 7))
        return Error::from_errno(EINVAL);
    if (pid < 0)
        return Error::from_errno(ESRCH);
    if (pid != 0) {
        SpinlockGuard guard(proc::table_lock());
        if (!proc::find_locked(pid))
            return Error::from_errno(ESRCH);
    }
    u8 bits[64] = {};
    for (u32 c = 0; c < cpus && c < 512; c++)
        bits[c / 8] |= static_cast<u8>(1u << (c % 8));
    TRY(copy_to_user(mask, bits, min<u64>(bytes, sizeof(bits))));
    return static_cast<i64>(bytes);
}

ErrorOr<i64> sys_sched_setaffinity(i32 pid, u64, UserAddr)
{
    // Accepted and ignored: the scheduler places every process itself.
    if (pid < 0)
        return Error::from_errno(ESRCH);
    return 0;
}

ErrorOr<i64> sys_getrusage(i32 who, UserAddr usage)
{
    constexpr i32 RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
    Process* p = proc::current_process();
    Thread* t = sched::current();
    u64 user, system;
    if (who == RUSAGE_SELF || who == RUSAGE_THREAD) {
        user = t->user_ticks;
        system = t->system_ticks;
    } else if (who == RUSAGE_CHILDREN) {
        user = p->child_user_ticks;
        system = p->child_system_ticks;
    } else {
        return Error::from_errno(EINVAL);
    }
    TRY(proc::put_rusage(usage, user, system));
    return 0;
}

ErrorOr<i64> sys_times(UserAddr buf)
{
    // clock_t in USER_HZ (100) ticks.
    Process* p = proc::current_process();
    Thread* t = sched::current();
    u64 hz = config::timer_hz;
    if (buf) {
        i64 tms[4] = { static_cast<i64>(t->user_ticks * 100 / hz), static_cast<i64>(t->system_ticks * 100 / hz),
                       static_cast<i64>(p->child_user_ticks * 100 / hz),
                       static_cast<i64>(p->child_system_ticks * 100 / hz) };
        TRY(copy_to_user(buf, tms, sizeof(tms)));
    }
    return static_cast<i64>(time::ticks() * 100 / hz);
}

ErrorOr<i64> sys_personality(u64 persona)
{
    // Only PER_LINUX (0); 0xffffffff queries.
    if (persona == 0xffffffff || persona == 0)
        return 0;
    return Error::from_errno(EINVAL);
}
