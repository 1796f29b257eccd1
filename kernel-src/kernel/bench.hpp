#pragma once
// In-kernel benchmarks, selected with bench=NAME on the command line. Each
// prints machine-readable lines that `oskit bench NAME` collects, then leaves
// the emulator.
namespace bench {
// Runs the benchmark named on the command line; false when there is none.
bool run_from_cmdline();
} // namespace bench
