// User address spaces (see address_space.hpp).
//
// Locking: m_lock (a Mutex) guards the region list, the break and the page
// tables of this space. The fault handler takes it too, but drops it while
// it reads a page from a file (which may take file-system locks), then
// re-checks. Pages leave a page table before they are freed, and other CPUs
// that may cache the old entry are flushed first (flush_range).
#include <arch/arch.hpp>
#include <arch/paging.hpp>
#include <config.hpp>
#include <kernel/log.hpp>
#include <kernel/percpu.hpp>
#include <kernel/smp.hpp>
#include <lib/new.hpp>
#include <lib/string.hpp>
#include <mm/address_space.hpp>
#include <mm/page_ref.hpp>
#include <mm/pmm.hpp>
#include <mm/vmm.hpp>

namespace vm {
namespace {

bool valid_user_range(VirtAddr start, VirtAddr end)
{
    return start >= USER_LOW && start < end && end <= USER_STACK_TOP;
}

// Pages that left a page table, dropped after the TLB flush. Holds at most
// UNMAP_CHUNK pages: callers unmap in chunks of that size.
constexpr u64 UNMAP_CHUNK = 64;
class PageBatch {
public:
    void add(PhysAddr p) { m_pages[m_count++] = p; }
    void release()
    {
        for (u32 i = 0; i < m_count; i++)
            page_ref::put(m_pages[i]);
        m_count = 0;
    }

private:
    PhysAddr m_pages[UNMAP_CHUNK];
    u32 m_count = 0;
};

} // namespace

ErrorOr<RefPtr<AddressSpace>> AddressSpace::create()
{
    auto* as = new (std::nothrow) AddressSpace();
    if (!as)
        return Error::from_errno(ENOMEM);
    RefPtr<AddressSpace> ref = adopt(as);
    as->m_root = TRY(arch::pt::create_root());
    return ref;
}

AddressSpace::~AddressSpace()
{
    if (!m_root)
        return;
    // No CPU runs this space any more (its last thread is gone), so pages
    // can go without shootdowns.
    arch::pt::for_each_page(m_root, 0, USER_STACK_TOP, [](VirtAddr, arch::pt::Entry& e) {
        page_ref::put(arch::pt::page_of(e));
        e = 0;
    });
    arch::pt::destroy_root(m_root);
}

void AddressSpace::flush_range(VirtAddr start, VirtAddr end)
{
    struct Range {
        VirtAddr start, end;
        AddressSpace* as;
    } range { start, end, this };
    auto flush = [](void* arg) {
        auto* r = static_cast<Range*>(arg);
        if (r->end - r->start > 64 * PAGE_SIZE) {
            arch::pt::flush_local_all();
            return;
        }
        for (VirtAddr v = r->start; v < r->end; v += PAGE_SIZE)
            arch::pt::flush_local(v);
    };
    u32 me = this_cpu()->id;
    // The local CPU: only if it has this space loaded.
    if (active_cpus[me / 64].load() & (1ull << (me % 64)))
        flush(&range);
    for (u32 cpu = 0; cpu < percpu::count(); cpu++) {
        if (cpu == me || !(active_cpus[cpu / 64].load() & (1ull << (cpu % 64))))
            continue;
        smp::call_on(cpu, flush, &range);
    }
}

Region* AddressSpace::find(VirtAddr address)
{
    for (Region& r : m_regions) {
        if (address < r.start)
            return nullptr;
        if (address < r.end)
            return &r;
    }
    return nullptr;
}

size_t AddressSpace::index_after(VirtAddr address) const
{
    size_t i = 0;
    while (i < m_regions.size() && m_regions[i].start < address)
        i++;
    return i;
}

bool AddressSpace::range_free(VirtAddr start, VirtAddr end) const
{
    for (const Region& r : m_regions) {
        if (r.start < end && start < r.end)
            return false;
    }
    return true;
}

// Splits the region containing `address` (if any) so a region boundary
// falls there.
ErrorOr<void> AddressSpace::split_at(VirtAddr address)
{
    for (size_t i = 0; i < m_regions.size(); i++) {
        Region& r = m_regions[i];
        if (address <= r.start || address >= r.end)
            continue;
        Region upper = r;
        upper.start = address;
        if (upper.source) {
            u64 delta = address - r.start;
            upper.source_offset += delta;
            upper.source_bytes = upper.source_bytes > delta ? upper.source_bytes - delta : 0;
        }
        TRY(m_regions.ensure_capacity(m_regions.size() + 1));
        Region& lower = m_regions[i];
        lower.end = address;
        if (lower.source)
            lower.source_bytes = min(lower.source_bytes, address - lower.start);
        TRY(m_regions.append(Region {}));
        for (size_t k = m_regions.size() - 1; k > i + 1; k--)
            m_regions[k] = move(m_regions[k - 1]);
        m_regions[i + 1] = move(upper);
        return {};
    }
    return {};
}

void AddressSpace::unmap_pages(VirtAddr start, VirtAddr end)
{
    // Clear the entries, flush every CPU that may cache them, then drop the
    // pages (a CPU with a stale entry must never write a freed page).
    for (VirtAddr chunk = start; chunk < end; chunk += UNMAP_CHUNK * PAGE_SIZE) {
        VirtAddr chunk_end = min(end, chunk + UNMAP_CHUNK * PAGE_SIZE);
        PageBatch batch;
        u64 removed = 0;
        arch::pt::for_each_page(m_root, chunk, chunk_end, [&](VirtAddr, arch::pt::Entry& e) {
            batch.add(arch::pt::page_of(e));
            e = 0;
            removed++;
        });
        if (!removed)
            continue;
        flush_range(chunk, chunk_end);
        batch.release();
        m_resident.fetch_sub(removed, __ATOMIC_RELAXED);
    }
}

ErrorOr<void> AddressSpace::remove_range(VirtAddr start, VirtAddr end)
{
    TRY(split_at(start));
    TRY(split_at(end));
    for (size_t i = 0; i < m_regions.size();) {
        Region& r = m_regions[i];
        if (r.start >= start && r.end <= end)
            m_regions.remove(i);
        else
            i++;
    }
    unmap_pages(start, end);
    return {};
}

ErrorOr<void> AddressSpace::insert(Region&& r)
{
    size_t at = index_after(r.start);
    TRY(m_regions.append(Region {}));
    for (size_t k = m_regions.size() - 1; k > at; k--)
        m_regions[k] = move(m_regions[k - 1]);
    m_regions[at] = move(r);
    return {};
}

ErrorOr<VirtAddr> AddressSpace::find_free(u64 length, VirtAddr below)
{
    // Top-down first fit, as Linux's mmap layout.
    VirtAddr top = below;
    for (size_t i = m_regions.size(); i-- > 0;) {
        const Region& r = m_regions[i];
        if (r.start >= top)
            continue;
        if (r.end <= top && top - r.end >= length)
            return top - length;
        top = min(top, r.start);
    }
    if (top >= USER_LOW + length)
        return top - length;
    return Error::from_errno(ENOMEM);
}

bool AddressSpace::commit_ok(u64 pages) const
{
    // Linux's heuristic overcommit: refuse only what could never fit.
    pmm::Stats s = pmm::stats();
    return pages <= s.managed_pages;
}

ErrorOr<VirtAddr> AddressSpace::map(MapRequest&& req)
{
    if (req.length == 0)
        return Error::from_errno(EINVAL);
    u64 length = align_up(req.length, PAGE_SIZE);
    if (length < req.length || length > USER_STACK_TOP)
        return Error::from_errno(ENOMEM);
    bool private_writable = (req.prot & ProtWrite) && !req.shared;
    if (private_writable && !commit_ok(length / PAGE_SIZE))
        return Error::from_errno(ENOMEM);
    MutexGuard guard(m_lock);
    VirtAddr start;
    if (req.fixed) {
        start = req.hint;
        if (!is_aligned(start, PAGE_SIZE))
            return Error::from_errno(EINVAL);
        if (!valid_user_range(start, start + length))
            return Error::from_errno(start < USER_LOW ? EPERM : ENOMEM);
        TRY(remove_range(start, start + length));
    } else {
        VirtAddr hint = align_down(req.hint, PAGE_SIZE);
        if (hint && valid_user_range(hint, hint + length) && range_free(hint, hint + length))
            start = hint;
        else
            start = TRY(find_free(length, USER_MMAP_TOP));
    }
    Region r;
    r.start = start;
    r.end = start + length;
    r.prot = req.prot;
    r.shared = req.shared;
    r.stack = req.stack;
    r.source = move(req.source);
    r.source_offset = req.offset;
    r.source_bytes = r.source ? min(req.source_bytes, length) : 0;
    TRY(insert(move(r)));
    return start;
}

ErrorOr<void> AddressSpace::unmap(VirtAddr start, u64 length)
{
    if (!is_aligned(start, PAGE_SIZE) || length == 0)
        return Error::from_errno(EINVAL);
    VirtAddr end = align_up(start + length, PAGE_SIZE);
    if (end < start || end > USER_STACK_TOP)
        return Error::from_errno(EINVAL);
    MutexGuard guard(m_lock);
    return remove_range(start, end);
}

ErrorOr<void> AddressSpace::protect(VirtAddr start, u64 length, u32 prot)
{
    if (!is_aligned(start, PAGE_SIZE))
        return Error::from_errno(EINVAL);
    VirtAddr end = align_up(start + length, PAGE_SIZE);
    if (end < start || end > USER_STACK_TOP)
        return Error::from_errno(ENOMEM);
    if (length == 0)
        return {};
    MutexGuard guard(m_lock);
    // Every page of the range must be mapped (ENOMEM otherwise, as Linux).
    for (VirtAddr v = start; v < end;) {
        Region* r = find(v);
        if (!r)
            return Error::from_errno(ENOMEM);
        v = r->end;
    }
    TRY(split_at(start));
    TRY(split_at(end));
    for (Region& r : m_regions) {
        if (r.start >= start && r.end <= end)
            r.prot = prot;
    }
    // PROT_NONE hides the pages from the CPU but keeps them (the data is
    // there again when the range becomes accessible). Losing write or exec
    // takes effect now (and needs a flush); gaining write waits for the next
    // write fault, which also breaks copy-on-write sharing.
    bool none = !(prot & (ProtRead | ProtWrite | ProtExec));
    arch::pt::for_each_page(m_root, start, end, [prot, none](VirtAddr, arch::pt::Entry& e) {
        if (none) {
            e = arch::pt::make_inaccessible(e);
            return;
        }
        e = arch::pt::make_accessible(e, prot & ProtExec);
        if (!(prot & ProtWrite))
            e = arch::pt::with_writable(e, false);
        e = arch::pt::with_executable(e, prot & ProtExec);
    });
    flush_range(start, end);
    return {};
}

ErrorOr<void> AddressSpace::discard(VirtAddr start, u64 length)
{
    VirtAddr end = align_up(start + length, PAGE_SIZE);
    if (end < start || end > USER_STACK_TOP)
        return Error::from_errno(EINVAL);
    MutexGuard guard(m_lock);
    for (const Region& r : m_regions) {
        if (r.shared && r.start < end && start < r.end)
            return Error::from_errno(EINVAL); // shared pages would lose their data for everyone
    }
    unmap_pages(start, end);
    return {};
}

void AddressSpace::init_break(VirtAddr start)
{
    MutexGuard guard(m_lock);
    m_brk_start = m_brk = align_up(start, PAGE_SIZE);
}

VirtAddr AddressSpace::set_break(VirtAddr requested)
{
    MutexGuard guard(m_lock);
    if (requested < m_brk_start)
        return m_brk;
    VirtAddr old_end = align_up(m_brk, PAGE_SIZE);
    VirtAddr new_end = align_up(requested, PAGE_SIZE);
    if (new_end > old_end) {
        if (!valid_user_range(old_end, new_end) || !range_free(old_end, new_end) ||
            new_end > USER_STACK_TOP - USER_STACK_SIZE - PAGE_SIZE || !commit_ok((new_end - old_end) / PAGE_SIZE))
            return m_brk;
        // Grow the heap region (or create it).
        Region* heap = nullptr;
        for (Region& r : m_regions) {
            if (r.heap && r.end == old_end)
                heap = &r;
        }
        if (heap) {
            heap->end = new_end;
        } else {
            Region r;
            r.start = old_end;
            r.end = new_end;
            r.prot = ProtRead | ProtWrite;
            r.heap = true;
            if (insert(move(r)).is_error())
                return m_brk;
        }
    } else if (new_end < old_end) {
        if (remove_range(new_end, old_end).is_error())
            return m_brk;
    }
    m_brk = requested;
    return m_brk;
}

FaultResult AddressSpace::handle_fault(VirtAddr address, bool write, bool exec)
{
    VirtAddr page = align_down(address, PAGE_SIZE);
    m_lock.lock();
    Region* r = find(address);
    if (!r || (write && !(r->prot & ProtWrite)) || (exec && !(r->prot & ProtExec)) ||
        !(r->prot & (ProtRead | ProtWrite | ProtExec))) {
        m_lock.unlock();
        return FaultResult::Denied;
    }
    m_faults.fetch_add(1, __ATOMIC_RELAXED);
    auto leaf = arch::pt::leaf(m_root, page, true);
    if (leaf.is_error()) {
        m_lock.unlock();
        return FaultResult::OutOfMemory;
    }
    arch::pt::Entry* e = leaf.value();
    bool writable = (r->prot & ProtWrite) != 0;
    bool executable = (r->prot & ProtExec) != 0;

    if (arch::pt::holds_page(*e) && !arch::pt::present(*e)) {
        // Kept under PROT_NONE, and the region allows access again (protect()
        // restores entries; a fork copy may still carry the mark).
        *e = arch::pt::make_accessible(*e, executable);
    }
    if (arch::pt::present(*e)) {
        if (write && !arch::pt::writable(*e)) {
            // Copy-on-write: a private page shared with another space (fork)
            // or with the page cache of a read-only mapping gets its own copy;
            // a page only we hold just becomes writable.
            PhysAddr old = arch::pt::page_of(*e);
            if (r->shared || page_ref::count(old) == 1) {
                *e = arch::pt::with_writable(*e, true);
                arch::pt::flush_local(page);
            } else {
                auto copy = page_ref::alloc_copy(old);
                if (copy.is_error()) {
                    m_lock.unlock();
                    return FaultResult::OutOfMemory;
                }
                *e = arch::pt::make(copy.value(), true, executable);
                flush_range(page, page + PAGE_SIZE);
                page_ref::put(old);
            }
        } else {
            // Another CPU mapped it meanwhile, or a stale TLB entry.
            arch::pt::flush_local(page);
        }
        m_lock.unlock();
        return FaultResult::Mapped;
    }

    // After reading a file without our lock: take it again and check that
    // the region (with the same source, when one is given) is still there
    // and the page still unmapped; otherwise false with the lock released
    // (the access faults again if it still needs to).
    auto relock = [&](const PageSource* source) {
        m_lock.lock();
        r = find(address);
        leaf = arch::pt::leaf(m_root, page, true);
        if (!r || (source && r->source.ptr() != source) || leaf.is_error() || arch::pt::holds_page(*leaf.value())) {
            m_lock.unlock();
            return false;
        }
        e = leaf.value();
        writable = (r->prot & ProtWrite) != 0;
        executable = (r->prot & ProtExec) != 0;
        return true;
    };
    // Not present: a page-cache page shared read-only (a private file
    // mapping over whole pages of a file that keeps them: every exec of a
    // program maps the same pages, as Linux's page cache does; a write
    // copies it first), else a fresh zero page, or the file's contents.
    PhysAddr p = 0;
    bool from_cache = false;
    if (r->source && !r->shared) {
        u64 offset_in_region = page - r->start;
        u64 offset = r->source_offset + offset_in_region;
        // A read-only region maps the file's whole page, as Linux's ELF
        // loader and mmap do (the bytes after the segment are the file's);
        // a writable one only when the page is the file's throughout (the
        // last page of a data segment has zeros past it: the bss).
        bool whole = offset_in_region + PAGE_SIZE <= r->source_bytes;
        bool read_only = !(r->prot & ProtWrite) && offset_in_region < r->source_bytes;
        if (offset % PAGE_SIZE == 0 && (whole || read_only)) {
            RefPtr<PageSource> source = r->source;
            m_lock.unlock();
            auto cached = source->shared_page(offset);
            bool ok = relock(cached.is_error() ? nullptr : source.ptr());
            if (!cached.is_error()) {
                if (!ok) {
                    page_ref::put(cached.value());
                    return r ? FaultResult::Mapped : FaultResult::Denied;
                }
                p = cached.value();
                from_cache = true;
                writable = false; // the first write copies it
            } else if (!ok) {
                return r ? FaultResult::Mapped : FaultResult::Denied;
            }
        }
    }
    if (!from_cache) {
        auto fresh = page_ref::alloc_zeroed();
        if (fresh.is_error()) {
            m_lock.unlock();
            return FaultResult::OutOfMemory;
        }
        p = fresh.value();
    }
    if (!from_cache && r->source) {
        u64 offset_in_region = page - r->start;
        if (offset_in_region < r->source_bytes) {
            RefPtr<PageSource> source = r->source;
            u64 offset = r->source_offset + offset_in_region;
            u64 valid = min<u64>(PAGE_SIZE, r->source_bytes - offset_in_region);
            // Read without holding our lock (the file system has locks of its
            // own), then check that nothing changed meanwhile.
            m_lock.unlock();
            auto* buf = phys_to_ptr<u8>(p);
            auto read = source->read_page(offset, buf);
            if (read.is_error()) {
                page_ref::put(p);
                return FaultResult::Denied; // SIGBUS on Linux; SIGSEGV here
            }
            if (valid < PAGE_SIZE)
                memset(buf + valid, 0, PAGE_SIZE - valid);
            if (!relock(source.ptr())) {
                page_ref::put(p);
                return r ? FaultResult::Mapped : FaultResult::Denied;
            }
        }
    }
    *e = arch::pt::make(p, writable, executable);
    m_resident.fetch_add(1, __ATOMIC_RELAXED);
    m_lock.unlock();
    return FaultResult::Mapped;
}

ErrorOr<void> AddressSpace::copy_in(VirtAddr dst, const void* src, size_t n)
{
    auto* from = static_cast<const u8*>(src);
    while (n > 0) {
        VirtAddr page = align_down(dst, PAGE_SIZE);
        size_t chunk = min<u64>(n, page + PAGE_SIZE - dst);
        PhysAddr phys = 0;
        for (int attempt = 0; attempt < 2 && !phys; attempt++) {
            {
                MutexGuard guard(m_lock);
                auto e = arch::pt::leaf(m_root, page, false);
                if (!e.is_error() && e.value() && arch::pt::present(*e.value()) && arch::pt::writable(*e.value()))
                    phys = arch::pt::page_of(*e.value());
            }
            if (!phys) {
                FaultResult r = handle_fault(dst, true, false);
                if (r == FaultResult::OutOfMemory)
                    return Error::from_errno(ENOMEM);
                if (r == FaultResult::Denied)
                    return Error::from_errno(EFAULT);
            }
        }
        if (!phys)
            return Error::from_errno(EFAULT);
        memcpy(phys_to_ptr<u8>(phys) + (dst - page), from, chunk);
        dst += chunk;
        from += chunk;
        n -= chunk;
    }
    return {};
}

ErrorOr<void> AddressSpace::copy_out(void* dst, VirtAddr src, size_t n)
{
    auto* to = static_cast<u8*>(dst);
    while (n > 0) {
        VirtAddr page = align_down(src, PAGE_SIZE);
        size_t chunk = min<u64>(n, page + PAGE_SIZE - src);
        PhysAddr phys = 0;
        for (int attempt = 0; attempt < 2 && !phys; attempt++) {
            {
                MutexGuard guard(m_lock);
                auto e = arch::pt::leaf(m_root, page, false);
                if (!e.is_error() && e.value() && arch::pt::present(*e.value())) {
                    phys = arch::pt::page_of(*e.value());
                    page_ref::get(phys); // kept while we copy, even if unmapped meanwhile
                }
            }
            if (!phys && handle_fault(src, false, false) != FaultResult::Mapped)
                return Error::from_errno(EFAULT);
        }
        if (!phys)
            return Error::from_errno(EFAULT);
        memcpy(to, phys_to_ptr<u8>(phys) + (src - page), chunk);
        page_ref::put(phys);
        src += chunk;
        to += chunk;
        n -= chunk;
    }
    return {};
}

ErrorOr<RefPtr<AddressSpace>> AddressSpace::fork()
{
    RefPtr<AddressSpace> child = TRY(create());
    MutexGuard guard(m_lock);
    TRY(child->m_regions.ensure_capacity(m_regions.size()));
    for (const Region& r : m_regions)
        TRY(child->m_regions.append(Region(r)));
    child->m_brk_start = m_brk_start;
    child->m_brk = m_brk;
    // Share every present page: private writable ones become read-only in
    // both (copy-on-write), shared ones stay writable.
    bool downgraded = false;
    ErrorOr<void> result;
    for (const Region& r : m_regions) {
        arch::pt::for_each_page(m_root, r.start, r.end, [&](VirtAddr va, arch::pt::Entry& e) {
            if (result.is_error())
                return;
            auto child_leaf = arch::pt::leaf(child->m_root, va, true);
            if (child_leaf.is_error()) {
                result = child_leaf.release_error();
                return;
            }
            if (!r.shared && arch::pt::writable(e)) {
                e = arch::pt::with_writable(e, false);
                downgraded = true;
            }
            page_ref::get(arch::pt::page_of(e));
            *child_leaf.value() = e;
            child->m_resident.fetch_add(1, __ATOMIC_RELAXED);
        });
    }
    if (downgraded)
        flush_range(USER_LOW, USER_STACK_TOP);
    if (result.is_error())
        return result.release_error();
    return child;
}

u64 AddressSpace::virtual_size()
{
    MutexGuard guard(m_lock);
    u64 total = 0;
    for (const Region& r : m_regions)
        total += r.end - r.start;
    return total;
}

ErrorOr<void> AddressSpace::regions(Vector<Region>& out)
{
    MutexGuard guard(m_lock);
    out.clear();
    for (const Region& r : m_regions)
        TRY(out.append(Region(r)));
    return {};
}

bool AddressSpace::is_mapped(VirtAddr start, u64 length)
{
    MutexGuard guard(m_lock);
    for (VirtAddr v = start; v < start + length;) {
        Region* r = find(v);
        if (!r)
            return false;
        v = r->end;
    }
    return true;
}

void switch_address_space(AddressSpace* prev, AddressSpace* next, u32 cpu)
{
    u64 bit = 1ull << (cpu % 64);
    if (prev)
        prev->active_cpus[cpu / 64].fetch_and(~bit);
    if (next) {
        next->active_cpus[cpu / 64].fetch_or(bit);
        arch::load_page_table_root(next->root());
    } else {
        arch::load_page_table_root(vmm::kernel_space().root);
    }
}

} // namespace vm
