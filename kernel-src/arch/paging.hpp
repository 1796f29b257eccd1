#pragma once
// Page-table entries of user address spaces, as generic memory code needs
// them (mm/address_space.cpp). The entry format is the arch's
// (arch/x86_64/user_paging.cpp); generic code only uses these functions.
#include <lib/error_or.hpp>
#include <mm/layout.hpp>

namespace arch::pt {

using Entry = u64;

// A new top-level table sharing the kernel half with every address space.
ErrorOr<PhysAddr> create_root();
// Frees the user-half tables (not the pages they map) and the root.
void destroy_root(PhysAddr root);
// The leaf entry for a user address; with create, missing tables are made
// (ENOMEM when that fails), without it nullptr when a table is missing.
ErrorOr<Entry*> leaf(PhysAddr root, VirtAddr va, bool create);

Entry make(PhysAddr page, bool writable, bool executable);
// The CPU may use the entry.
bool present(Entry e);
// The entry holds a page: present, or made inaccessible by PROT_NONE
// (not present to the CPU, the page kept; Linux's _PAGE_PROTNONE).
bool holds_page(Entry e);
Entry make_inaccessible(Entry e);
// Back from PROT_NONE: present, read-only (a write fault upgrades it).
Entry make_accessible(Entry e, bool executable);
bool writable(Entry e);
PhysAddr page_of(Entry e);
Entry with_writable(Entry e, bool writable);
Entry with_executable(Entry e, bool executable);

// Calls fn(va, entry) for every leaf in [start, end) that holds a page
// (entry may be modified in place).
template <typename F> void for_each_page(PhysAddr root, VirtAddr start, VirtAddr end, F fn);

// Invalidates one page of the current address space in this CPU's TLB.
void flush_local(VirtAddr va);
// Invalidates this CPU's whole non-global TLB for the current address space.
void flush_local_all();

// Implementation detail of for_each_present: the tables below a top-level
// entry, so the template can walk them.
Entry* table_at(Entry e);
bool is_table(Entry e);
constexpr unsigned index_of(VirtAddr va, int level) { return (va >> (12 + 9 * level)) & 0x1FF; }

template <typename F> void for_each_page(PhysAddr root, VirtAddr start, VirtAddr end, F fn)
{
    Entry* l4 = table_at(root);
    for (VirtAddr va = start; va < end;) {
        Entry& e4 = l4[index_of(va, 3)];
        if (!is_table(e4)) {
            va = align_down(va, 1ull << 39) + (1ull << 39);
            continue;
        }
        Entry& e3 = table_at(e4)[index_of(va, 2)];
        if (!is_table(e3)) {
            va = align_down(va, 1ull << 30) + (1ull << 30);
            continue;
        }
        Entry& e2 = table_at(e3)[index_of(va, 1)];
        if (!is_table(e2)) {
            va = align_down(va, 1ull << 21) + (1ull << 21);
            continue;
        }
        Entry* pt = table_at(e2);
        VirtAddr block_end = min<VirtAddr>(end, align_down(va, 1ull << 21) + (1ull << 21));
        for (; va < block_end; va += PAGE_SIZE) {
            Entry& e = pt[index_of(va, 0)];
            if (holds_page(e))
                fn(va, e);
        }
    }
}

} // namespace arch::pt
