#include <fs/tmpfs/page_tree.hpp>
#include <mm/accounting.hpp>
#include <mm/pmm.hpp>

namespace fs {
namespace {
constexpr u64 ENTRIES = 512;

u64* node_entries(PhysAddr node) { return phys_to_ptr<u64>(node); }
u64 slot(u64 index, u32 level) { return (index >> (9 * level)) & (ENTRIES - 1); }
} // namespace

u64 PageTree::span(u32 height) { return height == 0 ? 0 : 1ull << (9 * height); }

PhysAddr PageTree::get(u64 index) const
{
    if (index >= span(m_height))
        return 0;
    PhysAddr node = m_root;
    for (u32 level = m_height; level-- > 0;) {
        PhysAddr entry = node_entries(node)[slot(index, level)];
        if (!entry || level == 0)
            return entry;
        node = entry;
    }
    return 0;
}

ErrorOr<PhysAddr> PageTree::get_or_create(u64 index)
{
    if (index >= MAX_PAGES)
        return Error::from_errno(EFBIG);
    // Grow: the old root becomes entry 0 of a new root.
    while (index >= span(m_height)) {
        PhysAddr root = TRY(pmm::alloc_zeroed_page());
        m_node_pages++;
        accounting::shmem.add(1);
        node_entries(root)[0] = m_root; // 0 when the tree was empty
        m_root = root;
        m_height++;
    }
    PhysAddr node = m_root;
    for (u32 level = m_height; level-- > 0;) {
        u64* entries = node_entries(node);
        u64& entry = entries[slot(index, level)];
        if (!entry) {
            entry = TRY(pmm::alloc_zeroed_page());
            accounting::shmem.add(1);
            if (level == 0)
                m_data_pages++;
            else
                m_node_pages++;
        }
        if (level == 0)
            return entry;
        node = entry;
    }
    return Error::from_errno(EFBIG); // not reached
}

void PageTree::free_subtree(PhysAddr node, u32 level, u64 base, u64 first, bool& now_empty)
{
    u64* entries = node_entries(node);
    u64 child_span = 1ull << (9 * level); // pages under one entry of this node
    bool any_left = false;
    for (u64 i = 0; i < ENTRIES; i++) {
        if (!entries[i])
            continue;
        u64 child_base = base + i * child_span;
        if (child_base + child_span <= first) {
            any_left = true; // wholly before the cut
            continue;
        }
        if (level == 0) {
            pmm::free_page(entries[i]);
            accounting::shmem.sub(1);
            m_data_pages--;
            entries[i] = 0;
            continue;
        }
        bool child_empty = false;
        free_subtree(entries[i], level - 1, child_base, first, child_empty);
        if (child_empty) {
            pmm::free_page(entries[i]);
            accounting::shmem.sub(1);
            m_node_pages--;
            entries[i] = 0;
        } else {
            any_left = true;
        }
    }
    now_empty = !any_left;
}

void PageTree::free_from(u64 index)
{
    if (!m_root)
        return;
    bool empty = false;
    free_subtree(m_root, m_height - 1, 0, index, empty);
    if (empty) {
        pmm::free_page(m_root);
        accounting::shmem.sub(1);
        m_node_pages--;
        m_root = 0;
        m_height = 0;
    }
}

} // namespace fs
