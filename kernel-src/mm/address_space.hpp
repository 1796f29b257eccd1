#pragma once
// A user address space: its own top-level page table (the kernel half shared
// with every other address space) and the regions (VMAs) of the user half.
// Pages are mapped lazily by the page-fault handler: anonymous memory is
// demand-zero, private file mappings are read in on first touch, and fork
// shares pages copy-on-write.
#include <fs/file_fwd.hpp>
#include <lib/atomic.hpp>
#include <lib/error_or.hpp>
#include <lib/ref_ptr.hpp>
#include <lib/vector.hpp>
#include <mm/layout.hpp>
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
    RefPtr<OpenFile> file; // private file mapping: pages read from here
    u64 file_offset = 0;   // offset of `start` in the file
    u64 file_size = 0;     // bytes of the file backing the region (rest is zero)
};

class AddressSpace {
public:
    // A new, empty address space. ENOMEM.
    static ErrorOr<AddressSpace*> create();
    ~AddressSpace();

    PhysAddr root() const { return m_root; }

    // Maps a region: EINVAL for bad ranges, ENOMEM when memory or address
    // space runs out. fixed: replace whatever is there (MAP_FIXED).
    ErrorOr<VirtAddr> map(VirtAddr hint, u64 length, u32 prot, bool fixed, RefPtr<OpenFile> file, u64 offset,
                          u64 file_size, bool shared);
    ErrorOr<void> unmap(VirtAddr start, u64 length);
    ErrorOr<void> protect(VirtAddr start, u64 length, u32 prot);
    // brk(2): moves the program break; returns the new (or unchanged) break.
    VirtAddr set_break(VirtAddr requested);
    void init_break(VirtAddr start);
    VirtAddr break_start() const { return m_brk_start; }
    VirtAddr break_end() const { return m_brk; }

    // Resolves a page fault at `address`; false when the access is not
    // allowed (the caller sends SIGSEGV or fails a user copy with EFAULT).
    // write / exec / user: the kind of access.
    bool handle_fault(VirtAddr address, bool write, bool exec);

    // A copy for fork(): same regions, pages shared copy-on-write. ENOMEM.
    ErrorOr<AddressSpace*> fork();

    // Size in bytes of all regions, and resident pages (for /proc).
    u64 virtual_size();
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
    ErrorOr<void> remove_range(VirtAddr start, VirtAddr end);
    ErrorOr<void> insert(Region&& r);
    void free_pages_in(VirtAddr start, VirtAddr end);

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
