#pragma once
// The kernel's virtual memory layout (see DESIGN.md, "Memory map").
#include <lib/types.hpp>

// All physical memory, mapped 1:1 at this base.
constexpr u64 DIRECT_MAP_BASE = 0xFFFF800000000000;
// Kernel-owned dynamic mappings (vmm tests, MMIO windows).
constexpr u64 KERNEL_MAPPING_BASE = 0xFFFFC00000000000;
constexpr u64 KERNEL_MAPPING_SIZE = 1ull << 39;
// Kernel stacks: fixed slots (a guard page and the stack) whose page tables
// exist from boot (mm/stack_area.hpp).
constexpr u64 KERNEL_STACK_AREA = KERNEL_MAPPING_BASE + KERNEL_MAPPING_SIZE;
constexpr u64 KERNEL_STACK_AREA_SIZE = 1ull << 39;
// The kernel image, linked at this base + its physical address.
constexpr u64 KERNEL_VMA = 0xFFFFFFFF80000000;
constexpr u64 PAGE_SIZE = 4096;
constexpr u64 HUGE_PAGE_SIZE = 2 * 1024 * 1024;

using PhysAddr = u64;
using VirtAddr = u64;

inline void* phys_to_virt(PhysAddr p) { return reinterpret_cast<void*>(p + DIRECT_MAP_BASE); }
template <typename T> inline T* phys_to_ptr(PhysAddr p) { return static_cast<T*>(phys_to_virt(p)); }
// Physical address of a direct-map or kernel-image pointer.
inline PhysAddr virt_to_phys(const void* v)
{
    u64 a = reinterpret_cast<u64>(v);
    return a >= KERNEL_VMA ? a - KERNEL_VMA : a - DIRECT_MAP_BASE;
}

// Linker-script symbols (arch/x86_64/linker.ld).
extern "C" char __kernel_phys_start[], __kernel_phys_end[];
extern "C" char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern "C" char __data_start[], __bss_start[], __bss_end[], __kernel_end[];
