#pragma once
// Page counters for /proc/meminfo that no allocator tracks by itself: pages
// used for page tables and kernel stacks.
#include <lib/atomic.hpp>

namespace accounting {
inline Atomic<u64> page_table_pages { 0 };
inline Atomic<u64> kernel_stack_pages { 0 };
} // namespace accounting
