#pragma once
// Page counters that /proc/meminfo reports and that no allocator can count
// by itself, because only the code using the pages knows what they are for.
// Whoever allocates such pages adds to the counter and subtracts on free:
//
//   accounting::page_tables.add(1);     // a page-table page was allocated
//   accounting::kernel_stacks.sub(4);   // a 16 KiB kernel stack was freed
//
// The counters are plain atomics: cheap enough for every allocation.
#include <lib/atomic.hpp>
#include <lib/types.hpp>

namespace accounting {

class PageCounter {
public:
    void add(u64 pages) { m_pages.fetch_add(static_cast<i64>(pages), __ATOMIC_RELAXED); }
    void sub(u64 pages) { m_pages.fetch_sub(static_cast<i64>(pages), __ATOMIC_RELAXED); }
    // Never negative in a report, even while a free races an add.
    u64 pages() const
    {
        i64 v = m_pages.load(__ATOMIC_RELAXED);
        return v > 0 ? static_cast<u64>(v) : 0;
    }

private:
    Atomic<i64> m_pages { 0 };
};

// Page-table pages of user address spaces (meminfo PageTables).
inline PageCounter page_tables;
// Kernel stacks of threads (meminfo KernelStack).
inline PageCounter kernel_stacks;
// File data and index pages of tmpfs and the initrd copy (meminfo Shmem,
// counted in Cached as Linux does).
inline PageCounter shmem;
// The page cache of private file mappings: the initrd's files that
// programs were run from, kept for every later exec (meminfo Cached).
inline PageCounter page_cache;
// Anonymous user memory (meminfo AnonPages).
inline PageCounter anon;

} // namespace accounting
