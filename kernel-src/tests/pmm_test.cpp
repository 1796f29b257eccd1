// pmm: the physical page allocator.
#include <kernel/ktest.hpp>
#include <lib/string.hpp>
#include <mm/pmm.hpp>

namespace {

void alloc_free_roundtrip(KTest& t)
{
    u64 before = pmm::stats().free_pages;
    PhysAddr p = KTRY(t, pmm::alloc_page());
    KEXPECT(t, is_aligned(p, PAGE_SIZE));
    KEXPECT(t, pmm::is_allocated(p));
    KEXPECT_EQ(t, pmm::stats().free_pages, before - 1);
    // The page is real memory: a pattern written through the direct map
    // reads back.
    auto* words = phys_to_ptr<u64>(p);
    for (u64 i = 0; i < PAGE_SIZE / 8; i++)
        words[i] = p ^ (i * 0x9E3779B97F4A7C15ull);
    bool intact = true;
    for (u64 i = 0; i < PAGE_SIZE / 8; i++)
        intact &= words[i] == (p ^ (i * 0x9E3779B97F4A7C15ull));
    KEXPECT(t, intact);
    pmm::free_page(p);
    KEXPECT(t, !pmm::is_allocated(p));
    KEXPECT_EQ(t, pmm::stats().free_pages, before);
}

void pages_are_distinct(KTest& t)
{
    constexpr int N = 256;
    PhysAddr pages[N];
    for (int i = 0; i < N; i++)
        pages[i] = KTRY(t, pmm::alloc_page());
    int duplicates = 0;
    for (int i = 0; i < N; i++) {
        for (int j = i + 1; j < N; j++)
            duplicates += pages[i] == pages[j];
    }
    KEXPECT_EQ(t, duplicates, 0);
    for (int i = 0; i < N; i++)
        pmm::free_page(pages[i]);
}

void never_hands_out_reserved_memory(KTest& t)
{
    // The kernel image and the first MiB are reserved: allocating a batch
    // must not return pages there.
    u64 kernel_start = reinterpret_cast<u64>(__kernel_phys_start);
    u64 kernel_end = reinterpret_cast<u64>(__kernel_phys_end);
    constexpr int N = 512;
    PhysAddr pages[N];
    int bad = 0;
    for (int i = 0; i < N; i++) {
        pages[i] = KTRY(t, pmm::alloc_page());
        bad += pages[i] < 1 * MiB || (pages[i] >= kernel_start && pages[i] < kernel_end);
    }
    KEXPECT_EQ(t, bad, 0);
    for (int i = 0; i < N; i++)
        pmm::free_page(pages[i]);
}

void exhaust_then_recover(KTest& t)
{
    u64 before = pmm::stats().free_pages;
    // Chain every free page through its own first word, so the bookkeeping
    // needs no memory of its own.
    PhysAddr head = 0;
    u64 taken = 0;
    for (;;) {
        auto page = pmm::alloc_page();
        if (page.is_error()) {
            KEXPECT_EQ(t, page.error().code(), ENOMEM);
            break;
        }
        *phys_to_ptr<PhysAddr>(page.value()) = head;
        head = page.value();
        taken++;
    }
    KEXPECT_EQ(t, taken, before);
    KEXPECT_EQ(t, pmm::stats().free_pages, 0u);
    KEXPECT(t, pmm::alloc_pages(2).is_error());
    while (head) {
        PhysAddr next = *phys_to_ptr<PhysAddr>(head);
        pmm::free_page(head);
        head = next;
    }
    KEXPECT_EQ(t, pmm::stats().free_pages, before);
    PhysAddr again = KTRY(t, pmm::alloc_page());
    pmm::free_page(again);
}

void contiguous_runs(KTest& t)
{
    u64 before = pmm::stats().free_pages;
    PhysAddr run = KTRY(t, pmm::alloc_pages(16));
    bool all = true;
    for (int i = 0; i < 16; i++)
        all &= pmm::is_allocated(run + i * PAGE_SIZE);
    KEXPECT(t, all);
    KEXPECT_EQ(t, pmm::stats().free_pages, before - 16);

    PhysAddr huge = KTRY(t, pmm::alloc_pages(512, 512));
    KEXPECT(t, is_aligned(huge, HUGE_PAGE_SIZE));
    KEXPECT(t, huge + HUGE_PAGE_SIZE <= run || huge >= run + 16 * PAGE_SIZE);
    pmm::free_pages(huge, 512);
    pmm::free_pages(run, 16);
    KEXPECT_EQ(t, pmm::stats().free_pages, before);
}

void rejects_bad_requests(KTest& t)
{
    auto zero = pmm::alloc_pages(0);
    KEXPECT(t, zero.is_error() && zero.error().code() == EINVAL);
    auto odd_alignment = pmm::alloc_pages(4, 3);
    KEXPECT(t, odd_alignment.is_error() && odd_alignment.error().code() == EINVAL);
    auto too_many = pmm::alloc_pages(pmm::stats().free_pages + 1);
    KEXPECT(t, too_many.is_error() && too_many.error().code() == ENOMEM);
}

void totals_match_memory_map(KTest& t)
{
    // Cross-check the PMM's view against the boot memory map.
    const BootInfo& boot = boot::info();
    u64 usable = 0;
    for (u32 i = 0; i < boot.region_count; i++) {
        const MemoryRegion& r = boot.regions[i];
        if (r.type == MemoryType::Usable && align_down(r.base + r.length, PAGE_SIZE) > align_up(r.base, PAGE_SIZE))
            usable += align_down(r.base + r.length, PAGE_SIZE) - align_up(r.base, PAGE_SIZE);
    }
    pmm::Stats s = pmm::stats();
    KEXPECT_EQ(t, s.usable_bytes, usable);
    KEXPECT_EQ(t, s.managed_pages + s.reserved_pages, usable / PAGE_SIZE);
}

} // namespace

KTEST_SUITE(pmm, KTEST_CASE(alloc_free_roundtrip), KTEST_CASE(pages_are_distinct),
            KTEST_CASE(never_hands_out_reserved_memory), KTEST_CASE(exhaust_then_recover),
            KTEST_CASE(contiguous_runs), KTEST_CASE(rejects_bad_requests), KTEST_CASE(totals_match_memory_map));
