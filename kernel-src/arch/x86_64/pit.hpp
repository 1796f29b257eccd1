#pragma once
// The 8254 programmable interval timer.
#include <lib/types.hpp>

namespace x86 {
constexpr u32 PIT_HZ = 1193182; // input clock (Intel 82C54 datasheet)

// Starts channel 0 as a periodic rate generator at `hz` (IRQ 0).
void pit_start_periodic(u32 hz);
// Timestamp-counter cycles per second, from 10 ms of channel 2 (gated
// through port 0x61; no interrupt needed) read against the TSC as
// calibrate.hpp describes.
u64 pit_measure_tsc_hz();
} // namespace x86
