#pragma once
// The ACPI power-management timer (ACPI 6.5, 4.8.3.3 "Power Management
// Timer"): a free-running counter at 3.579545 MHz, 24 or 32 bits wide, read
// from the I/O port the FADT names. A clock with a known rate, independent
// of the TSC and the APIC: the tests check the calibrated rates against it.
#include <arch/x86_64/cpu.hpp>
#include <drivers/acpi/acpi.hpp>

namespace acpi::pm_timer {

constexpr u64 HZ = 3579545;

inline bool available() { return tables().has_fadt && tables().fadt.pm_timer_port; }

// The counter's mask (its width).
inline u32 mask() { return tables().fadt.pm_timer_32bit ? 0xFFFFFFFFu : 0xFFFFFFu; }

inline u32 read() { return x86::inl(static_cast<u16>(tables().fadt.pm_timer_port)) & mask(); }

// Counts from `from` to `to`, across one wrap.
inline u32 elapsed(u32 from, u32 to) { return (to - from) & mask(); }

} // namespace acpi::pm_timer
