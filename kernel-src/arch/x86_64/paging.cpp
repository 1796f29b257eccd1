// x86-64 4-level paging (Intel SDM vol. 3A, ch. 4.5): the implementation of
// mm/vmm.hpp.
#include <arch/x86_64/cpu.hpp>
#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <kernel/smp.hpp>
#include <lib/spinlock.hpp>
#include <lib/string.hpp>
#include <mm/pmm.hpp>
#include <mm/kernel_vm.hpp>
#include <mm/vmm.hpp>

namespace vmm {
namespace {

// Page-table entry bits (Intel SDM vol. 3A, tables 4-15 to 4-20).
constexpr u64 PTE_PRESENT = 1ull << 0;
constexpr u64 PTE_WRITE = 1ull << 1;
constexpr u64 PTE_USER = 1ull << 2;
constexpr u64 PTE_PWT = 1ull << 3;
constexpr u64 PTE_PCD = 1ull << 4;
constexpr u64 PTE_HUGE = 1ull << 7;
constexpr u64 PTE_GLOBAL = 1ull << 8;
constexpr u64 PTE_NX = 1ull << 63;
constexpr u64 PTE_ADDR = 0x000FFFFFFFFFF000ull;
// Intermediate tables allow everything; the leaf decides.
constexpr u64 TABLE_FLAGS = PTE_PRESENT | PTE_WRITE | PTE_USER;

Spinlock s_lock;
AddressSpace s_kernel;
bool s_nx;
u64 s_direct_map_size;

u64* table(PhysAddr p) { return phys_to_ptr<u64>(p); }
unsigned index(VirtAddr v, int level) { return (v >> (12 + 9 * level)) & 0x1FF; }

bool canonical(VirtAddr v)
{
    u64 top = v >> 47;
    return top == 0 || top == 0x1FFFF;
}

u64 leaf_bits(u64 flags)
{
    u64 bits = PTE_PRESENT;
    if (flags & Write)
        bits |= PTE_WRITE;
    if (flags & User)
        bits |= PTE_USER;
    if (!(flags & Exec) && s_nx)
        bits |= PTE_NX;
    if (flags & Uncached)
        bits |= PTE_PCD | PTE_PWT;
    if (flags & Global)
        bits |= PTE_GLOBAL;
    return bits;
}

u64 flags_from_entry(u64 e)
{
    u64 f = 0;
    if (e & PTE_WRITE)
        f |= Write;
    if (e & PTE_USER)
        f |= User;
    if (!(e & PTE_NX))
        f |= Exec;
    if (e & PTE_PCD)
        f |= Uncached;
    if (e & PTE_GLOBAL)
        f |= Global;
    return f;
}

// Walks to the table at `level` (0 = page table, 1 = page directory) that
// covers virt, creating missing tables. EEXIST when a huge page is in the way.
ErrorOr<u64*> walk_create(PhysAddr root, VirtAddr virt, int level)
{
    u64* t = table(root);
    for (int l = 3; l > level; l--) {
        u64& e = t[index(virt, l)];
        if (!(e & PTE_PRESENT)) {
            PhysAddr fresh = TRY(pmm::alloc_zeroed_page());
            e = fresh | TABLE_FLAGS;
        } else if (e & PTE_HUGE) {
            return Error::from_errno(EEXIST);
        }
        t = table(e & PTE_ADDR);
    }
    return t;
}

ErrorOr<void> map_at_level(AddressSpace& as, VirtAddr virt, PhysAddr phys, u64 flags, int level)
{
    u64 size = level == 0 ? PAGE_SIZE : HUGE_PAGE_SIZE;
    if (!is_aligned(virt, size) || !is_aligned(phys, size) || !canonical(virt))
        return Error::from_errno(EINVAL);
    SpinlockGuard guard(s_lock);
    u64* t = TRY(walk_create(as.root, virt, level));
    u64& e = t[index(virt, level)];
    if (e & PTE_PRESENT)
        return Error::from_errno(EEXIST);
    e = phys | leaf_bits(flags) | (level ? PTE_HUGE : 0);
    return {};
}

// Maps [0, size) of physical memory at DIRECT_MAP_BASE with 2 MiB pages.
// Blocks that hold no RAM are device memory and are mapped uncached.
void build_direct_map(const BootInfo& boot, u64 size)
{
    for (u64 phys = 0; phys < size; phys += HUGE_PAGE_SIZE) {
        bool ram = false;
        for (u32 i = 0; i < boot.region_count && !ram; i++) {
            const MemoryRegion& r = boot.regions[i];
            if (r.type == MemoryType::Reserved || r.type == MemoryType::Bad)
                continue;
            ram = r.base < phys + HUGE_PAGE_SIZE && phys < r.base + r.length;
        }
        u64 flags = Write | Global | (ram || phys == 0 ? 0 : Uncached);
        if (map_huge_page(s_kernel, DIRECT_MAP_BASE + phys, phys, flags).is_error())
            panic("vmm: cannot build the direct map at 0x%lx", phys);
    }
}

void map_kernel_range(const char* start, const char* end, u64 flags)
{
    for (u64 v = align_down(reinterpret_cast<u64>(start), PAGE_SIZE); v < reinterpret_cast<u64>(end);
         v += PAGE_SIZE) {
        if (map_page(s_kernel, v, v - KERNEL_VMA, flags | Global).is_error())
            panic("vmm: cannot map the kernel image at 0x%lx", v);
    }
}

} // namespace

void init(const BootInfo& boot)
{
    s_nx = x86::rdmsr(x86::MSR_EFER) & x86::EFER_NXE;
    auto root = pmm::alloc_zeroed_page();
    if (root.is_error())
        panic("vmm: no memory for the kernel page tables");
    s_kernel.root = root.value();

    // Pre-create every kernel-half PDPT so the upper 256 PML4 entries never
    // change: address spaces created later share them by copying.
    u64* pml4 = table(s_kernel.root);
    for (int i = 256; i < 512; i++) {
        auto pdpt = pmm::alloc_zeroed_page();
        if (pdpt.is_error())
            panic("vmm: no memory for the kernel page tables");
        pml4[i] = pdpt.value() | PTE_PRESENT | PTE_WRITE;
    }

    s_direct_map_size = align_up(max(pmm::top_of_ram(), 4 * GiB), HUGE_PAGE_SIZE);
    build_direct_map(boot, s_direct_map_size);
    map_kernel_range(__text_start, __text_end, Exec);
    map_kernel_range(__rodata_start, __rodata_end, 0);
    map_kernel_range(__data_start, __kernel_end, Write);

    // Enable global pages, then switch.
    x86::write_cr4(x86::read_cr4() | (1 << 7));
    x86::write_cr3(s_kernel.root);
    log_info("vmm: direct map of %lu MiB at 0x%lx, kernel image at 0x%lx (%lu KiB), NX %s",
             s_direct_map_size / MiB, DIRECT_MAP_BASE, reinterpret_cast<u64>(__text_start),
             (reinterpret_cast<u64>(__kernel_end) - reinterpret_cast<u64>(__text_start)) / KiB,
             s_nx ? "on" : "unsupported");
}

AddressSpace& kernel_space() { return s_kernel; }

ErrorOr<void> prepare_tables(AddressSpace& as, VirtAddr start, u64 size)
{
    SpinlockGuard guard(s_lock);
    for (VirtAddr v = align_down(start, HUGE_PAGE_SIZE); v < start + size; v += HUGE_PAGE_SIZE)
        TRY(walk_create(as.root, v, 0));
    return {};
}

ErrorOr<void> map_page(AddressSpace& as, VirtAddr virt, PhysAddr phys, u64 flags)
{
    return map_at_level(as, virt, phys, flags, 0);
}

ErrorOr<void> map_huge_page(AddressSpace& as, VirtAddr virt, PhysAddr phys, u64 flags)
{
    return map_at_level(as, virt, phys, flags, 1);
}

ErrorOr<void> unmap_page_local(AddressSpace& as, VirtAddr virt)
{
    if (!canonical(virt) || !is_aligned(virt, PAGE_SIZE))
        return Error::from_errno(EINVAL);
    SpinlockGuard guard(s_lock);
    u64* t = table(as.root);
    for (int l = 3; l >= 0; l--) {
        u64& e = t[index(virt, l)];
        if (!(e & PTE_PRESENT))
            return Error::from_errno(ENOENT);
        if (l == 0 || (l == 1 && (e & PTE_HUGE))) {
            if (l == 1 && !is_aligned(virt, HUGE_PAGE_SIZE))
                return Error::from_errno(EINVAL);
            e = 0;
            x86::invlpg(virt);
            return {};
        }
        t = table(e & PTE_ADDR);
    }
    return Error::from_errno(ENOENT);
}

ErrorOr<void> unmap_page(AddressSpace& as, VirtAddr virt)
{
    TRY(unmap_page_local(as, virt));
    // Outside the lock: other CPUs may need it while answering.
    smp::flush_tlb_everywhere(virt);
    return {};
}

void flush_kernel_range_everywhere(VirtAddr start, u64 size)
{
    struct Range {
        VirtAddr start;
        u64 size;
    } range { start, size };
    smp::call_on_all(
        [](void* arg) {
            auto* r = static_cast<Range*>(arg);
            for (u64 off = 0; off < r->size; off += PAGE_SIZE)
                x86::invlpg(r->start + off);
        },
        &range);
}

ErrorOr<Translation> translate(AddressSpace& as, VirtAddr virt)
{
    if (!canonical(virt))
        return Error::from_errno(EINVAL);
    SpinlockGuard guard(s_lock);
    u64* t = table(as.root);
    for (int l = 3; l >= 0; l--) {
        u64 e = t[index(virt, l)];
        if (!(e & PTE_PRESENT))
            return Error::from_errno(ENOENT);
        if (l == 0 || (e & PTE_HUGE)) {
            u64 size = 1ull << (12 + 9 * l);
            return Translation { (e & PTE_ADDR & ~(size - 1)) + (virt & (size - 1)), flags_from_entry(e), size };
        }
        t = table(e & PTE_ADDR);
    }
    return Error::from_errno(ENOENT);
}

ErrorOr<VirtAddr> reserve_kernel_range(u64 size, u64 align) { return kernel_vm::reserve(size, align); }

void release_kernel_range(VirtAddr start, u64 size) { kernel_vm::release(start, size); }

ErrorOr<void*> map_mmio(PhysAddr phys, u64 size)
{
    PhysAddr first = align_down(phys, PAGE_SIZE);
    u64 length = align_up(phys + size, PAGE_SIZE) - first;
    VirtAddr virt = TRY(reserve_kernel_range(length, PAGE_SIZE));
    for (u64 off = 0; off < length; off += PAGE_SIZE)
        TRY(map_page(s_kernel, virt + off, first + off, Write | Uncached | Global));
    return reinterpret_cast<void*>(virt + (phys - first));
}

u64 direct_map_size() { return s_direct_map_size; }
bool nx_supported() { return s_nx; }

} // namespace vmm
