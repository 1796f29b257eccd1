// Thread switching on x86-64: stacks for new threads, the switch itself
// (TSS.RSP0, the syscall stack, FS base, FPU state), entering ring 3.
#include <arch/arch.hpp>
#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/fpu.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/interrupt_frame.hpp>
#include <config.hpp>
#include <kernel/percpu.hpp>
#include <proc/thread.hpp>

extern "C" void arch_switch_context(u64* save_rsp, u64 next_rsp);
extern "C" char arch_thread_start[];
extern "C" [[noreturn]] void arch_enter_user(TrapFrame* frame);

namespace {
// The thread whose FPU registers are live on each CPU (its saved area may
// be older only while it runs).
Thread* s_fpu_owner[config::max_cpus];
u64 s_fs_base[config::max_cpus];
} // namespace

namespace arch {

void prepare_thread_stack(Thread& t, void (*fn)(void*), void* arg, u64 stack_pointer)
{
    // arch_switch_context pops r15, r14, r13, r12, rbx, rbp and returns:
    // seven words. Their start is 8 mod 16 so that arch_thread_start calls
    // fn with a 16-byte aligned stack, as the SysV ABI wants.
    u64* sp = reinterpret_cast<u64*>(align_down(stack_pointer, 16) - 72);
    sp[0] = 0;                                     // r15
    sp[1] = 0;                                     // r14
    sp[2] = reinterpret_cast<u64>(arg);            // r13
    sp[3] = reinterpret_cast<u64>(fn);             // r12
    sp[4] = 0;                                     // rbx
    sp[5] = 0;                                     // rbp
    sp[6] = reinterpret_cast<u64>(arch_thread_start);
    t.saved_rsp = reinterpret_cast<u64>(sp);
}

void switch_threads(Thread& prev, Thread& next)
{
    Cpu* cpu = this_cpu();
    if (prev.fpu_area) {
        x86::fpu::save(prev.fpu_area);
        prev.fpu_loaded_on = static_cast<i32>(cpu->id);
        s_fpu_owner[cpu->id] = &prev;
    }
    x86::tss_set_kernel_stack(cpu->id, next.stack_top);
    cpu->syscall_kernel_rsp = next.stack_top;
    if (next.fpu_area) {
        // Still in this CPU's registers if nothing else was loaded here since.
        if (s_fpu_owner[cpu->id] != &next || next.fpu_loaded_on != static_cast<i32>(cpu->id))
            x86::fpu::restore(next.fpu_area);
        s_fpu_owner[cpu->id] = &next;
        next.fpu_loaded_on = static_cast<i32>(cpu->id);
        if (s_fs_base[cpu->id] != next.fs_base) {
            x86::wrmsr(x86::MSR_FS_BASE, next.fs_base);
            s_fs_base[cpu->id] = next.fs_base;
        }
    }
    cpu->current = &next;
    arch_switch_context(&prev.saved_rsp, next.saved_rsp);
}

TrapFrame* user_frame_at(u64 stack_top)
{
    return reinterpret_cast<TrapFrame*>(stack_top - sizeof(InterruptFrame));
}

void enter_user(TrapFrame* frame) { arch_enter_user(frame); }

u32 fpu_area_size() { return x86::fpu::area_size(); }
void fpu_init_area(void* area) { x86::fpu::init_area(area); }

void fpu_save_current(Thread& t)
{
    u64 flags = irq_save();
    x86::fpu::save(t.fpu_area);
    irq_restore(flags);
}

void fpu_load_current(Thread& t)
{
    u64 flags = irq_save();
    Cpu* cpu = this_cpu();
    x86::fpu::restore(t.fpu_area);
    s_fpu_owner[cpu->id] = &t;
    t.fpu_loaded_on = static_cast<i32>(cpu->id);
    irq_restore(flags);
}

void set_user_fs_base(Thread& t, u64 base)
{
    u64 flags = irq_save();
    t.fs_base = base;
    x86::wrmsr(x86::MSR_FS_BASE, base);
    s_fs_base[this_cpu()->id] = base;
    irq_restore(flags);
}

void load_page_table_root(u64 root_phys) { x86::write_cr3(root_phys); }

} // namespace arch
