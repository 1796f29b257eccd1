#include <arch/arch.hpp>
#include <drivers/rtc.hpp>
#include <kernel/time.hpp>
#include <lib/atomic.hpp>

namespace time {
namespace {
u64 s_boot_tsc;
u64 s_tsc_hz;
Atomic<u64> s_ticks { 0 };
u64 s_realtime_at_boot_ns; // wall-clock time when since_boot_ns() was 0
} // namespace

void init()
{
    s_boot_tsc = arch::read_timestamp();
    s_tsc_hz = arch::measure_timestamp_hz();
}

u64 timestamp_hz() { return s_tsc_hz; }

u64 since_boot_ns()
{
    if (!s_tsc_hz)
        return 0;
    u64 delta = arch::read_timestamp() - s_boot_tsc;
    // Split to avoid overflowing 64 bits: seconds part, then the remainder.
    return (delta / s_tsc_hz) * 1000000000ull + (delta % s_tsc_hz) * 1000000000ull / s_tsc_hz;
}

void init_realtime()
{
    u64 now = since_boot_ns();
    u64 seconds = rtc::read_unix_seconds();
    s_realtime_at_boot_ns = seconds * 1000000000ull - min<u64>(now, seconds * 1000000000ull);
}

u64 realtime_ns() { return s_realtime_at_boot_ns + since_boot_ns(); }

u64 ticks() { return s_ticks.load(__ATOMIC_RELAXED); }
void tick() { s_ticks.fetch_add(1, __ATOMIC_RELAXED); }

void delay_us(u64 us)
{
    u64 end = arch::read_timestamp() + s_tsc_hz / 1000000 * us;
    while (arch::read_timestamp() < end)
        arch::cpu_relax();
}

} // namespace time
