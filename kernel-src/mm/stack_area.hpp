#pragma once
// Kernel stacks in fixed slots of the stack area (mm/layout.hpp): each slot
// is an unmapped guard page followed by the stack, so an overflow faults
// (the double-fault handler reports it on its own stack) instead of
// overwriting a neighbour. The slots' page tables are made at boot, so
// creating and ending threads never allocates or frees page tables: the
// memory a thread uses comes back exactly when it ends.
#include <lib/error_or.hpp>
#include <mm/layout.hpp>

namespace stack_area {
constexpr u64 STACK_SIZE = 16 * KiB;
constexpr u64 SLOT_SIZE = STACK_SIZE + PAGE_SIZE;

// Sizes the area for `slots` stacks and makes its page tables.
void init(u64 slots);
// A mapped, zeroed stack; returns its lowest address (the top is
// base + STACK_SIZE). EAGAIN when every slot is taken, ENOMEM.
ErrorOr<VirtAddr> allocate();
// Unmaps the stack (every CPU's TLB is flushed) and frees its pages.
void release(VirtAddr base);
u64 slots_in_use();
u64 slot_count();
// True when `address` is in a guard page of the area (stack overflow).
bool is_guard_page(VirtAddr address);
} // namespace stack_area
