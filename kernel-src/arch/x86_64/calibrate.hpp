#pragma once
// Measuring one clock against the timestamp counter under emulation.
//
// The host can stop a vCPU at any moment for milliseconds while every clock
// runs on. A counter read with the TSC on both sides (a bracket) is exact to
// within the bracket's width, however long the pauses between reads are; a
// pause inside a bracket only widens it. So each end of a measurement takes
// the narrowest of a few brackets, and a measurement counts only when the
// widths are small against its span. (Timing a window from "start" to "seen
// finished" instead let pauses stretch it: under load the TSC came out at
// 4019 MHz instead of 2450 and the APIC timer at 138 MHz instead of 62.5,
// ticking at 45-159 Hz for 100 Hz.)
#include <arch/arch.hpp>

namespace x86 {

struct ClockSample {
    u64 tsc;   // middle of the bracket
    u64 width; // TSC cycles between the reads on either side
    u64 value; // the counter
};

// The narrowest of a few bracketed reads of `read()`.
template <typename Read> ClockSample sample_against_tsc(Read read)
{
    ClockSample best { 0, ~0ull, 0 };
    for (int i = 0; i < 8; i++) {
        u64 before = arch::read_timestamp();
        u64 value = read();
        u64 after = arch::read_timestamp();
        if (after - before < best.width)
            best = { before + (after - before) / 2, after - before, value };
    }
    return best;
}

// A measurement is kept when both brackets together are below this share
// of its span (parts per million), else it is repeated (up to
// CALIBRATION_ATTEMPTS times; the best one is kept).
constexpr u64 CALIBRATION_MAX_ERROR_PPM = 1000;
constexpr int CALIBRATION_ATTEMPTS = 20;

// Uncertainty of a measurement from `a` to `b`, in parts per million.
inline u64 calibration_error_ppm(const ClockSample& a, const ClockSample& b)
{
    u64 span = b.tsc - a.tsc;
    return span ? (a.width + b.width) / 2 * 1000000 / span : ~0ull;
}

} // namespace x86
