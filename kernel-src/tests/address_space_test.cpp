// address_space: user address spaces without running user code — regions,
// demand-zero pages, copy-on-write after fork (parent and child diverge,
// pages shared until written), munmap/mprotect splitting regions, brk,
// MADV_DONTNEED, file-backed regions, and every page coming back.
#include <kernel/ktest.hpp>
#include <lib/string.hpp>
#include <mm/accounting.hpp>
#include <mm/address_space.hpp>
#include <mm/page_ref.hpp>
#include <mm/pmm.hpp>

namespace {

using vm::AddressSpace;

ErrorOr<VirtAddr> map_anon(AddressSpace& as, VirtAddr at, u64 length, u32 prot = vm::ProtRead | vm::ProtWrite)
{
    AddressSpace::MapRequest req;
    req.hint = at;
    req.length = length;
    req.prot = prot;
    req.fixed = at != 0;
    return as.map(move(req));
}

u32 region_count(AddressSpace& as)
{
    Vector<vm::Region> regions;
    if (as.regions(regions).is_error())
        return ~0u;
    return static_cast<u32>(regions.size());
}

void demand_zero(KTest& t)
{
    auto as = KTRY(t, AddressSpace::create());
    VirtAddr a = KTRY(t, map_anon(*as, 0x1000000, 16 * PAGE_SIZE));
    KEXPECT_EQ(t, a, 0x1000000u);
    KEXPECT_EQ(t, as->resident_pages(), 0u); // nothing until touched
    u64 word = 1;
    KTRY(t, as->copy_out(&word, a + 5 * PAGE_SIZE + 8, sizeof(word)));
    KEXPECT_EQ(t, word, 0u);
    KEXPECT_EQ(t, as->resident_pages(), 1u);
    KTRY(t, as->copy_in(a + 100, "hello", 6));
    char back[6];
    KTRY(t, as->copy_out(back, a + 100, 6));
    KEXPECT_STREQ(t, back, "hello");
    KEXPECT_EQ(t, as->resident_pages(), 2u);
    // Outside every region: refused.
    auto outside = as->copy_in(0x5000000, "x", 1);
    KEXPECT(t, outside.is_error() && outside.error().code() == EFAULT);
}

void fork_diverges_copy_on_write(KTest& t)
{
    auto parent = KTRY(t, AddressSpace::create());
    VirtAddr a = KTRY(t, map_anon(*parent, 0x2000000, 4 * PAGE_SIZE));
    KTRY(t, parent->copy_in(a, "parent", 7));
    KTRY(t, parent->copy_in(a + PAGE_SIZE, "shared", 7));
    auto child = KTRY(t, parent->fork());
    KEXPECT_EQ(t, child->resident_pages(), 2u);
    // Before any write the two spaces share the physical pages.
    u64 free_before = pmm::stats().free_pages;
    KTRY(t, child->copy_in(a, "child!", 7));
    KEXPECT_EQ(t, pmm::stats().free_pages + 1, free_before); // one page copied
    char p[8], c[8], s1[8], s2[8];
    KTRY(t, parent->copy_out(p, a, 7));
    KTRY(t, child->copy_out(c, a, 7));
    KTRY(t, parent->copy_out(s1, a + PAGE_SIZE, 7));
    KTRY(t, child->copy_out(s2, a + PAGE_SIZE, 7));
    KEXPECT_STREQ(t, p, "parent");
    KEXPECT_STREQ(t, c, "child!");
    KEXPECT_STREQ(t, s1, "shared");
    KEXPECT_STREQ(t, s2, "shared");
    // The parent writing its (still shared) second page copies it too.
    KTRY(t, parent->copy_in(a + PAGE_SIZE, "PARENT", 7));
    KTRY(t, child->copy_out(s2, a + PAGE_SIZE, 7));
    KEXPECT_STREQ(t, s2, "shared");
    // The first page: the parent is now its only user, so writing it
    // needs no copy.
    u64 free_now = pmm::stats().free_pages;
    KTRY(t, parent->copy_in(a, "again", 6));
    KEXPECT_EQ(t, pmm::stats().free_pages, free_now);
}

void unmap_and_protect_split_regions(KTest& t)
{
    auto as = KTRY(t, AddressSpace::create());
    VirtAddr a = KTRY(t, map_anon(*as, 0x3000000, 8 * PAGE_SIZE));
    KEXPECT_EQ(t, region_count(*as), 1u);
    KTRY(t, as->unmap(a + 2 * PAGE_SIZE, 2 * PAGE_SIZE));
    KEXPECT_EQ(t, region_count(*as), 2u);
    KEXPECT(t, !as->is_mapped(a + 2 * PAGE_SIZE, 1));
    KEXPECT(t, as->is_mapped(a + 5 * PAGE_SIZE, PAGE_SIZE));
    KTRY(t, as->protect(a + 5 * PAGE_SIZE, PAGE_SIZE, vm::ProtRead));
    KEXPECT_EQ(t, region_count(*as), 4u); // [0,2) [4,5) [5,6) RO [6,8)
    auto ro = as->copy_in(a + 5 * PAGE_SIZE, "x", 1);
    KEXPECT(t, ro.is_error() && ro.error().code() == EFAULT);
    KTRY(t, as->copy_in(a + 6 * PAGE_SIZE, "x", 1));
    // mprotect over a hole: ENOMEM, as Linux.
    auto hole = as->protect(a, 8 * PAGE_SIZE, vm::ProtRead);
    KEXPECT(t, hole.is_error() && hole.error().code() == ENOMEM);
    auto bad = as->unmap(a + 1, PAGE_SIZE);
    KEXPECT(t, bad.is_error() && bad.error().code() == EINVAL);
}

void brk_grows_and_shrinks(KTest& t)
{
    auto as = KTRY(t, AddressSpace::create());
    as->init_break(0x600123);
    KEXPECT_EQ(t, as->break_end(), 0x601000u);
    KEXPECT_EQ(t, as->set_break(0x604000), 0x604000u);
    KTRY(t, as->copy_in(0x603ff0, "brk", 4));
    KEXPECT_EQ(t, as->set_break(0x602000), 0x602000u);
    auto gone = as->copy_in(0x603ff0, "brk", 4);
    KEXPECT(t, gone.is_error());
    // Below the start, or absurdly far: the break stays.
    KEXPECT_EQ(t, as->set_break(0x500000), 0x602000u);
    KEXPECT_EQ(t, as->set_break(0x7f0000000000ull), 0x602000u);
}

void discard_reads_back_zero(KTest& t)
{
    auto as = KTRY(t, AddressSpace::create());
    VirtAddr a = KTRY(t, map_anon(*as, 0, 2 * PAGE_SIZE));
    KTRY(t, as->copy_in(a, "data", 5));
    KTRY(t, as->discard(a, 2 * PAGE_SIZE));
    char back[5] = { 1 };
    KTRY(t, as->copy_out(back, a, 5));
    KEXPECT_EQ(t, back[0], 0);
}

void file_backed_region(KTest& t)
{
    static char file[PAGE_SIZE + 100];
    memset(file, 'A', PAGE_SIZE);
    memset(file + PAGE_SIZE, 'B', 100);
    auto as = KTRY(t, AddressSpace::create());
    AddressSpace::MapRequest req;
    req.hint = 0x4000000;
    req.length = 3 * PAGE_SIZE;
    req.prot = vm::ProtRead | vm::ProtWrite;
    req.fixed = true;
    req.source = adopt<PageSource>(new MemoryPageSource(file, sizeof(file)));
    req.source_bytes = sizeof(file);
    KTRY(t, as->map(move(req)));
    char c[3];
    KTRY(t, as->copy_out(&c[0], 0x4000000 + 10, 1));
    KTRY(t, as->copy_out(&c[1], 0x4000000 + PAGE_SIZE + 99, 1));
    KTRY(t, as->copy_out(&c[2], 0x4000000 + PAGE_SIZE + 100, 1));
    KEXPECT_EQ(t, c[0], 'A');
    KEXPECT_EQ(t, c[1], 'B');
    KEXPECT_EQ(t, c[2], 0); // past the file: zero
    // Private: a write changes our copy only.
    KTRY(t, as->copy_in(0x4000000, "Z", 1));
    KEXPECT_EQ(t, file[0], 'A');
}

void every_page_comes_back(KTest& t)
{
    u64 free_before = pmm::stats().free_pages;
    u64 tables_before = accounting::page_tables.pages();
    {
        auto as = KTRY(t, AddressSpace::create());
        VirtAddr a = KTRY(t, map_anon(*as, 0x10000000, 64 * PAGE_SIZE));
        for (u64 i = 0; i < 64; i++)
            KTRY(t, as->copy_in(a + i * PAGE_SIZE, &i, sizeof(i)));
        auto child = KTRY(t, as->fork());
        for (u64 i = 0; i < 64; i += 2)
            KTRY(t, child->copy_in(a + i * PAGE_SIZE, &i, sizeof(i)));
        KEXPECT_LT(t, pmm::stats().free_pages, free_before - 90);
    }
    KEXPECT_EQ(t, accounting::page_tables.pages(), tables_before);
    KEXPECT_EQ(t, pmm::stats().free_pages, free_before);
}

void refuses_what_cannot_fit(KTest& t)
{
    auto as = KTRY(t, AddressSpace::create());
    auto huge = map_anon(*as, 0, 1ull << 46);
    KEXPECT(t, huge.is_error() && huge.error().code() == ENOMEM);
    auto zero = map_anon(*as, 0, 0);
    KEXPECT(t, zero.is_error() && zero.error().code() == EINVAL);
    auto low = map_anon(*as, 0x1000, PAGE_SIZE); // below mmap_min_addr
    KEXPECT(t, low.is_error());
}

} // namespace

KTEST_SUITE(address_space, KTEST_CASE(demand_zero), KTEST_CASE(fork_diverges_copy_on_write),
            KTEST_CASE(unmap_and_protect_split_regions), KTEST_CASE(brk_grows_and_shrinks),
            KTEST_CASE(discard_reads_back_zero), KTEST_CASE(file_backed_region), KTEST_CASE(every_page_comes_back),
            KTEST_CASE(refuses_what_cannot_fit));
