#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <lib/spinlock.hpp>
#include <lib/string.hpp>
#include <mm/pmm.hpp>

namespace pmm {
namespace {

struct Range {
    u64 start, end;
};

// The free pages as a bitmap tree. Level 0 has one bit per page (set: in
// use, or not RAM); each level above has one bit per word of the level below
// (set: that word is full); the top level is one word. Finding the lowest
// free page reads one word per level (4 levels for 64 GiB), where a flat
// scan read every word: about 1 ms under TCG at 20 GiB when the only free
// page was the last one. Bits past the end of a level stay set.
constexpr u32 MAX_LEVELS = 6; // 64^6 pages: far beyond any RAM we map

Spinlock s_lock;
u64* s_level[MAX_LEVELS];
u64 s_level_words[MAX_LEVELS];
u32 s_levels;
u64 s_page_count; // pages covered by level 0
u64 s_hint;       // level 0 word: every word below it is full
u64 s_top_of_ram;
Stats s_stats;

bool test(u64 page) { return s_level[0][page / 64] & (1ull << (page % 64)); }

// Marks a page in use; a word that fills up marks its bit in the level above.
void set(u64 page)
{
    u64 index = page;
    for (u32 l = 0; l < s_levels; l++) {
        u64& word = s_level[l][index / 64];
        word |= 1ull << (index % 64);
        if (word != ~0ull)
            return;
        index /= 64;
    }
}

// Marks a page free; a word that stops being full clears its bit above.
void clear(u64 page)
{
    u64 index = page;
    for (u32 l = 0; l < s_levels; l++) {
        u64& word = s_level[l][index / 64];
        bool was_full = word == ~0ull;
        word &= ~(1ull << (index % 64));
        if (!was_full)
            return;
        index /= 64;
    }
}

// The lowest free page: the hint word when it has room (the common case,
// one read), else from the top word down, the first word not full.
bool lowest_free(u64* page)
{
    if (s_hint < s_level_words[0] && s_level[0][s_hint] != ~0ull) {
        *page = s_hint * 64 + __builtin_ctzll(~s_level[0][s_hint]);
        return true;
    }
    u64 index = 0;
    for (u32 l = s_levels; l-- > 0;) {
        u64 bits = s_level[l][index];
        if (bits == ~0ull)
            return false;
        index = index * 64 + __builtin_ctzll(~bits);
    }
    s_hint = index / 64;
    *page = index;
    return true;
}

// Level 0 words for pages [first, end): set or cleared a word at a time.
void fill_pages(u64 first, u64 end, bool used)
{
    while (first < end) {
        u64 bit = first % 64;
        u64 n = min<u64>(64 - bit, end - first);
        u64 mask = (n == 64 ? ~0ull : ((1ull << n) - 1)) << bit;
        u64& word = s_level[0][first / 64];
        word = used ? word | mask : word & ~mask;
        first += n;
    }
}

// The levels above 0, from level 0.
void build_summary()
{
    for (u32 l = 1; l < s_levels; l++) {
        memset(s_level[l], 0xFF, s_level_words[l] * 8);
        for (u64 i = 0; i < s_level_words[l - 1]; i++) {
            if (s_level[l - 1][i] != ~0ull)
                s_level[l][i / 64] &= ~(1ull << (i % 64));
        }
    }
}

bool overlaps(Range a, Range b) { return a.start < b.end && b.start < a.end; }

// Ranges of usable RAM the kernel already owns at boot.
size_t boot_reservations(const BootInfo& boot, Range* out, size_t max)
{
    size_t n = 0;
    out[n++] = { 0, 1 * MiB }; // BIOS data, EBDA, the AP trampoline page
    out[n++] = { align_down(reinterpret_cast<u64>(__kernel_phys_start), PAGE_SIZE),
                 align_up(reinterpret_cast<u64>(__kernel_phys_end), PAGE_SIZE) };
    out[n++] = { align_down(boot.info_phys, PAGE_SIZE), align_up(boot.info_phys + boot.info_size, PAGE_SIZE) };
    for (u32 i = 0; i < boot.module_count && n < max; i++)
        out[n++] = { align_down(boot.modules[i].start, PAGE_SIZE), align_up(boot.modules[i].end, PAGE_SIZE) };
    return n;
}

// First page-aligned spot of `size` bytes in usable RAM below `limit` that
// avoids every reservation.
u64 find_spot(const BootInfo& boot, const Range* reserved, size_t reserved_count, u64 size, u64 limit)
{
    for (u32 i = 0; i < boot.region_count; i++) {
        const MemoryRegion& r = boot.regions[i];
        if (r.type != MemoryType::Usable)
            continue;
        u64 start = align_up(r.base, PAGE_SIZE);
        u64 end = align_down(r.base + r.length, PAGE_SIZE);
        u64 candidate = start;
        bool moved = true;
        while (moved && candidate + size <= end && candidate + size <= limit) {
            moved = false;
            for (size_t k = 0; k < reserved_count; k++) {
                if (overlaps({ candidate, candidate + size }, reserved[k])) {
                    candidate = reserved[k].end;
                    moved = true;
                }
            }
        }
        if (!moved && candidate + size <= end && candidate + size <= limit)
            return candidate;
    }
    return 0;
}

} // namespace

void init(const BootInfo& boot)
{
    u64 top_usable = 0;
    for (u32 i = 0; i < boot.region_count; i++) {
        const MemoryRegion& r = boot.regions[i];
        if (r.type != MemoryType::Bad && r.type != MemoryType::Reserved)
            s_top_of_ram = max(s_top_of_ram, r.base + r.length);
        if (r.type != MemoryType::Usable)
            continue;
        u64 start = align_up(r.base, PAGE_SIZE);
        u64 end = align_down(r.base + r.length, PAGE_SIZE);
        if (end <= start)
            continue;
        s_stats.usable_bytes += end - start;
        s_stats.usable_regions++;
        top_usable = max(top_usable, end);
    }
    if (!top_usable)
        panic("pmm: the memory map has no usable RAM");

    s_page_count = top_usable / PAGE_SIZE;
    u64 words = align_up(s_page_count, 64) / 64;
    u64 total_words = 0;
    for (s_levels = 0; s_levels == 0 || s_level_words[s_levels - 1] > 1; s_levels++) {
        if (s_levels == MAX_LEVELS)
            panic("pmm: %lu pages need more than %u bitmap levels", s_page_count, MAX_LEVELS);
        s_level_words[s_levels] = words;
        total_words += words;
        words = align_up(words, 64) / 64;
    }
    u64 bitmap_bytes = align_up(total_words * 8, PAGE_SIZE);

    Range reserved[24];
    size_t reserved_count = boot_reservations(boot, reserved, array_size(reserved) - 1);
    // The early page tables only reach the first 4 GiB: keep the bitmap there.
    u64 spot = find_spot(boot, reserved, reserved_count, bitmap_bytes, 4 * GiB);
    if (!spot)
        panic("pmm: no room for a %lu KiB bitmap below 4 GiB", bitmap_bytes / KiB);
    reserved[reserved_count++] = { spot, spot + bitmap_bytes };
    u64* next = phys_to_ptr<u64>(spot);
    for (u32 l = 0; l < s_levels; l++) {
        s_level[l] = next;
        next += s_level_words[l];
    }

    // Everything starts in use; usable pages are released, then the
    // reservations are taken back.
    memset(s_level[0], 0xFF, s_level_words[0] * 8);
    for (u32 i = 0; i < boot.region_count; i++) {
        const MemoryRegion& r = boot.regions[i];
        if (r.type == MemoryType::Usable)
            fill_pages(align_up(r.base, PAGE_SIZE) / PAGE_SIZE, align_down(r.base + r.length, PAGE_SIZE) / PAGE_SIZE, false);
    }
    for (size_t k = 0; k < reserved_count; k++) {
        u64 first = reserved[k].start / PAGE_SIZE;
        u64 end = min(align_up(reserved[k].end, PAGE_SIZE) / PAGE_SIZE, s_page_count);
        for (u64 w = first / 64; first < end && w <= (end - 1) / 64; w++) {
            u64 lo = max(first, w * 64), hi = min(end, w * 64 + 64);
            u64 n = hi - lo;
            u64 mask = (n == 64 ? ~0ull : ((1ull << n) - 1)) << (lo % 64);
            s_stats.reserved_pages += __builtin_popcountll(~s_level[0][w] & mask);
            s_level[0][w] |= mask;
        }
    }
    build_summary();
    u64 free = 0;
    for (u64 w = 0; w < s_level_words[0]; w++)
        free += __builtin_popcountll(~s_level[0][w]);
    s_stats.free_pages = free;
    s_stats.managed_pages = free;

    log_info("pmm: usable %lu KiB in %u regions", s_stats.usable_bytes / KiB, s_stats.usable_regions);
    log_info("pmm: %lu pages free, %lu reserved at boot, bitmap %lu KiB (%u levels) at 0x%lx", free,
             s_stats.reserved_pages, bitmap_bytes / KiB, s_levels, spot);
}

ErrorOr<PhysAddr> alloc_page()
{
    SpinlockGuard guard(s_lock);
    u64 page;
    if (!lowest_free(&page) || page >= s_page_count)
        return Error::from_errno(ENOMEM);
    set(page);
    s_stats.free_pages--;
    return page * PAGE_SIZE;
}

ErrorOr<PhysAddr> alloc_pages(size_t count, size_t align_pages)
{
    if (count == 0 || align_pages == 0 || (align_pages & (align_pages - 1)))
        return Error::from_errno(EINVAL);
    if (count == 1 && align_pages == 1)
        return alloc_page();
    SpinlockGuard guard(s_lock);
    u64 page = 0;
    while (page + count <= s_page_count) {
        // Skip full stretches: 4096 pages whose level 1 bit says full, or a full word.
        if (page % 4096 == 0 && s_levels > 1 && s_level[1][page / 4096] == ~0ull) {
            page += 4096;
            continue;
        }
        if (page % 64 == 0 && s_level[0][page / 64] == ~0ull) {
            page += 64;
            continue;
        }
        if (page % align_pages) {
            page = align_up(page, align_pages);
            continue;
        }
        size_t run = 0;
        while (run < count && !test(page + run))
            run++;
        if (run == count) {
            for (size_t i = 0; i < count; i++)
                set(page + i);
            s_stats.free_pages -= count;
            return page * PAGE_SIZE;
        }
        page += run + 1;
    }
    return Error::from_errno(ENOMEM);
}

ErrorOr<PhysAddr> alloc_zeroed_page()
{
    PhysAddr p = TRY(alloc_page());
    memset(phys_to_virt(p), 0, PAGE_SIZE);
    return p;
}

void free_pages(PhysAddr first, size_t count)
{
    if (!is_aligned(first, PAGE_SIZE))
        panic("pmm: free of unaligned address 0x%lx", first);
    SpinlockGuard guard(s_lock);
    for (size_t i = 0; i < count; i++) {
        u64 page = first / PAGE_SIZE + i;
        if (page >= s_page_count || !test(page))
            panic("pmm: free of page 0x%lx that is not allocated", page * PAGE_SIZE);
        clear(page);
    }
    s_stats.free_pages += count;
    s_hint = min(s_hint, first / PAGE_SIZE / 64);
}

void free_page(PhysAddr page) { free_pages(page, 1); }

Stats stats()
{
    SpinlockGuard guard(s_lock);
    return s_stats;
}

u64 top_of_ram() { return s_top_of_ram; }

bool is_allocated(PhysAddr page)
{
    SpinlockGuard guard(s_lock);
    u64 p = page / PAGE_SIZE;
    return p < s_page_count && test(p);
}

} // namespace pmm
