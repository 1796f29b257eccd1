// User page tables on x86-64 (Intel SDM vol. 3A, 4.5): 4-level tables whose
// upper 256 top-level entries are the kernel's (shared by all address
// spaces; vmm::init created them all), lower 256 per address space.
#include <arch/paging.hpp>
#include <arch/x86_64/cpu.hpp>
#include <lib/string.hpp>
#include <mm/accounting.hpp>
#include <mm/pmm.hpp>
#include <mm/vmm.hpp>

namespace arch::pt {
namespace {
constexpr u64 P = 1ull << 0, RW = 1ull << 1, US = 1ull << 2, PS = 1ull << 7, NX = 1ull << 63;
// Bits 9-11 of a leaf are the software's (Intel SDM vol. 3A, table 4-19):
// bit 9 marks a page kept under PROT_NONE.
constexpr u64 PROTNONE = 1ull << 9;
constexpr u64 ADDR = 0x000FFFFFFFFFF000ull;

u64* table(PhysAddr p) { return phys_to_ptr<u64>(p & ADDR); }

void free_level(PhysAddr t, int level)
{
    if (level > 0) {
        u64* entries = table(t);
        for (int i = 0; i < 512; i++) {
            if ((entries[i] & P) && !(entries[i] & PS))
                free_level(entries[i] & ADDR, level - 1);
        }
    }
    pmm::free_page(t);
    accounting::page_tables.sub(1);
}
} // namespace

ErrorOr<PhysAddr> create_root()
{
    PhysAddr root = TRY(pmm::alloc_zeroed_page());
    accounting::page_tables.add(1);
    memcpy(table(root) + 256, table(vmm::kernel_space().root) + 256, 256 * sizeof(u64));
    return root;
}

void destroy_root(PhysAddr root)
{
    u64* l4 = table(root);
    for (int i = 0; i < 256; i++) {
        if (l4[i] & P)
            free_level(l4[i] & ADDR, 2);
    }
    pmm::free_page(root);
    accounting::page_tables.sub(1);
}

ErrorOr<Entry*> leaf(PhysAddr root, VirtAddr va, bool create)
{
    if (va >= (1ull << 47))
        return Error::from_errno(EFAULT);
    u64* t = table(root);
    for (int level = 3; level > 0; level--) {
        u64& e = t[index_of(va, level)];
        if (!(e & P)) {
            if (!create)
                return static_cast<Entry*>(nullptr);
            PhysAddr fresh = TRY(pmm::alloc_zeroed_page());
            accounting::page_tables.add(1);
            // Intermediate levels allow everything; the leaf decides.
            e = fresh | P | RW | US;
        }
        t = table(e);
    }
    return &t[index_of(va, 0)];
}

Entry make(PhysAddr page, bool writable, bool executable)
{
    u64 e = (page & ADDR) | P | US;
    if (writable)
        e |= RW;
    if (!executable && vmm::nx_supported())
        e |= NX;
    return e;
}

bool present(Entry e) { return e & P; }
bool holds_page(Entry e) { return e & (P | PROTNONE); }
Entry make_inaccessible(Entry e) { return (e & ~(P | RW)) | PROTNONE; }
Entry make_accessible(Entry e, bool executable)
{
    if (!(e & PROTNONE))
        return e;
    return with_executable((e & ~(PROTNONE | RW)) | P, executable);
}
bool writable(Entry e) { return e & RW; }
PhysAddr page_of(Entry e) { return e & ADDR; }
Entry with_writable(Entry e, bool w) { return w ? (e | RW) : (e & ~RW); }
Entry with_executable(Entry e, bool x)
{
    if (!vmm::nx_supported())
        return e;
    return x ? (e & ~NX) : (e | NX);
}

Entry* table_at(Entry e) { return table(e); }
bool is_table(Entry e) { return (e & P) && !(e & PS); }

void flush_local(VirtAddr va) { x86::invlpg(va); }
void flush_local_all() { x86::write_cr3(x86::read_cr3()); }

} // namespace arch::pt
