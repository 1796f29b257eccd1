#pragma once
// The rates of the TSC and the local APIC timer when the CPU or the
// hypervisor states them, so that boot need not measure them (as Linux's
// native_calibrate_tsc and its hypervisor code do). Pure, to be tested with
// any CPUID values.
#include <lib/types.hpp>

namespace x86 {

// The CPUID values that state clock rates.
struct CpuidClockLeaves {
    bool intel;
    bool hypervisor;       // CPUID.1:ECX[31]
    u32 max_basic;         // CPUID.0:EAX
    u32 leaf15[3];         // EAX denominator, EBX numerator, ECX crystal Hz (Intel SDM vol. 2A, CPUID leaf 15H)
    u32 max_hypervisor;    // CPUID.40000000H:EAX
    u32 leaf40000010[2];   // EAX TSC kHz, EBX APIC bus kHz (the hypervisor "timing information" leaf)
};

struct ClockRates {
    u64 tsc_hz;       // 0: measure it
    u64 apic_bus_hz;  // the APIC timer's input before its divider; 0: measure it
    const char* source;
};

// Which CPUID leaf to trust:
// - under a hypervisor, only its timing leaf 0x40000010 (VMware's, which
//   QEMU/KVM provide when the TSC rate is fixed): the hardware's leaf 15H
//   describes the host's crystal, not a TSC the hypervisor may scale;
// - on an Intel CPU, leaf 15H when it names the crystal (ECX): TSC = crystal
//   * EBX / EAX, and the APIC timer runs from the crystal (Linux sets
//   lapic_timer_period from it). Without ECX the crystal must be known per
//   model; we measure instead.
// - otherwise nothing: measure both.
ClockRates clock_rates_from_cpuid(const CpuidClockLeaves& l);

// The leaves of this CPU.
CpuidClockLeaves read_cpuid_clock_leaves();

// clock_rates_from_cpuid() of this CPU (read once).
const ClockRates& stated_clock_rates();

} // namespace x86
