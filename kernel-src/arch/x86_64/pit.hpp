#pragma once
// The 8254 programmable interval timer.
#include <lib/types.hpp>

namespace x86 {
constexpr u32 PIT_HZ = 1193182; // input clock (Intel 82C54 datasheet)

// Starts channel 0 as a periodic rate generator at `hz` (IRQ 0).
void pit_start_periodic(u32 hz);
// Counts timestamp-counter cycles across a 10 ms one-shot of channel 2
// (gate through port 0x61; no interrupt needed) and returns cycles per second.
u64 pit_measure_tsc_hz();
// Busy-waits `us` microseconds on channel 2 (used before the TSC is known
// and for APIC timer calibration). At most 54 ms per call.
void pit_wait_us(u32 us);
} // namespace x86
