#pragma once
// The 8254 programmable interval timer.
#include <lib/types.hpp>

namespace x86 {
constexpr u32 PIT_HZ = 1193182; // input clock (Intel 82C54 datasheet)

// Calibration against channel 2 (the TSC, the APIC timer). The host can
// pause the vCPU at any moment while every clock runs on; with the counter
// started before a window and read after it, a pause can only stretch the
// window, never shorten it. So windows are measured until the two shortest
// agree within 1/256 (two unstretched ones), and the shortest is the truth.
// (A fixed median of three kept stretched windows under load: the APIC
// timer 74-138 MHz instead of 62.5, the TSC 4019 MHz instead of 2450, ticks
// at 45-150 Hz for 100 Hz.)
constexpr u32 CALIBRATION_WINDOW_US = 5000;
constexpr u32 CALIBRATION_MAX_WINDOWS = 40;

// The channel 2 count for `us` microseconds (1..0xFFFF: at most 54 ms).
u16 pit_count_for_us(u32 us);

// `window(count)` measures its counter across one channel 2 one-shot of
// `count` (pit_wait_count); returns the shortest result as described above.
template <typename Window> u64 pit_calibrate(Window window)
{
    u16 count = pit_count_for_us(CALIBRATION_WINDOW_US);
    u64 best = ~0ull, second = ~0ull;
    for (u32 i = 0; i < CALIBRATION_MAX_WINDOWS; i++) {
        u64 v = window(count);
        if (v < best) {
            second = best;
            best = v;
        } else if (v < second) {
            second = v;
        }
        if (second != ~0ull && second - best <= best / 256)
            break;
    }
    return best;
}

// Starts channel 0 as a periodic rate generator at `hz` (IRQ 0).
void pit_start_periodic(u32 hz);
// Timestamp-counter cycles per second (pit_calibrate on channel 2 one-shots,
// gated through port 0x61; no interrupt needed).
u64 pit_measure_tsc_hz();
// Starts a channel 2 one-shot of `count` and busy-waits until it ends.
void pit_wait_count(u16 count);
} // namespace x86
