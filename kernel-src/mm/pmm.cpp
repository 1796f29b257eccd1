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

Spinlock s_lock;
u64* s_bitmap;      // bit set = page in use (or not RAM)
u64 s_page_count;   // pages covered by the bitmap
u64 s_word_count;
u64 s_search_hint;  // word index where the last single-page search ended
u64 s_top_of_ram;
Stats s_stats;

bool test(u64 page) { return s_bitmap[page / 64] & (1ull << (page % 64)); }
void set(u64 page) { s_bitmap[page / 64] |= 1ull << (page % 64); }
void clear(u64 page) { s_bitmap[page / 64] &= ~(1ull << (page % 64)); }

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
    s_word_count = align_up(s_page_count, 64) / 64;
    u64 bitmap_bytes = align_up(s_word_count * 8, PAGE_SIZE);

    Range reserved[24];
    size_t reserved_count = boot_reservations(boot, reserved, array_size(reserved) - 1);
    // The early page tables only reach the first 4 GiB: keep the bitmap there.
    u64 spot = find_spot(boot, reserved, reserved_count, bitmap_bytes, 4 * GiB);
    if (!spot)
        panic("pmm: no room for a %lu KiB bitmap below 4 GiB", bitmap_bytes / KiB);
    reserved[reserved_count++] = { spot, spot + bitmap_bytes };
    s_bitmap = phys_to_ptr<u64>(spot);

    // Everything starts in use; usable pages are released, then the
    // reservations are taken back.
    memset(s_bitmap, 0xFF, s_word_count * 8);
    for (u32 i = 0; i < boot.region_count; i++) {
        const MemoryRegion& r = boot.regions[i];
        if (r.type != MemoryType::Usable)
            continue;
        for (u64 a = align_up(r.base, PAGE_SIZE); a + PAGE_SIZE <= r.base + r.length; a += PAGE_SIZE)
            clear(a / PAGE_SIZE);
    }
    for (size_t k = 0; k < reserved_count; k++) {
        for (u64 a = reserved[k].start; a < reserved[k].end; a += PAGE_SIZE) {
            u64 page = a / PAGE_SIZE;
            if (page < s_page_count && !test(page)) {
                set(page);
                s_stats.reserved_pages++;
            }
        }
    }
    u64 free = 0;
    for (u64 p = 0; p < s_page_count; p++)
        free += !test(p);
    s_stats.free_pages = free;
    s_stats.managed_pages = free;

    log_info("pmm: usable %lu KiB in %u regions", s_stats.usable_bytes / KiB, s_stats.usable_regions);
    log_info("pmm: %lu pages free, %lu reserved at boot, bitmap %lu KiB at 0x%lx", free,
             s_stats.reserved_pages, bitmap_bytes / KiB, spot);
}

ErrorOr<PhysAddr> alloc_page()
{
    SpinlockGuard guard(s_lock);
    for (u64 i = 0; i < s_word_count; i++) {
        u64 w = (s_search_hint + i) % s_word_count;
        if (s_bitmap[w] == ~0ull)
            continue;
        u64 page = w * 64 + __builtin_ctzll(~s_bitmap[w]);
        if (page >= s_page_count)
            continue;
        set(page);
        s_stats.free_pages--;
        s_search_hint = w;
        return page * PAGE_SIZE;
    }
    return Error::from_errno(ENOMEM);
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
        // Skip fully used words quickly.
        if (page % 64 == 0 && s_bitmap[page / 64] == ~0ull) {
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
    if (first / PAGE_SIZE / 64 < s_search_hint)
        s_search_hint = first / PAGE_SIZE / 64;
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
