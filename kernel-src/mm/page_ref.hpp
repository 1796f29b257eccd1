#pragma once
// Reference counts of physical pages mapped into user address spaces: a
// page shared copy-on-write by a parent and its children, or mapped by
// several processes, goes back to the PMM when the last mapping goes.
#include <lib/error_or.hpp>
#include <mm/layout.hpp>

namespace page_ref {
// Allocates the count array (one u16 per page of RAM). Call after the PMM.
void init();
// A fresh page for user memory, zeroed, count 1. ENOMEM.
ErrorOr<PhysAddr> alloc_zeroed();
// A fresh page (count 1) holding a copy of `source`. ENOMEM.
ErrorOr<PhysAddr> alloc_copy(PhysAddr source);
void get(PhysAddr page);
// Drops a reference; frees the page when it was the last.
void put(PhysAddr page);
u32 count(PhysAddr page);
} // namespace page_ref
