// timer: the periodic tick runs at the configured rate.
#include <arch/arch.hpp>
#include <config.hpp>
#include <kernel/ktest.hpp>
#include <kernel/percpu.hpp>
#include <kernel/time.hpp>

namespace {

// Waits for `count` ticks, bounded by 10 s of timestamp counter.
bool wait_ticks(u64 count, u64* cycles)
{
    u64 start_tick = time::ticks();
    while (time::ticks() == start_tick)
        arch::cpu_relax();
    u64 begin = arch::read_timestamp();
    u64 first = time::ticks();
    u64 limit = begin + 10 * time::timestamp_hz();
    while (time::ticks() < first + count) {
        if (arch::read_timestamp() > limit)
            return false;
        arch::halt(); // the next interrupt wakes us
    }
    *cycles = arch::read_timestamp() - begin;
    return true;
}

void ticks_advance(KTest& t)
{
    KASSERT_TRUE(t, arch::irq_enabled());
    u64 before = time::ticks();
    u64 cycles;
    KASSERT_TRUE(t, wait_ticks(3, &cycles));
    KEXPECT_GE(t, time::ticks(), before + 3);
    KEXPECT_GE(t, this_cpu()->ticks.load(), 3u);
}

void rate_matches_config(KTest& t)
{
    // Measure half a second of ticks against the timestamp counter (itself
    // calibrated against the PIT's fixed 1.193182 MHz clock at boot).
    u64 count = config::timer_hz / 2;
    if (count < 5)
        count = 5;
    u64 cycles;
    KASSERT_TRUE(t, wait_ticks(count, &cycles));
    u64 measured_hz = count * time::timestamp_hz() / cycles;
    t.note("%lu ticks in %lu us: %lu Hz (configured %u)", count, cycles * 1000000 / time::timestamp_hz(),
           measured_hz, config::timer_hz);
    KEXPECT_GE(t, measured_hz * 100, config::timer_hz * 75ull);
    KEXPECT_LE(t, measured_hz * 100, config::timer_hz * 125ull);
}

void uptime_is_monotonic(KTest& t)
{
    u64 a = time::since_boot_ns();
    time::delay_us(1000);
    u64 b = time::since_boot_ns();
    KEXPECT_GE(t, b, a + 1000000);
    KEXPECT_LT(t, b, a + 1000000000ull); // and not absurdly far
}

} // namespace

KTEST_SUITE(timer, KTEST_CASE(ticks_advance), KTEST_CASE(rate_matches_config), KTEST_CASE(uptime_is_monotonic));
