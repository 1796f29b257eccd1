#pragma once
// Virtual memory: address spaces, map/unmap/translate with 4 KiB and 2 MiB
// pages. The page-table format is the arch's (arch/x86_64/paging.cpp).
#include <kernel/boot_info.hpp>
#include <lib/error_or.hpp>
#include <mm/layout.hpp>

namespace vmm {

// Mapping flags. Without Write a page is read-only; without Exec it is
// no-execute (when the CPU supports NX).
enum Flags : u64 {
    Write = 1 << 0,
    User = 1 << 1,
    Exec = 1 << 2,
    Uncached = 1 << 3,
    Global = 1 << 4,
};

struct AddressSpace {
    PhysAddr root; // physical address of the top-level table
};

struct Translation {
    PhysAddr phys;
    u64 flags;     // vmm::Flags that apply to the page
    u64 page_size; // 4 KiB or 2 MiB
};

// Builds the kernel's page tables (direct map of all RAM, kernel image with
// per-section permissions) and switches to them.
void init(const BootInfo& boot);
AddressSpace& kernel_space();

// Errors: EINVAL (misaligned or non-canonical), EEXIST (already mapped, also
// inside a 2 MiB page), ENOMEM (no page for a table).
ErrorOr<void> map_page(AddressSpace& as, VirtAddr virt, PhysAddr phys, u64 flags);
ErrorOr<void> map_huge_page(AddressSpace& as, VirtAddr virt, PhysAddr phys, u64 flags);
// Removes the 4 KiB or 2 MiB mapping that starts at virt. ENOENT when none.
ErrorOr<void> unmap_page(AddressSpace& as, VirtAddr virt);
// The same without the TLB shootdown: the caller flushes (e.g. once for a
// range with flush_kernel_range_everywhere).
ErrorOr<void> unmap_page_local(AddressSpace& as, VirtAddr virt);
// Invalidates [start, start+size) of kernel space in every CPU's TLB.
void flush_kernel_range_everywhere(VirtAddr start, u64 size);
// ENOENT when nothing maps virt.
ErrorOr<Translation> translate(AddressSpace& as, VirtAddr virt);

// Reserves `size` bytes of kernel virtual space in the mapping window (see
// mm/kernel_vm.hpp), and gives it back once unmapped.
ErrorOr<VirtAddr> reserve_kernel_range(u64 size, u64 align);
void release_kernel_range(VirtAddr start, u64 size);
// Maps a device's registers uncached and returns their virtual address.
ErrorOr<void*> map_mmio(PhysAddr phys, u64 size);

// Creates the page tables that map [start, start+size) in 4 KiB pages, so
// that later map_page calls there never allocate a table. ENOMEM.
ErrorOr<void> prepare_tables(AddressSpace& as, VirtAddr start, u64 size);

// Bytes covered by the direct map.
u64 direct_map_size();
bool nx_supported();

} // namespace vmm
