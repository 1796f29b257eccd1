// Thread objects and their kernel stacks (16 KiB in a slot of the stack
// area, an unmapped guard page below: mm/stack_area.hpp).
#include <arch/arch.hpp>
#include <kernel/log.hpp>
#include <lib/new.hpp>
#include <lib/string.hpp>
#include <mm/accounting.hpp>
#include <mm/heap.hpp>
#include <mm/stack_area.hpp>
#include <mm/pmm.hpp>
#include <mm/vmm.hpp>
#include <proc/sched.hpp>
#include <proc/thread.hpp>

namespace thread {
namespace {
constexpr u64 STACK_PAGES = STACK_SIZE / PAGE_SIZE;
static_assert(STACK_SIZE == stack_area::STACK_SIZE);

ErrorOr<void> allocate_stack(Thread* t)
{
    VirtAddr base = TRY(stack_area::allocate());
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
        stack_area::release(t->stack_base);
        accounting::kernel_stacks.sub(STACK_PAGES);
    }
    heap::free(t->fpu_area);
    delete t;
}

} // namespace thread

TrapFrame* Thread::user_frame() const { return arch::user_frame_at(stack_top); }
