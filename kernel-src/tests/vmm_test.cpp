// vmm: page tables (map, translate, unmap, 2 MiB pages, NX, permissions).
#include <kernel/fault_catch.hpp>
#include <kernel/ktest.hpp>
#include <lib/string.hpp>
#include <mm/pmm.hpp>
#include <mm/vmm.hpp>

namespace {

// Reads one byte at `address`; returns true when that faulted.
bool read_faults(VirtAddr address, FaultInfo* info)
{
    auto read = [address] { (void)*reinterpret_cast<volatile u8*>(address); };
    return fault_catch(read, info);
}

bool write_faults(VirtAddr address, FaultInfo* info)
{
    auto write = [address] { *reinterpret_cast<volatile u8*>(address) = 0x5A; };
    return fault_catch(write, info);
}

void map_translate_unmap(KTest& t)
{
    auto& as = vmm::kernel_space();
    VirtAddr va = KTRY(t, vmm::reserve_kernel_range(PAGE_SIZE, PAGE_SIZE));
    PhysAddr pa = KTRY(t, pmm::alloc_zeroed_page());
    KTRY(t, vmm::map_page(as, va, pa, vmm::Write));

    vmm::Translation tr = KTRY(t, vmm::translate(as, va + 0x123));
    KEXPECT_EQ(t, tr.phys, pa + 0x123);
    KEXPECT_EQ(t, tr.page_size, PAGE_SIZE);
    KEXPECT(t, tr.flags & vmm::Write);
    KEXPECT(t, !(tr.flags & vmm::User));

    // The same memory through both mappings.
    *reinterpret_cast<volatile u64*>(va + 64) = 0xC0FFEE;
    KEXPECT_EQ(t, *phys_to_ptr<u64>(pa + 64), 0xC0FFEEu);

    KTRY(t, vmm::unmap_page(as, va));
    auto gone = vmm::translate(as, va);
    KEXPECT(t, gone.is_error() && gone.error().code() == ENOENT);
    FaultInfo info;
    KEXPECT(t, read_faults(va, &info));
    KEXPECT_EQ(t, info.vector, 14u);
    KEXPECT_EQ(t, info.cr2, va);
    KEXPECT_EQ(t, info.error_code & 1, 0u); // not present
    pmm::free_page(pa);
}

void huge_pages(KTest& t)
{
    auto& as = vmm::kernel_space();
    VirtAddr va = KTRY(t, vmm::reserve_kernel_range(HUGE_PAGE_SIZE, HUGE_PAGE_SIZE));
    PhysAddr pa = KTRY(t, pmm::alloc_pages(512, 512));
    KTRY(t, vmm::map_huge_page(as, va, pa, vmm::Write));
    vmm::Translation tr = KTRY(t, vmm::translate(as, va + 0x12345));
    KEXPECT_EQ(t, tr.phys, pa + 0x12345);
    KEXPECT_EQ(t, tr.page_size, HUGE_PAGE_SIZE);

    // Last byte of the 2 MiB page is reachable and is the right memory.
    *reinterpret_cast<volatile u8*>(va + HUGE_PAGE_SIZE - 1) = 0xA5;
    KEXPECT_EQ(t, *phys_to_ptr<u8>(pa + HUGE_PAGE_SIZE - 1), 0xA5);

    // A 4 KiB mapping inside a 2 MiB page is refused.
    auto inside = vmm::map_page(as, va + PAGE_SIZE, pa, vmm::Write);
    KEXPECT(t, inside.is_error() && inside.error().code() == EEXIST);
    auto misaligned = vmm::map_huge_page(as, va + PAGE_SIZE, pa, vmm::Write);
    KEXPECT(t, misaligned.is_error() && misaligned.error().code() == EINVAL);

    KTRY(t, vmm::unmap_page(as, va));
    KEXPECT(t, vmm::translate(as, va + 0x12345).is_error());
    pmm::free_pages(pa, 512);
}

void no_execute(KTest& t)
{
    if (!vmm::nx_supported()) {
        t.skip("CPU has no NX");
        return;
    }
    auto& as = vmm::kernel_space();
    VirtAddr va = KTRY(t, vmm::reserve_kernel_range(PAGE_SIZE, PAGE_SIZE));
    PhysAddr pa = KTRY(t, pmm::alloc_zeroed_page());
    *phys_to_ptr<u8>(pa) = 0xC3; // ret
    KTRY(t, vmm::map_page(as, va, pa, vmm::Write));
    auto call = [va] { reinterpret_cast<void (*)()>(va)(); };
    FaultInfo info;
    KEXPECT(t, fault_catch(call, &info));
    KEXPECT_EQ(t, info.vector, 14u);
    KEXPECT(t, info.error_code & 16); // instruction fetch
    KEXPECT_EQ(t, info.rip, va);

    // The same page mapped executable runs.
    KTRY(t, vmm::unmap_page(as, va));
    KTRY(t, vmm::map_page(as, va, pa, vmm::Exec));
    KEXPECT(t, !fault_catch(call, &info));
    KTRY(t, vmm::unmap_page(as, va));
    pmm::free_page(pa);
}

void read_only(KTest& t)
{
    auto& as = vmm::kernel_space();
    VirtAddr va = KTRY(t, vmm::reserve_kernel_range(PAGE_SIZE, PAGE_SIZE));
    PhysAddr pa = KTRY(t, pmm::alloc_zeroed_page());
    KTRY(t, vmm::map_page(as, va, pa, 0));
    FaultInfo info;
    KEXPECT(t, !read_faults(va, &info));
    KEXPECT(t, write_faults(va, &info));
    KEXPECT_EQ(t, info.vector, 14u);
    KEXPECT_EQ(t, info.error_code & 3, 3u); // protection violation, write
    KEXPECT_EQ(t, *phys_to_ptr<u8>(pa), 0);
    KTRY(t, vmm::unmap_page(as, va));
    pmm::free_page(pa);
}

void rejects_bad_requests(KTest& t)
{
    auto& as = vmm::kernel_space();
    VirtAddr va = KTRY(t, vmm::reserve_kernel_range(PAGE_SIZE, PAGE_SIZE));
    PhysAddr pa = KTRY(t, pmm::alloc_zeroed_page());
    auto misaligned = vmm::map_page(as, va + 8, pa, 0);
    KEXPECT(t, misaligned.is_error() && misaligned.error().code() == EINVAL);
    auto non_canonical = vmm::map_page(as, 0x0000900000000000ull, pa, 0);
    KEXPECT(t, non_canonical.is_error() && non_canonical.error().code() == EINVAL);
    KTRY(t, vmm::map_page(as, va, pa, 0));
    auto twice = vmm::map_page(as, va, pa, 0);
    KEXPECT(t, twice.is_error() && twice.error().code() == EEXIST);
    KTRY(t, vmm::unmap_page(as, va));
    auto again = vmm::unmap_page(as, va);
    KEXPECT(t, again.is_error() && again.error().code() == ENOENT);
    pmm::free_page(pa);
}

void kernel_sections_protected(KTest& t)
{
    auto& as = vmm::kernel_space();
    vmm::Translation text = KTRY(t, vmm::translate(as, reinterpret_cast<VirtAddr>(__text_start)));
    vmm::Translation rodata = KTRY(t, vmm::translate(as, reinterpret_cast<VirtAddr>(__rodata_start)));
    vmm::Translation data = KTRY(t, vmm::translate(as, reinterpret_cast<VirtAddr>(__data_start)));
    KEXPECT(t, (text.flags & vmm::Exec) && !(text.flags & vmm::Write));
    KEXPECT(t, !(rodata.flags & vmm::Write));
    KEXPECT(t, (data.flags & vmm::Write));
    if (vmm::nx_supported()) {
        KEXPECT(t, !(rodata.flags & vmm::Exec));
        KEXPECT(t, !(data.flags & vmm::Exec));
    }
    KEXPECT_EQ(t, text.phys, reinterpret_cast<u64>(__text_start) - KERNEL_VMA);
    // Writing to kernel text faults.
    FaultInfo info;
    KEXPECT(t, write_faults(reinterpret_cast<VirtAddr>(__text_start), &info));
    // The null page is not mapped (the early identity map is gone).
    KEXPECT(t, read_faults(0, &info));
}

void direct_map_covers_ram(KTest& t)
{
    KEXPECT_GE(t, vmm::direct_map_size(), pmm::top_of_ram());
    auto& as = vmm::kernel_space();
    u64 last = align_down(pmm::top_of_ram() - 1, PAGE_SIZE);
    vmm::Translation tr = KTRY(t, vmm::translate(as, DIRECT_MAP_BASE + last));
    KEXPECT_EQ(t, tr.phys, last);
    KEXPECT(t, !(tr.flags & vmm::Exec) || !vmm::nx_supported());
}

} // namespace

KTEST_SUITE(vmm, KTEST_CASE(map_translate_unmap), KTEST_CASE(huge_pages), KTEST_CASE(no_execute),
            KTEST_CASE(read_only), KTEST_CASE(rejects_bad_requests), KTEST_CASE(kernel_sections_protected),
            KTEST_CASE(direct_map_covers_ram));
