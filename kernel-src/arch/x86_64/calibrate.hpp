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

// A measurement is good enough when its uncertainty (both brackets, and
// the counter's own resolution) is below this share of its span, in parts
// per million. It is extended until it is (so it takes as long as the
// clocks need, not a fixed window: about 1 ms against the APIC timer, 2 to
// 4 ms against the PIT under TCG, where a fixed 10 ms took 10); a
// measurement that cannot get there within its counter's limit is repeated
// (up to CALIBRATION_ATTEMPTS times) and the best one kept.
constexpr u64 CALIBRATION_MAX_ERROR_PPM = 1000;
constexpr int CALIBRATION_ATTEMPTS = 20;

// Uncertainty of a measurement from `a` to `b`, in parts per million.
inline u64 calibration_error_ppm(const ClockSample& a, const ClockSample& b)
{
    u64 span = b.tsc - a.tsc;
    return span ? (a.width + b.width) / 2 * 1000000 / span : ~0ull;
}

// One measurement of a counter against the TSC.
struct CounterSpan {
    u64 tsc_cycles; // between the middles of the two brackets
    u64 counts;     // the counter's advance over the same span
    u64 error_ppm;  // brackets and resolution together
};

// Measures `read` (a counter) against the TSC: a bracketed start, then
// bracketed ends until the uncertainty is at most
// CALIBRATION_MAX_ERROR_PPM. `elapsed(from, to)` is the counter's advance
// between two reads; `resolution` the error of one read, in counts (a read
// lands anywhere within a count); `past_limit(counts)` says when the
// counter cannot go further (about to wrap or stop). Returns the best
// attempt, {0, 0, ~0} when none advanced.
template <typename Read, typename Elapsed, typename PastLimit>
CounterSpan measure_against_tsc(Read read, Elapsed elapsed, u64 resolution, PastLimit past_limit)
{
    CounterSpan best { 0, 0, ~0ull };
    for (int attempt = 0; attempt < CALIBRATION_ATTEMPTS && best.error_ppm > CALIBRATION_MAX_ERROR_PPM; attempt++) {
        ClockSample start = sample_against_tsc(read);
        for (;;) {
            ClockSample end = sample_against_tsc(read);
            u64 counts = elapsed(start.value, end.value);
            if (past_limit(counts))
                break; // this attempt is void or spent: start again
            if (counts == 0)
                continue;
            u64 error = calibration_error_ppm(start, end) + 2 * resolution * 1000000 / counts;
            if (error < best.error_ppm)
                best = { end.tsc - start.tsc, counts, error };
            if (error <= CALIBRATION_MAX_ERROR_PPM)
                break;
        }
    }
    return best;
}

} // namespace x86
