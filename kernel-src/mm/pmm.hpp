#pragma once
// Physical memory manager: a bitmap with one bit per 4 KiB page over every
// usable region of the boot memory map, with summary levels above it (a bit
// per full word) so the lowest free page is found in a few reads at any RAM
// size. Single pages (always the lowest free one) and contiguous runs.
#include <kernel/boot_info.hpp>
#include <lib/error_or.hpp>
#include <mm/layout.hpp>

namespace pmm {

struct Stats {
    u64 usable_bytes;  // sum of the usable regions (page-aligned inwards)
    u32 usable_regions;
    u64 managed_pages; // pages that were free after boot reservations
    u64 free_pages;
    u64 reserved_pages; // usable pages taken at boot (kernel, boot data, bitmap)
};

// Reads the memory map and reserves the kernel image, the boot information,
// modules, the first MiB and the bitmap itself.
void init(const BootInfo& boot);

ErrorOr<PhysAddr> alloc_page();
// `count` physically contiguous pages whose first address is a multiple of
// align_pages pages.
ErrorOr<PhysAddr> alloc_pages(size_t count, size_t align_pages = 1);
// Returns pages to the pool. Freeing a page that is not allocated panics.
void free_page(PhysAddr page);
void free_pages(PhysAddr first, size_t count);

// Zeroed page (through the direct map).
ErrorOr<PhysAddr> alloc_zeroed_page();

Stats stats();
// Highest physical address (exclusive) of any RAM in the memory map.
u64 top_of_ram();
bool is_allocated(PhysAddr page);

} // namespace pmm
