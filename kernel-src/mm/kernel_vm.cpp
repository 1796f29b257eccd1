#include <lib/spinlock.hpp>
#include <lib/vector.hpp>
#include <mm/kernel_vm.hpp>

namespace kernel_vm {
namespace {

struct Range {
    VirtAddr start;
    u64 size;
};

Spinlock s_lock;
// Free ranges sorted by start, never adjacent (merged on release).
Vector<Range> s_free;
bool s_initialised;

void init_locked()
{
    if (s_initialised)
        return;
    s_initialised = true;
    if (s_free.append(Range { KERNEL_MAPPING_BASE, KERNEL_MAPPING_SIZE }).is_error())
        s_initialised = false;
}

// Adds [start, start+size) back to the sorted free list, merging with its
// neighbours.
ErrorOr<void> insert_free(VirtAddr start, u64 size)
{
    size_t i = 0;
    while (i < s_free.size() && s_free[i].start < start)
        i++;
    bool merge_prev = i > 0 && s_free[i - 1].start + s_free[i - 1].size == start;
    bool merge_next = i < s_free.size() && start + size == s_free[i].start;
    if (merge_prev && merge_next) {
        s_free[i - 1].size += size + s_free[i].size;
        s_free.remove(i);
    } else if (merge_prev) {
        s_free[i - 1].size += size;
    } else if (merge_next) {
        s_free[i].start = start;
        s_free[i].size += size;
    } else {
        TRY(s_free.append(Range {}));
        for (size_t k = s_free.size() - 1; k > i; k--)
            s_free[k] = s_free[k - 1];
        s_free[i] = Range { start, size };
    }
    return {};
}

} // namespace

ErrorOr<VirtAddr> reserve(u64 size, u64 align, bool guard_below)
{
    align = max(align, PAGE_SIZE);
    // The range, its guard page after, and optionally one before.
    u64 body = align_up(size, PAGE_SIZE);
    u64 before = guard_below ? PAGE_SIZE : 0;
    SpinlockGuard guard(s_lock);
    init_locked();
    if (!s_initialised)
        return Error::from_errno(ENOMEM);
    // A split can need one more list slot: make sure it exists first, so a
    // failure leaves the list unchanged.
    TRY(s_free.ensure_capacity(s_free.size() + 1));
    for (size_t i = 0; i < s_free.size(); i++) {
        Range& r = s_free[i];
        VirtAddr start = align_up(r.start + before, align);
        VirtAddr taken_start = start - before;
        VirtAddr taken_end = start + body + PAGE_SIZE;
        if (taken_end > r.start + r.size || taken_end < start)
            continue;
        // Split r into [r.start, taken_start) and [taken_end, r.end).
        VirtAddr end = r.start + r.size;
        if (taken_start == r.start && taken_end == end) {
            s_free.remove(i);
        } else if (taken_start == r.start) {
            r.start = taken_end;
            r.size = end - taken_end;
        } else if (taken_end == end) {
            r.size = taken_start - r.start;
        } else {
            r.size = taken_start - r.start;
            (void)insert_free(taken_end, end - taken_end); // capacity reserved above
        }
        return start;
    }
    return Error::from_errno(ENOMEM);
}

void release(VirtAddr start, u64 size, bool guard_below)
{
    u64 before = guard_below ? PAGE_SIZE : 0;
    u64 total = before + align_up(size, PAGE_SIZE) + PAGE_SIZE;
    SpinlockGuard guard(s_lock);
    // Merging never needs a new slot unless the range touches no free
    // neighbour; if even that allocation fails the space is lost, not the
    // kernel.
    (void)insert_free(start - before, total);
}

Stats stats()
{
    SpinlockGuard guard(s_lock);
    init_locked();
    Stats s {};
    for (const Range& r : s_free)
        s.free_bytes += r.size;
    s.free_ranges = s_free.size();
    return s;
}

} // namespace kernel_vm
