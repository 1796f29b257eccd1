#pragma once
// The 8254 programmable interval timer.
#include <lib/types.hpp>

namespace x86 {
constexpr u32 PIT_HZ = 1193182; // input clock (Intel 82C54 datasheet)

// Calibrations against channel 2 keep the shortest of this many windows
// (see pit_measure_tsc_hz for why the shortest).
constexpr u32 CALIBRATION_WINDOWS = 5;
constexpr u32 CALIBRATION_WINDOW_US = 5000;

// Starts channel 0 as a periodic rate generator at `hz` (IRQ 0).
void pit_start_periodic(u32 hz);
// Timestamp-counter cycles per second, from the shortest of
// CALIBRATION_WINDOWS one-shots of channel 2 (gate through port 0x61; no
// interrupt needed).
u64 pit_measure_tsc_hz();
// The channel 2 count for `us` microseconds (1..0xFFFF: at most 54 ms).
u16 pit_count_for_us(u32 us);
// Busy-waits `us` microseconds on channel 2 (used before the TSC is known
// and for APIC timer calibration). At most 54 ms per call.
void pit_wait_us(u32 us);
} // namespace x86
