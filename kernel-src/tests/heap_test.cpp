// heap: size classes, large blocks, new/delete, reuse, a checksummed stress.
#include <config.hpp>
#include <kernel/ktest.hpp>
#include <lib/new.hpp>
#include <lib/random.hpp>
#include <lib/string.hpp>
#include <mm/heap.hpp>
#include <mm/pmm.hpp>

namespace {

// Set by a global constructor: proves .init_array ran. The volatile read
// keeps the compiler from folding it into a constant initialiser.
volatile u64 s_boot_marker = 0xB007;
struct ConstructedAtBoot {
    u64 value;
    ConstructedAtBoot() : value(s_boot_marker) {}
};
ConstructedAtBoot s_constructed;

u8 pattern_byte(u64 seed, size_t i) { return static_cast<u8>((seed * 131 + i * 7) ^ (i >> 8)); }

void fill(void* p, size_t n, u64 seed)
{
    auto* b = static_cast<u8*>(p);
    for (size_t i = 0; i < n; i++)
        b[i] = pattern_byte(seed, i);
}

bool check(void* p, size_t n, u64 seed)
{
    auto* b = static_cast<u8*>(p);
    for (size_t i = 0; i < n; i++) {
        if (b[i] != pattern_byte(seed, i))
            return false;
    }
    return true;
}

void many_sizes(KTest& t)
{
    static const size_t sizes[] = { 1, 7, 8, 15, 16, 17, 31, 33, 64, 100, 128, 200, 255, 256, 257, 500,
                                    512, 513, 1000, 1024, 1025, 2048, 4000, 4096, 4097, 12345, 65536, 300000 };
    void* blocks[array_size(sizes)];
    for (size_t i = 0; i < array_size(sizes); i++) {
        blocks[i] = heap::alloc(sizes[i]);
        KASSERT_TRUE(t, blocks[i] != nullptr);
        KEXPECT(t, is_aligned(reinterpret_cast<u64>(blocks[i]), 16));
        KEXPECT_GE(t, heap::block_size(blocks[i]), sizes[i]);
        fill(blocks[i], sizes[i], i);
    }
    bool intact = true;
    for (size_t i = 0; i < array_size(sizes); i++)
        intact &= check(blocks[i], sizes[i], i);
    KEXPECT(t, intact);
    for (size_t i = 0; i < array_size(sizes); i++)
        heap::free(blocks[i]);
}

void alignment(KTest& t)
{
    for (size_t align = 32; align <= 2048; align *= 2) {
        static const size_t sizes[] = { 1, 48, 700, 5000 };
        for (size_t size : sizes) {
            void* p = heap::alloc_aligned(size, align);
            KASSERT_TRUE(t, p != nullptr);
            if (!is_aligned(reinterpret_cast<u64>(p), align))
                t.fail(__FILE__, __LINE__, "alloc_aligned(%lu, %lu) returned %p", size, align, p);
            fill(p, size, align);
            KEXPECT(t, check(p, size, align));
            heap::free(p);
        }
    }
    // A block aligned to 32 that is too big for a size class must not
    // overlap the header of its page run: fill it and free it.
    u64 pages_before = heap::stats().pages_held;
    auto* big = static_cast<u8*>(heap::alloc_aligned(3000, 32));
    KASSERT_TRUE(t, big != nullptr);
    KEXPECT_GE(t, reinterpret_cast<u64>(big) % PAGE_SIZE, 64u);
    memset(big, 0xEE, 3000);
    KEXPECT_EQ(t, heap::block_size(big), 3000u);
    heap::free(big);
    KEXPECT_EQ(t, heap::stats().pages_held, pages_before);
    KEXPECT(t, heap::alloc_aligned(64, 4096) == nullptr);
    KEXPECT(t, heap::alloc_aligned(64, 48) == nullptr);
}

void free_and_reuse(KTest& t)
{
    void* a = heap::alloc(64);
    heap::free(a);
    void* b = heap::alloc(64);
    KEXPECT_EQ(t, a, b); // the freed block is the next one handed out
    heap::free(b);

    u64 free_before = pmm::stats().free_pages;
    void* big = heap::alloc(64 * KiB);
    KASSERT_TRUE(t, big != nullptr);
    KEXPECT_EQ(t, pmm::stats().free_pages, free_before - 17); // 16 pages + header
    heap::free(big);
    KEXPECT_EQ(t, pmm::stats().free_pages, free_before);
}

void fragmentation(KTest& t)
{
    constexpr int N = 1000;
    static void* blocks[N];
    for (int i = 0; i < N; i++)
        blocks[i] = heap::alloc(128);
    for (int i = 0; i < N; i += 2)
        heap::free(blocks[i]);
    // Refilling the holes must not take more pages from the PMM.
    u64 held = heap::stats().pages_held;
    for (int i = 0; i < N; i += 2)
        blocks[i] = heap::alloc(128);
    KEXPECT_EQ(t, heap::stats().pages_held, held);
    for (int i = 0; i < N; i++)
        heap::free(blocks[i]);
}

void random_stress(KTest& t)
{
    constexpr int SLOTS = 256;
    static void* blocks[SLOTS];
    static size_t lengths[SLOTS];
    static u64 seeds[SLOTS];
    heap::Stats before = heap::stats();
    u64 pmm_before = pmm::stats().free_pages;
    Random rng(42);
    int corrupt = 0;
    for (int step = 0; step < 20000; step++) {
        int slot = static_cast<int>(rng.below(SLOTS));
        if (blocks[slot]) {
            corrupt += !check(blocks[slot], lengths[slot], seeds[slot]);
            heap::free(blocks[slot]);
            blocks[slot] = nullptr;
        } else {
            // Mostly small, sometimes large.
            size_t len = rng.below(8) == 0 ? 1 + rng.below(20000) : 1 + rng.below(1024);
            blocks[slot] = heap::alloc(len);
            if (!blocks[slot]) {
                t.fail(__FILE__, __LINE__, "alloc(%lu) failed at step %d", len, step);
                break;
            }
            lengths[slot] = len;
            seeds[slot] = rng.next();
            fill(blocks[slot], len, seeds[slot]);
        }
    }
    for (int slot = 0; slot < SLOTS; slot++) {
        if (blocks[slot]) {
            corrupt += !check(blocks[slot], lengths[slot], seeds[slot]);
            heap::free(blocks[slot]);
            blocks[slot] = nullptr;
        }
    }
    KEXPECT_EQ(t, corrupt, 0);
    heap::Stats after = heap::stats();
    KEXPECT_EQ(t, after.bytes_in_use, before.bytes_in_use);
    // Each size class may keep one empty slab page cached.
    KEXPECT_LE(t, after.pages_held, before.pages_held + 7);
    KEXPECT_GE(t, pmm::stats().free_pages + 7, pmm_before);
}

struct Tracked {
    static int live;
    u64 payload[5];
    Tracked() { live++; }
    ~Tracked() { live--; }
};
int Tracked::live = 0;

void new_and_delete(KTest& t)
{
    KEXPECT_EQ(t, s_constructed.value, 0xB007u);
    Tracked* one = new Tracked;
    KEXPECT_EQ(t, Tracked::live, 1);
    delete one;
    KEXPECT_EQ(t, Tracked::live, 0);
    Tracked* many = new Tracked[10];
    KEXPECT_EQ(t, Tracked::live, 10);
    delete[] many;
    KEXPECT_EQ(t, Tracked::live, 0);
    struct alignas(256) Wide {
        u8 bytes[300];
    };
    Wide* w = new Wide;
    KEXPECT(t, is_aligned(reinterpret_cast<u64>(w), 256));
    delete w;
}

void out_of_memory_is_an_error(KTest& t)
{
    KEXPECT(t, heap::alloc(config::kernel_heap_size + 1) == nullptr);
    void* p = new (std::nothrow) u8[config::kernel_heap_size + PAGE_SIZE];
    KEXPECT(t, p == nullptr);
    // Still usable afterwards.
    void* q = heap::alloc(100);
    KEXPECT(t, q != nullptr);
    heap::free(q);
}

} // namespace

KTEST_SUITE(heap, KTEST_CASE(many_sizes), KTEST_CASE(alignment), KTEST_CASE(free_and_reuse),
            KTEST_CASE(fragmentation), KTEST_CASE(random_stress), KTEST_CASE(new_and_delete),
            KTEST_CASE(out_of_memory_is_an_error));
