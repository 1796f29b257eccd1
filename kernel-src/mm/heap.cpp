#include <config.hpp>
#include <kernel/panic.hpp>
#include <lib/spinlock.hpp>
#include <lib/string.hpp>
#include <mm/heap.hpp>
#include <mm/pmm.hpp>

namespace heap {
namespace {

constexpr u32 SLAB_MAGIC = 0x51AB51AB;
constexpr u32 LARGE_MAGIC = 0x1A59E000;
constexpr size_t CLASS_SIZES[] = { 16, 32, 64, 128, 256, 512, 1024 };
constexpr size_t CLASS_COUNT = array_size(CLASS_SIZES);
constexpr size_t HEADER_SIZE = 64; // keeps objects aligned up to 64 bytes

struct FreeObject {
    FreeObject* next;
};

// At the start of every heap page run: a slab of one size class, or a large
// block of `pages` pages.
struct PageHeader {
    u32 magic;
    u32 size_class;  // slab: index into CLASS_SIZES
    u64 pages;       // large: pages in the run
    u64 size;        // large: bytes requested
    PageHeader* next; // slab: next slab of the class with free objects
    PageHeader* prev;
    FreeObject* free_list;
    u32 in_use;
    u32 capacity;
};
static_assert(sizeof(PageHeader) <= HEADER_SIZE);

struct SizeClass {
    Spinlock lock;
    PageHeader* partial; // slabs with at least one free object
    PageHeader* empty_kept; // an empty slab kept for reuse (counted as free memory)
};

SizeClass s_classes[CLASS_COUNT];
Spinlock s_stats_lock;
Stats s_stats { 0, 0, config::kernel_heap_size, 0, 0, 0 };

PageHeader* header_of(void* ptr) { return reinterpret_cast<PageHeader*>(align_down(reinterpret_cast<u64>(ptr), PAGE_SIZE)); }

// Takes pages from the PMM within the configured cap.
void* take_pages(size_t count)
{
    {
        SpinlockGuard guard(s_stats_lock);
        if ((s_stats.pages_held + count) * PAGE_SIZE > s_stats.cap_bytes)
            return nullptr;
        s_stats.pages_held += count;
    }
    auto run = pmm::alloc_pages(count);
    if (run.is_error()) {
        SpinlockGuard guard(s_stats_lock);
        s_stats.pages_held -= count;
        return nullptr;
    }
    return phys_to_virt(run.value());
}

void give_pages(void* first, size_t count)
{
    pmm::free_pages(virt_to_phys(first), count);
    SpinlockGuard guard(s_stats_lock);
    s_stats.pages_held -= count;
}

void account(i64 bytes, bool is_alloc)
{
    SpinlockGuard guard(s_stats_lock);
    s_stats.bytes_in_use += bytes;
    if (is_alloc)
        s_stats.allocations++;
    else
        s_stats.frees++;
}

void unlink(SizeClass& c, PageHeader* slab)
{
    if (slab->prev)
        slab->prev->next = slab->next;
    else
        c.partial = slab->next;
    if (slab->next)
        slab->next->prev = slab->prev;
    slab->next = slab->prev = nullptr;
}

void push(SizeClass& c, PageHeader* slab)
{
    slab->prev = nullptr;
    slab->next = c.partial;
    if (c.partial)
        c.partial->prev = slab;
    c.partial = slab;
}

PageHeader* new_slab(u32 class_index)
{
    void* page = take_pages(1);
    if (!page)
        return nullptr;
    auto* slab = static_cast<PageHeader*>(page);
    size_t size = CLASS_SIZES[class_index];
    *slab = {};
    slab->magic = SLAB_MAGIC;
    slab->size_class = class_index;
    slab->capacity = static_cast<u32>((PAGE_SIZE - HEADER_SIZE) / size);
    // Thread the free list through the objects, lowest address first.
    FreeObject* head = nullptr;
    for (u32 i = slab->capacity; i-- > 0;) {
        auto* obj = reinterpret_cast<FreeObject*>(reinterpret_cast<u8*>(page) + HEADER_SIZE + i * size);
        obj->next = head;
        head = obj;
    }
    slab->free_list = head;
    return slab;
}

void* alloc_small(u32 class_index)
{
    SizeClass& c = s_classes[class_index];
    SpinlockGuard guard(c.lock);
    PageHeader* slab = c.partial;
    if (!slab) {
        slab = new_slab(class_index);
        if (!slab)
            return nullptr;
        push(c, slab);
    }
    if (slab == c.empty_kept) {
        c.empty_kept = nullptr;
        SpinlockGuard stats(s_stats_lock);
        s_stats.empty_slab_pages--;
    }
    FreeObject* obj = slab->free_list;
    slab->free_list = obj->next;
    slab->in_use++;
    if (!slab->free_list)
        unlink(c, slab);
    return obj;
}

void free_small(PageHeader* slab, void* ptr)
{
    size_t size = CLASS_SIZES[slab->size_class];
    u64 offset = reinterpret_cast<u64>(ptr) - reinterpret_cast<u64>(slab) - HEADER_SIZE;
    if (offset % size != 0 || offset / size >= slab->capacity)
        panic("heap: free of %p, which is not the start of a %lu-byte block", ptr, size);
    SizeClass& c = s_classes[slab->size_class];
    bool release = false;
    {
        SpinlockGuard guard(c.lock);
        bool was_full = slab->free_list == nullptr;
        auto* obj = static_cast<FreeObject*>(ptr);
        obj->next = slab->free_list;
        slab->free_list = obj;
        slab->in_use--;
        if (was_full)
            push(c, slab);
        // An empty slab goes back to the PMM unless it is the class's only
        // partial slab (that one stays, so alloc/free pairs do not churn).
        bool others = c.partial != slab || slab->next != nullptr;
        if (slab->in_use == 0 && others) {
            unlink(c, slab);
            slab->magic = 0;
            release = true;
        } else if (slab->in_use == 0) {
            c.empty_kept = slab;
            SpinlockGuard stats(s_stats_lock);
            s_stats.empty_slab_pages++;
        }
    }
    if (release)
        give_pages(slab, 1);
}

// A run of pages with the header at its start and the data `data_offset`
// bytes in (at least HEADER_SIZE, below PAGE_SIZE so free() finds the header).
void* alloc_large(size_t size, size_t data_offset)
{
    if (size > config::kernel_heap_size)
        return nullptr;
    size_t pages = align_up(size + data_offset, PAGE_SIZE) / PAGE_SIZE;
    void* run = take_pages(pages);
    if (!run)
        return nullptr;
    auto* h = static_cast<PageHeader*>(run);
    *h = {};
    h->magic = LARGE_MAGIC;
    h->pages = pages;
    h->size = size;
    return static_cast<u8*>(run) + data_offset;
}

int class_for(size_t size)
{
    for (size_t i = 0; i < CLASS_COUNT; i++) {
        if (size <= CLASS_SIZES[i])
            return static_cast<int>(i);
    }
    return -1;
}

} // namespace

void* alloc(size_t size)
{
    if (size == 0)
        size = 1;
    int c = class_for(size);
    void* p;
    size_t charged;
    if (c >= 0) {
        p = alloc_small(static_cast<u32>(c));
        charged = CLASS_SIZES[c];
    } else {
        p = alloc_large(size, HEADER_SIZE);
        charged = size;
    }
    if (p)
        account(static_cast<i64>(charged), true);
    return p;
}

void* alloc_aligned(size_t size, size_t align)
{
    if (align <= 16)
        return alloc(size);
    if (align > PAGE_SIZE / 2 || (align & (align - 1)))
        return nullptr;
    // Up to 64 bytes, size classes give it: objects start after the 64-byte
    // header at multiples of their (power-of-two) size, and large blocks
    // start at offset 64.
    if (align <= HEADER_SIZE)
        return alloc(max(size, align));
    // Otherwise a large block whose data starts `align` bytes into its first
    // page: past the header, and in the same page as it.
    void* p = alloc_large(size, align);
    if (p)
        account(static_cast<i64>(size), true);
    return p;
}

void free(void* ptr)
{
    if (!ptr)
        return;
    PageHeader* h = header_of(ptr);
    if (h->magic != SLAB_MAGIC && h->magic != LARGE_MAGIC)
        panic("heap: free of %p, which the heap did not hand out", ptr);
    if (h->magic == SLAB_MAGIC) {
        account(-static_cast<i64>(CLASS_SIZES[h->size_class]), false);
        free_small(h, ptr);
        return;
    }
    account(-static_cast<i64>(h->size), false);
    h->magic = 0;
    give_pages(h, h->pages);
}

size_t block_size(void* ptr)
{
    PageHeader* h = header_of(ptr);
    if (h->magic == SLAB_MAGIC)
        return CLASS_SIZES[h->size_class];
    return h->magic == LARGE_MAGIC ? h->size : 0;
}

u64 release_empty_slabs()
{
    u64 released = 0;
    for (SizeClass& c : s_classes) {
        PageHeader* slab = nullptr;
        {
            SpinlockGuard guard(c.lock);
            slab = c.empty_kept;
            if (!slab || slab->in_use != 0)
                continue;
            c.empty_kept = nullptr;
            unlink(c, slab);
            slab->magic = 0;
            SpinlockGuard stats(s_stats_lock);
            s_stats.empty_slab_pages--;
        }
        give_pages(slab, 1);
        released++;
    }
    return released;
}

Stats stats()
{
    SpinlockGuard guard(s_stats_lock);
    return s_stats;
}

} // namespace heap
