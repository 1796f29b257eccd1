#pragma once
// Kernel virtual address ranges in the mapping window (KERNEL_MAPPING_BASE,
// 1 TiB): MMIO windows, kernel stacks, test mappings. Ranges are handed out
// first-fit from a sorted free list and given back when released, so space
// for things that come and go (a kernel stack per thread) is reused. Every
// range is followed by at least one unmapped guard page, and may be
// preceded by one (`guard_below`, for stacks that grow down).
#include <lib/error_or.hpp>
#include <mm/layout.hpp>

namespace kernel_vm {

// Reserves `size` bytes (rounded up to pages) aligned to `align` (a power of
// two, at least a page). With guard_below, the page below the range is kept
// unmapped too. ENOMEM when the window is full or the free list cannot grow.
ErrorOr<VirtAddr> reserve(u64 size, u64 align, bool guard_below = false);
// Gives back a range from reserve() (same size and guard_below). The caller
// has already unmapped it.
void release(VirtAddr start, u64 size, bool guard_below = false);

struct Stats {
    u64 free_bytes;  // unreserved space in the window
    u64 free_ranges; // pieces of the free list
};
Stats stats();

} // namespace kernel_vm
