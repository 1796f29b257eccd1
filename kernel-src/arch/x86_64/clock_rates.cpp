#include <arch/x86_64/clock_rates.hpp>
#include <arch/x86_64/cpu.hpp>

namespace x86 {

ClockRates clock_rates_from_cpuid(const CpuidClockLeaves& l)
{
    if (l.hypervisor) {
        if (l.max_hypervisor >= 0x40000010 && l.leaf40000010[0])
            return { l.leaf40000010[0] * 1000ull, l.leaf40000010[1] * 1000ull, "hypervisor CPUID 0x40000010" };
        return { 0, 0, nullptr };
    }
    if (l.intel && l.max_basic >= 0x15 && l.leaf15[0] && l.leaf15[1] && l.leaf15[2]) {
        u64 crystal = l.leaf15[2];
        return { crystal * l.leaf15[1] / l.leaf15[0], crystal, "CPUID 0x15" };
    }
    return { 0, 0, nullptr };
}

CpuidClockLeaves read_cpuid_clock_leaves()
{
    CpuidClockLeaves l {};
    auto vendor = cpuid(0);
    l.max_basic = vendor.eax;
    l.intel = vendor.ebx == 0x756e6547 && vendor.edx == 0x49656e69 && vendor.ecx == 0x6c65746e; // "GenuineIntel"
    l.hypervisor = cpuid(1).ecx & (1u << 31);
    if (l.max_basic >= 0x15) {
        auto r = cpuid(0x15);
        l.leaf15[0] = r.eax;
        l.leaf15[1] = r.ebx;
        l.leaf15[2] = r.ecx;
    }
    if (l.hypervisor) {
        l.max_hypervisor = cpuid(0x40000000).eax;
        // Leaves above the maximum return garbage on some CPUs: ask only within it.
        if (l.max_hypervisor >= 0x40000010 && l.max_hypervisor < 0x40010000) {
            auto r = cpuid(0x40000010);
            l.leaf40000010[0] = r.eax;
            l.leaf40000010[1] = r.ebx;
        }
    }
    return l;
}

const ClockRates& stated_clock_rates()
{
    static ClockRates s_rates = clock_rates_from_cpuid(read_cpuid_clock_leaves());
    return s_rates;
}

} // namespace x86
