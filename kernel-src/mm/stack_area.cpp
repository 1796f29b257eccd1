#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <lib/spinlock.hpp>
#include <lib/string.hpp>
#include <mm/heap.hpp>
#include <mm/pmm.hpp>
#include <mm/stack_area.hpp>
#include <mm/vmm.hpp>

namespace stack_area {
namespace {
constexpr u64 STACK_PAGES = STACK_SIZE / PAGE_SIZE;
Spinlock s_lock;
u64* s_used;       // one bit per slot
u64 s_slots;
u64 s_in_use;
u64 s_hint;        // where the search for a free slot starts

VirtAddr slot_base(u64 slot) { return KERNEL_STACK_AREA + slot * SLOT_SIZE + PAGE_SIZE; }
} // namespace

void init(u64 slots)
{
    s_slots = min(slots, KERNEL_STACK_AREA_SIZE / SLOT_SIZE);
    s_used = static_cast<u64*>(heap::alloc(align_up(s_slots, 64) / 8));
    if (!s_used)
        panic("stack_area: no memory for the slot map");
    memset(s_used, 0, align_up(s_slots, 64) / 8);
    if (vmm::prepare_tables(vmm::kernel_space(), KERNEL_STACK_AREA, s_slots * SLOT_SIZE).is_error())
        panic("stack_area: no memory for the page tables of %lu stacks", s_slots);
    log_info("stack_area: %lu kernel stack slots of %lu KiB (and a guard page), page tables %lu KiB", s_slots,
             STACK_SIZE / KiB, align_up(s_slots * SLOT_SIZE, HUGE_PAGE_SIZE) / HUGE_PAGE_SIZE * 4);
}

ErrorOr<VirtAddr> allocate()
{
    u64 slot = ~0ull;
    {
        SpinlockGuard guard(s_lock);
        for (u64 k = 0; k < s_slots; k++) {
            u64 i = (s_hint + k) % s_slots;
            if (!(s_used[i / 64] & (1ull << (i % 64)))) {
                slot = i;
                s_used[i / 64] |= 1ull << (i % 64);
                s_in_use++;
                s_hint = i + 1;
                break;
            }
        }
    }
    if (slot == ~0ull)
        return Error::from_errno(EAGAIN);
    VirtAddr base = slot_base(slot);
    for (u64 i = 0; i < STACK_PAGES; i++) {
        auto page = pmm::alloc_zeroed_page();
        if (page.is_error() ||
            vmm::map_page(vmm::kernel_space(), base + i * PAGE_SIZE, page.value(), vmm::Write | vmm::Global).is_error()) {
            if (!page.is_error())
                pmm::free_page(page.value());
            for (u64 k = 0; k < i; k++) {
                auto tr = vmm::translate(vmm::kernel_space(), base + k * PAGE_SIZE);
                (void)vmm::unmap_page_local(vmm::kernel_space(), base + k * PAGE_SIZE);
                if (!tr.is_error())
                    pmm::free_page(tr.value().phys);
            }
            SpinlockGuard guard(s_lock);
            s_used[slot / 64] &= ~(1ull << (slot % 64));
            s_in_use--;
            return Error::from_errno(ENOMEM);
        }
    }
    return base;
}

void release(VirtAddr base)
{
    u64 slot = (base - PAGE_SIZE - KERNEL_STACK_AREA) / SLOT_SIZE;
    PhysAddr pages[STACK_PAGES];
    for (u64 i = 0; i < STACK_PAGES; i++) {
        auto tr = vmm::translate(vmm::kernel_space(), base + i * PAGE_SIZE);
        pages[i] = tr.is_error() ? 0 : tr.value().phys;
        (void)vmm::unmap_page_local(vmm::kernel_space(), base + i * PAGE_SIZE);
    }
    // Every CPU forgets the old pages before they can be reused.
    vmm::flush_kernel_range_everywhere(base, STACK_SIZE);
    for (PhysAddr p : pages) {
        if (p)
            pmm::free_page(p);
    }
    SpinlockGuard guard(s_lock);
    s_used[slot / 64] &= ~(1ull << (slot % 64));
    s_in_use--;
    if (slot < s_hint)
        s_hint = slot;
}

u64 slots_in_use()
{
    SpinlockGuard guard(s_lock);
    return s_in_use;
}

u64 slot_count() { return s_slots; }

bool is_guard_page(VirtAddr address)
{
    if (address < KERNEL_STACK_AREA || address >= KERNEL_STACK_AREA + s_slots * SLOT_SIZE)
        return false;
    return (address - KERNEL_STACK_AREA) % SLOT_SIZE < PAGE_SIZE;
}

} // namespace stack_area
