#pragma once
// The seed kernel's distributed sum: 1..last split into equal slices over
// CPUs 0..cpus-1, run in parallel through cross-CPU calls. Used by the
// parallel test suite and by `bench=smp`.
#include <lib/types.hpp>

namespace parallel_sum {

struct Result {
    u64 total;
    u64 elapsed_ns; // dispatch to the last CPU finishing, timed on the caller
};

// `partials` (optional, one entry per CPU) receives each CPU's slice sum.
Result run(u64 last, u32 cpus, u64* partials);

// First and last value of CPU `id`'s slice.
void slice(u64 last, u32 cpus, u32 id, u64* first, u64* slice_last);

} // namespace parallel_sum
