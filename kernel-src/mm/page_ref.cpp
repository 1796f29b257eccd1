#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <lib/string.hpp>
#include <mm/accounting.hpp>
#include <mm/page_ref.hpp>
#include <mm/pmm.hpp>

namespace page_ref {
namespace {
u16* s_counts;
u64 s_pages;

u16* slot(PhysAddr page)
{
    u64 index = page / PAGE_SIZE;
    if (index >= s_pages)
        panic("page_ref: page 0x%lx outside RAM", page);
    return &s_counts[index];
}
} // namespace

void init()
{
    s_pages = align_up(pmm::top_of_ram(), PAGE_SIZE) / PAGE_SIZE;
    u64 bytes = align_up(s_pages * sizeof(u16), PAGE_SIZE);
    auto run = pmm::alloc_pages(bytes / PAGE_SIZE);
    if (run.is_error())
        panic("page_ref: no %lu KiB for page reference counts", bytes / KiB);
    s_counts = phys_to_ptr<u16>(run.value());
    memset(s_counts, 0, bytes);
    log_info("page_ref: counts for %lu pages (%lu KiB)", s_pages, bytes / KiB);
}

ErrorOr<PhysAddr> alloc_zeroed()
{
    PhysAddr p = TRY(pmm::alloc_zeroed_page());
    __atomic_store_n(slot(p), 1, __ATOMIC_RELAXED);
    accounting::anon.add(1);
    return p;
}

ErrorOr<PhysAddr> alloc_copy(PhysAddr source)
{
    PhysAddr p = TRY(pmm::alloc_page());
    memcpy(phys_to_virt(p), phys_to_virt(source), PAGE_SIZE);
    __atomic_store_n(slot(p), 1, __ATOMIC_RELAXED);
    accounting::anon.add(1);
    return p;
}

void get(PhysAddr page)
{
    if (__atomic_add_fetch(slot(page), 1, __ATOMIC_RELAXED) == 0)
        panic("page_ref: count of 0x%lx overflowed", page);
}

void put(PhysAddr page)
{
    u16 left = __atomic_sub_fetch(slot(page), 1, __ATOMIC_ACQ_REL);
    if (left == 0xFFFF)
        panic("page_ref: put of 0x%lx, which has no references", page);
    if (left == 0) {
        pmm::free_page(page);
        accounting::anon.sub(1);
    }
}

u32 count(PhysAddr page) { return __atomic_load_n(slot(page), __ATOMIC_RELAXED); }

} // namespace page_ref
