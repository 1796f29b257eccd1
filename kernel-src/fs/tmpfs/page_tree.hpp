#pragma once
// The pages of one tmpfs file: a radix tree indexed by page number, shaped
// like x86 page tables (each node is one PMM page of 512 entries). Holes
// are simply absent, so a sparse file costs only the pages written. The
// tree grows in height as the file does (height 4 covers 256 TiB).
//
// Pages come straight from the PMM, not the kernel heap: file data is page
// granular, is not capped by kernelHeapSize (tmpfs may use any free RAM, as
// Linux's shmem does), and a later mmap of the file can map these very
// pages into a user address space.
//
// Not synchronised: the owning inode's lock guards it.
#include <lib/error_or.hpp>
#include <mm/layout.hpp>

namespace fs {

class PageTree {
public:
    static constexpr u32 MAX_HEIGHT = 4;
    static constexpr u64 MAX_PAGES = 1ull << (9 * MAX_HEIGHT);

    PageTree() = default;
    PageTree(const PageTree&) = delete;
    PageTree& operator=(const PageTree&) = delete;
    ~PageTree() { free_from(0); }

    // The page at `index`, or 0 for a hole.
    PhysAddr get(u64 index) const;
    // The page at `index`, allocated (zeroed) when it was a hole. ENOMEM;
    // EFBIG when index >= MAX_PAGES.
    ErrorOr<PhysAddr> get_or_create(u64 index);
    // Frees every page at or after `index` and the nodes left empty.
    void free_from(u64 index);

    u64 data_pages() const { return m_data_pages; }
    u64 node_pages() const { return m_node_pages; }

private:
    static u64 span(u32 height);
    void free_subtree(PhysAddr node, u32 level, u64 base, u64 first, bool& now_empty);

    PhysAddr m_root = 0;
    u32 m_height = 0; // 0: empty; height h holds 512^h pages
    u64 m_data_pages = 0;
    u64 m_node_pages = 0;
};

} // namespace fs
