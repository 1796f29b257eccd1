#pragma once
// A user address space: its own top-level page table (the kernel half shared
// with every other address space) and the regions (VMAs) of the user half.
// Pages are mapped lazily by the page-fault handler: anonymous memory is
// demand-zero, private file mappings are read in on first touch, and fork
// shares pages copy-on-write.
#include <lib/atomic.hpp>
#include <lib/error_or.hpp>
#include <lib/ref_ptr.hpp>
#include <lib/vector.hpp>
#include <mm/layout.hpp>
#include <mm/page_source.hpp>
#include <proc/mutex.hpp>

namespace vm {

// Region protection and kind (Linux's PROT_* and MAP_* where they apply).
enum Prot : u32 { ProtRead = 1, ProtWrite = 2, ProtExec = 4 };

struct Region {
    VirtAddr start;
    VirtAddr end;          // exclusive, page aligned
    u32 prot;              // Prot bits
    bool shared = false;   // MAP_SHARED (anonymous shared memory only)
    bool stack = false;    // the main stack (grows down into its reserve)
    bool heap = false;     // the brk area
    RefPtr<PageSource> source; // private file mapping: pages read from here
    u64 source_offset = 0;     // offset of `start` in the source
    u64 source_bytes = 0;      // bytes of the source backing the region (the rest is zero)
    u64 pages() const { return (end - start) / PAGE_SIZE; }
};

// Fault outcome: mapped, not allowed (SIGSEGV / EFAULT), or no memory.
enum class FaultResult { Mapped, Denied, OutOfMemory };

// The user half's layout (DESIGN.md, "Memory map").
constexpr VirtAddr USER_STACK_TOP = 0x00007FFFFFFFF000ull; // = uaccess::USER_SPACE_END
constexpr u64 USER_STACK_SIZE = 8 * MiB;                   // RLIMIT_STACK's default
constexpr VirtAddr USER_MMAP_TOP = 0x00007FF000000000ull;  // mmap grows down from here
constexpr VirtAddr USER_LOW = 0x10000;                     // mmap_min_addr: below is never mapped

class AddressSpace : public RefCounted<AddressSpace> {
public:
    // A new, empty address space. ENOMEM.
    static ErrorOr<RefPtr<AddressSpace>> create();
    ~AddressSpace();

    PhysAddr root() const { return m_root; }

    // Maps a region: EINVAL for bad ranges, ENOMEM when memory or address
    // space runs out. fixed: replace whatever is there (MAP_FIXED);
    // otherwise `hint` is used when free, else a free range below the mmap
    // top. source: a private file mapping of source_bytes bytes at offset.
    struct MapRequest {
        VirtAddr hint = 0;
        u64 length = 0;
        u32 prot = 0;
        bool fixed = false;
        bool shared = false;
        bool stack = false;
        RefPtr<PageSource> source;
        u64 offset = 0;
        u64 source_bytes = 0;
    };
    ErrorOr<VirtAddr> map(MapRequest&& request);
    ErrorOr<void> unmap(VirtAddr start, u64 length);
    ErrorOr<void> protect(VirtAddr start, u64 length, u32 prot);
    // Drops the pages of [start, start+length) but keeps the regions: they
    // read back as zero (or from the file) on the next touch (MADV_DONTNEED).
    ErrorOr<void> discard(VirtAddr start, u64 length);
    // brk(2): moves the program break; returns the new (or unchanged) break.
    VirtAddr set_break(VirtAddr requested);
    void init_break(VirtAddr start);
    VirtAddr break_start() const { return m_brk_start; }
    VirtAddr break_end() const { return m_brk; }

    // Resolves a page fault at `address` (write / exec: the kind of access).
    FaultResult handle_fault(VirtAddr address, bool write, bool exec);

    // Writes into this address space from kernel memory, faulting pages in
    // as a user write would (exec builds a new program's stack with it
    // before switching to it). EFAULT when the range is not writable memory.
    ErrorOr<void> copy_in(VirtAddr dst, const void* src, size_t n);
    // Reads from this address space into kernel memory (another process's
    // memory, for /proc/PID/cmdline). EFAULT for unmapped ranges.
    ErrorOr<void> copy_out(void* dst, VirtAddr src, size_t n);

    // A copy for fork(): same regions, pages shared copy-on-write. ENOMEM.
    ErrorOr<RefPtr<AddressSpace>> fork();

    // Size in bytes of all regions, and resident pages (for /proc).
    u64 virtual_size();
    // Copies of the regions (for /proc/PID/maps and tests).
    ErrorOr<void> regions(Vector<Region>& out);
    // True when [start, start+length) is entirely inside mapped regions.
    bool is_mapped(VirtAddr start, u64 length);
    u64 resident_pages() const { return m_resident.load(__ATOMIC_RELAXED); }
    u64 minor_faults() const { return m_faults.load(__ATOMIC_RELAXED); }

    // CPUs that have this page table loaded (TLB shootdowns go there only).
    Atomic<u64> active_cpus[4] {};

    Mutex& lock() { return m_lock; }

    // Flushes [start, end) from every CPU that may cache it.
    void flush_range(VirtAddr start, VirtAddr end);

private:
    AddressSpace() = default;
    Region* find(VirtAddr address);
    size_t index_after(VirtAddr address) const;
    ErrorOr<void> split_at(VirtAddr address);
    ErrorOr<void> remove_range(VirtAddr start, VirtAddr end);
    ErrorOr<void> insert(Region&& r);
    void unmap_pages(VirtAddr start, VirtAddr end);
    ErrorOr<VirtAddr> find_free(u64 length, VirtAddr below);
    bool range_free(VirtAddr start, VirtAddr end) const;
    bool commit_ok(u64 pages) const;

    PhysAddr m_root = 0;
    Mutex m_lock;                 // regions, break and page tables
    Vector<Region> m_regions;     // sorted by start, non-overlapping
    VirtAddr m_brk_start = 0;
    VirtAddr m_brk = 0;
    Atomic<u64> m_resident { 0 };
    Atomic<u64> m_faults { 0 };
};

// Loads `next`'s page table on `cpu` (the kernel's when nullptr) and updates
// both spaces' active-CPU sets.
void switch_address_space(AddressSpace* prev, AddressSpace* next, u32 cpu);

} // namespace vm
