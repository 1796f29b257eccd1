// pmm: the physical page allocator.
#include <kernel/ktest.hpp>
#include <kernel/time.hpp>
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
    // Which pages were handed out, one bit per page of RAM, in pages taken
    // before the count starts: the proof that every free page comes exactly
    // once needs no write to the pages themselves (writing a link into each
    // made the host back all of the guest's RAM: 20 GiB for -m 20G).
    u64 page_count = pmm::top_of_ram() / PAGE_SIZE;
    size_t seen_pages = align_up(page_count, 8 * PAGE_SIZE) / (8 * PAGE_SIZE);
    PhysAddr seen_phys = KTRY(t, pmm::alloc_pages(seen_pages));
    u64* seen = phys_to_ptr<u64>(seen_phys);
    memset(seen, 0, seen_pages * PAGE_SIZE);

    u64 before = pmm::stats().free_pages;
    u64 taken = 0, duplicates = 0, outside = 0;
    u64 start = time::since_boot_ns();
    for (;;) {
        auto page = pmm::alloc_page();
        if (page.is_error()) {
            KEXPECT_EQ(t, page.error().code(), ENOMEM);
            break;
        }
        u64 n = page.value() / PAGE_SIZE;
        taken++;
        if (n >= page_count) {
            outside++; // kept (and lost to the test): it cannot be recorded
        } else if (seen[n / 64] & (1ull << (n % 64))) {
            duplicates++;
        } else {
            seen[n / 64] |= 1ull << (n % 64);
        }
        if (taken % 4096 == 0)
            t.progress("taken %lu of %lu pages", taken, before);
    }
    u64 alloc_ns = time::since_boot_ns() - start;
    KEXPECT_EQ(t, duplicates, 0u);
    KEXPECT_EQ(t, outside, 0u);
    KEXPECT_EQ(t, taken, before);
    KEXPECT_EQ(t, pmm::stats().free_pages, 0u);
    KEXPECT(t, pmm::alloc_pages(2).is_error());

    // The allocator's worst case: the lowest and the highest page free, and
    // the search starting at the bottom. The first alloc takes the lowest;
    // the second has to find the highest.
    u64 low = ~0ull, high = 0;
    for (u64 w = 0; w < seen_pages * PAGE_SIZE / 8; w++) {
        if (seen[w]) {
            low = min(low, w * 64 + __builtin_ctzll(seen[w]));
            high = max(high, w * 64 + 63 - __builtin_clzll(seen[w]));
        }
    }
    constexpr int ROUNDS = 64;
    bool order_kept = true;
    start = time::since_boot_ns();
    for (int i = 0; i < ROUNDS && high > low; i++) {
        pmm::free_page(high * PAGE_SIZE);
        pmm::free_page(low * PAGE_SIZE);
        PhysAddr a = KTRY(t, pmm::alloc_page());
        PhysAddr b = KTRY(t, pmm::alloc_page());
        order_kept &= a == low * PAGE_SIZE && b == high * PAGE_SIZE;
    }
    u64 worst_ns = (time::since_boot_ns() - start) / ROUNDS;
    KEXPECT(t, order_kept);

    // A contiguous run with everything below it full: the highest 2 MiB
    // block we hold comes back as the only place for an aligned 2 MiB run.
    u64 block = ~0ull;
    for (u64 w = seen_pages * PAGE_SIZE / 8; w >= 8 && block == ~0ull; w -= 8) {
        bool all = true;
        for (u64 k = w - 8; k < w; k++)
            all &= seen[k] == ~0ull;
        if (all)
            block = (w - 8) * 64;
    }
    KEXPECT(t, block != ~0ull);
    if (block != ~0ull) {
        pmm::free_pages(block * PAGE_SIZE, 512);
        auto run = pmm::alloc_pages(512, 512);
        KEXPECT(t, !run.is_error() && run.value() == block * PAGE_SIZE);
        KEXPECT(t, pmm::alloc_pages(2).is_error());
    }

    // Everything back, in address order; freeing a page twice would panic.
    u64 freed = 0;
    start = time::since_boot_ns();
    for (u64 w = 0; w < seen_pages * PAGE_SIZE / 8; w++) {
        for (u64 bits = seen[w]; bits; bits &= bits - 1) {
            pmm::free_page((w * 64 + __builtin_ctzll(bits)) * PAGE_SIZE);
            if (++freed % 4096 == 0)
                t.progress("freed %lu of %lu pages", freed, taken);
        }
    }
    u64 free_ns = time::since_boot_ns() - start;
    KEXPECT_EQ(t, freed, taken - outside);
    KEXPECT_EQ(t, pmm::stats().free_pages, before);
    pmm::free_pages(seen_phys, seen_pages);
    PhysAddr again = KTRY(t, pmm::alloc_page());
    pmm::free_page(again);
    if (taken)
        t.note("%lu pages: alloc %lu ns/page, free %lu ns/page; lowest and highest freed and taken again: %lu ns",
               taken, alloc_ns / taken, free_ns / taken, worst_ns);
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
