#pragma once
// The 8254 programmable interval timer.
#include <lib/types.hpp>

namespace x86 {
constexpr u32 PIT_HZ = 1193182; // input clock (Intel 82C54 datasheet)

// Starts channel 0 as a periodic rate generator at `hz` (IRQ 0).
void pit_start_periodic(u32 hz);
// Timestamp-counter cycles per second, from channel 2 (gated through port
// 0x61; no interrupt needed) read against the TSC as calibrate.hpp
// describes, for as long as that takes to be within 0.1% (a few ms).
u64 pit_measure_tsc_hz();
} // namespace x86
