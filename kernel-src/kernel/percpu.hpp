#pragma once
// Per-CPU data, reached through arch::percpu_base() (GS on x86-64). Fields are
// only written by their own CPU unless noted.
#include <arch/arch.hpp>
#include <kernel/percpu_offsets.h>
#include <lib/atomic.hpp>
#include <lib/spinlock.hpp>
#include <lib/types.hpp>

struct FaultCatch;
struct SmpCall;
struct Thread;

struct Cpu {
    // Reached from assembly (kernel/percpu_offsets.h):
    Cpu* self;                 // must stay first: percpu_base() reads it
    u64 syscall_user_rsp;      // the user stack pointer while syscall entry switches stacks
    u64 syscall_kernel_rsp;    // top of the running thread's kernel stack (= TSS.RSP0)
    Thread* current;           // the running thread (nullptr before the scheduler starts)

    u32 id;                    // dense index 0..cpu_count-1, 0 is the boot CPU
    u32 apic_id;
    u64 kernel_stack_top;      // the CPU's boot stack (becomes its idle thread's stack)
    FaultCatch* fault_catch;   // armed by fault_catch_call before this CPU has threads
    Atomic<bool> need_resched; // set by the tick, wake-ups and IPIs; checked on the way out of interrupts
    Atomic<u64> ticks;         // timer interrupts taken by this CPU
    bool online;               // set by the CPU itself once it runs
    Spinlock call_lock;        // guards call_head (any CPU may queue)
    SmpCall* call_head;        // cross-CPU calls waiting to run here
};

static_assert(__builtin_offsetof(Cpu, self) == PERCPU_SELF);
static_assert(__builtin_offsetof(Cpu, syscall_user_rsp) == PERCPU_SYSCALL_USER_RSP);
static_assert(__builtin_offsetof(Cpu, syscall_kernel_rsp) == PERCPU_SYSCALL_KERNEL_RSP);
static_assert(__builtin_offsetof(Cpu, current) == PERCPU_CURRENT);

inline Cpu* this_cpu() { return static_cast<Cpu*>(arch::percpu_base()); }

namespace percpu {
// The boot CPU's block, usable before the heap exists.
Cpu& boot_cpu();
// Block of CPU `id`, or nullptr when that CPU was never brought up.
Cpu* cpu(u32 id);
u32 count();
// Makes `cpu` known under its id (SMP bring-up calls this for every AP).
void install(Cpu& cpu);
} // namespace percpu
