#pragma once
// Kernel heap: size classes from 16 to 1024 bytes carved from slab pages,
// larger blocks as runs of whole pages. Memory comes from the PMM through the
// direct map and goes back to it when a slab empties or a large block is
// freed. The total is capped at config::kernel_heap_size (ENOMEM beyond).
#include <lib/types.hpp>

namespace heap {

// nullptr when out of memory or over the cap. Alignment: 16 bytes, or the
// size class's own size when that is a larger power of two.
void* alloc(size_t size);
// Aligned to `align` (a power of two up to 2048; page-aligned memory comes
// from the PMM).
void* alloc_aligned(size_t size, size_t align);
void free(void* ptr);
// Usable size of the block at ptr.
size_t block_size(void* ptr);

struct Stats {
    u64 bytes_in_use;      // sum of block sizes handed out
    u64 pages_held;        // pages taken from the PMM
    u64 cap_bytes;
    u64 allocations;
    u64 frees;
    u64 empty_slab_pages;  // of pages_held: empty slabs kept for reuse (at most one per size class)
};
Stats stats();
// Gives the kept empty slabs back to the PMM (when memory runs short);
// returns how many pages.
u64 release_empty_slabs();

} // namespace heap
