// Thread objects and their kernel stacks. A stack is 16 KiB of pages mapped
// in the kernel mapping window with an unmapped guard page below, so an
// overflow faults (and is reported on the double-fault stack) instead of
// overwriting whatever lies below.
#include <arch/arch.hpp>
#include <kernel/log.hpp>
#include <lib/new.hpp>
#include <lib/string.hpp>
#include <mm/accounting.hpp>
#include <mm/heap.hpp>
#include <mm/kernel_vm.hpp>
#include <mm/pmm.hpp>
#include <mm/vmm.hpp>
#include <proc/sched.hpp>
#include <proc/thread.hpp>

namespace thread {
namespace {
constexpr u64 STACK_PAGES = STACK_SIZE / PAGE_SIZE;

void free_stack_pages(VirtAddr base, u64 mapped)
{
    for (u64 i = 0; i < mapped; i++) {
        VirtAddr v = base + i * PAGE_SIZE;
        auto tr = vmm::translate(vmm::kernel_space(), v);
        if (tr.is_error())
            continue;
        (void)vmm::unmap_page_local(vmm::kernel_space(), v);
        pmm::free_page(tr.value().phys);
    }
}

ErrorOr<void> allocate_stack(Thread* t)
{
    VirtAddr base = TRY(kernel_vm::reserve(STACK_SIZE, PAGE_SIZE, true));
    for (u64 i = 0; i < STACK_PAGES; i++) {
        auto page = pmm::alloc_page();
        ErrorOr<void> mapped = page.is_error() ? ErrorOr<void>(page.error())
                                               : vmm::map_page(vmm::kernel_space(), base + i * PAGE_SIZE, page.value(),
                                                               vmm::Write | vmm::Global);
        if (mapped.is_error()) {
            if (!page.is_error())
                pmm::free_page(page.value());
            free_stack_pages(base, i);
            vmm::flush_kernel_range_everywhere(base, STACK_SIZE);
            kernel_vm::release(base, STACK_SIZE, true);
            return mapped.release_error();
        }
    }
    t->stack_base = base;
    t->stack_top = base + STACK_SIZE;
    accounting::kernel_stacks.add(STACK_PAGES);
    return {};
}

ErrorOr<Thread*> create(const char* name)
{
    auto* t = new (std::nothrow) Thread {};
    if (!t)
        return Error::from_errno(ENOMEM);
    auto stack = allocate_stack(t);
    if (stack.is_error()) {
        delete t;
        return stack.release_error();
    }
    set_name(t, name);
    return t;
}
} // namespace

void set_name(Thread* t, const char* name) { strlcpy(t->name, name, sizeof(t->name)); }

ErrorOr<Thread*> create_kernel(const char* name, void (*fn)(void*), void* arg)
{
    Thread* t = TRY(create(name));
    t->entry = fn;
    t->entry_arg = arg;
    arch::prepare_thread_stack(*t, sched::kernel_thread_entry, t, t->stack_top);
    return t;
}

ErrorOr<Thread*> create_user(Process* process, const char* name)
{
    Thread* t = TRY(create(name));
    t->process = process;
    t->fpu_area = heap::alloc_aligned(arch::fpu_area_size(), 64);
    if (!t->fpu_area) {
        destroy(t);
        return Error::from_errno(ENOMEM);
    }
    arch::fpu_init_area(t->fpu_area);
    // The user frame occupies the top of the stack; the first switch
    // returns into user_thread_entry below it.
    arch::prepare_thread_stack(*t, sched::user_thread_entry, t, reinterpret_cast<u64>(t->user_frame()));
    return t;
}

void destroy(Thread* t)
{
    if (t->stack_owned && t->stack_base) {
        free_stack_pages(t->stack_base, STACK_PAGES);
        // One shootdown for the whole stack (other CPUs may have cached it).
        vmm::flush_kernel_range_everywhere(t->stack_base, STACK_SIZE);
        kernel_vm::release(t->stack_base, STACK_SIZE, true);
        accounting::kernel_stacks.sub(STACK_PAGES);
    }
    heap::free(t->fpu_area);
    delete t;
}

} // namespace thread

TrapFrame* Thread::user_frame() const { return arch::user_frame_at(stack_top); }
