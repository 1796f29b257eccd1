// clock: the rates boot uses for the TSC and the APIC timer. Where CPUID
// states them (clock_rates.hpp) the choice is checked with made-up CPUID
// values; the TSC rate this boot uses, however it was found, is checked
// against the ACPI PM timer, a clock of known rate.
#include <arch/arch.hpp>
#include <arch/x86_64/calibrate.hpp>
#include <arch/x86_64/clock_rates.hpp>
#include <drivers/acpi/pm_timer.hpp>
#include <kernel/ktest.hpp>
#include <kernel/time.hpp>
#include <lib/string.hpp>

namespace {

using x86::clock_rates_from_cpuid;
using x86::CpuidClockLeaves;

CpuidClockLeaves intel_with_leaf15(u32 denominator, u32 numerator, u32 crystal_hz)
{
    CpuidClockLeaves l {};
    l.intel = true;
    l.max_basic = 0x16;
    l.leaf15[0] = denominator;
    l.leaf15[1] = numerator;
    l.leaf15[2] = crystal_hz;
    return l;
}

void rates_from_cpuid(KTest& t)
{
    // Bare-metal Intel with the crystal named (24 MHz * 188/2 = 2256 MHz).
    auto r = clock_rates_from_cpuid(intel_with_leaf15(2, 188, 24000000));
    KEXPECT_EQ(t, r.tsc_hz, 2256000000ull);
    KEXPECT_EQ(t, r.apic_bus_hz, 24000000ull);
    KEXPECT_STREQ(t, r.source, "CPUID 0x15");

    // Leaf 15H without the crystal (ECX 0), or not there at all: measure.
    KEXPECT_EQ(t, clock_rates_from_cpuid(intel_with_leaf15(2, 188, 0)).tsc_hz, 0ull);
    auto old = intel_with_leaf15(2, 188, 24000000);
    old.max_basic = 0xD;
    KEXPECT_EQ(t, clock_rates_from_cpuid(old).tsc_hz, 0ull);
    // A zero denominator is no ratio.
    KEXPECT_EQ(t, clock_rates_from_cpuid(intel_with_leaf15(0, 188, 24000000)).tsc_hz, 0ull);
    // Not Intel: leaf 15H is not defined there.
    auto amd = intel_with_leaf15(2, 188, 24000000);
    amd.intel = false;
    KEXPECT_EQ(t, clock_rates_from_cpuid(amd).tsc_hz, 0ull);

    // Under a hypervisor: its timing leaf (kHz), never the host's leaf 15H.
    auto guest = intel_with_leaf15(2, 188, 24000000);
    guest.hypervisor = true;
    KEXPECT_EQ(t, clock_rates_from_cpuid(guest).tsc_hz, 0ull);
    guest.max_hypervisor = 0x40000010;
    guest.leaf40000010[0] = 2445000;
    guest.leaf40000010[1] = 1000000;
    auto g = clock_rates_from_cpuid(guest);
    KEXPECT_EQ(t, g.tsc_hz, 2445000000ull);
    KEXPECT_EQ(t, g.apic_bus_hz, 1000000000ull);
    KEXPECT_STREQ(t, g.source, "hypervisor CPUID 0x40000010");
    // The leaf beyond the hypervisor's maximum is not read.
    guest.max_hypervisor = 0x40000001;
    KEXPECT_EQ(t, clock_rates_from_cpuid(guest).tsc_hz, 0ull);
}

void pm_timer_is_monotonic(KTest& t)
{
    if (!acpi::pm_timer::available()) {
        t.skip("no ACPI PM timer (FADT)");
        return;
    }
    // 1000 reads never go backwards (modulo its width) and it moves.
    u32 first = acpi::pm_timer::read();
    u32 last = first;
    u64 total = 0;
    for (int i = 0; i < 1000; i++) {
        u32 now = acpi::pm_timer::read();
        u32 step = acpi::pm_timer::elapsed(last, now);
        KASSERT_TRUE(t, step < acpi::pm_timer::HZ); // a step back would wrap to nearly the whole range
        total += step;
        last = now;
    }
    time::delay_us(1000);
    total += acpi::pm_timer::elapsed(last, acpi::pm_timer::read());
    KEXPECT_GT(t, total, 0ull);
}

void tsc_rate_matches_pm_timer(KTest& t)
{
    if (!acpi::pm_timer::available()) {
        t.skip("no ACPI PM timer (FADT)");
        return;
    }
    // 20 ms of the PM timer against the TSC, each end bracketed by TSC reads
    // (calibrate.hpp), so that host pauses between the ends do not matter.
    auto read = [] { return static_cast<u64>(acpi::pm_timer::read()); };
    x86::ClockSample start = x86::sample_against_tsc(read);
    time::delay_us(20000);
    x86::ClockSample end = x86::sample_against_tsc(read);
    u64 counts = acpi::pm_timer::elapsed(static_cast<u32>(start.value), static_cast<u32>(end.value));
    u64 cycles = end.tsc - start.tsc;
    KASSERT_TRUE(t, counts > 0);
    u64 tsc_hz_by_pm = cycles * acpi::pm_timer::HZ / counts;
    u64 used = time::timestamp_hz();
    t.note("TSC %lu Hz (%s); against the PM timer over %lu us: %lu Hz (brackets %lu and %lu cycles)", used,
           arch::timestamp_hz_source(), counts * 1000000 / acpi::pm_timer::HZ, tsc_hz_by_pm, start.width, end.width);
    // Calibration aims at 0.1%; 1% leaves room for wide brackets here.
    KEXPECT_GE(t, used * 100, tsc_hz_by_pm * 99);
    KEXPECT_LE(t, used * 100, tsc_hz_by_pm * 101);
}

} // namespace

KTEST_SUITE(clock, KTEST_CASE(rates_from_cpuid), KTEST_CASE(pm_timer_is_monotonic), KTEST_CASE(tsc_rate_matches_pm_timer));
