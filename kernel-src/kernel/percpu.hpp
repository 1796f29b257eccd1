#pragma once
// Per-CPU data, reached through arch::percpu_base() (GS on x86-64). Fields are
// only written by their own CPU unless noted.
#include <arch/arch.hpp>
#include <lib/atomic.hpp>
#include <lib/spinlock.hpp>
#include <lib/types.hpp>

struct FaultCatch;
struct SmpCall;

struct Cpu {
    Cpu* self;                 // must stay first: percpu_base() reads it
    u32 id;                    // dense index 0..cpu_count-1, 0 is the boot CPU
    u32 apic_id;
    u64 kernel_stack_top;      // stack for traps from ring 3 (TSS.RSP0)
    FaultCatch* fault_catch;   // armed by fault_catch_call, see kernel/fault_catch.hpp
    Atomic<u64> ticks;         // timer interrupts taken by this CPU
    bool online;               // set by the CPU itself once it runs
    Spinlock call_lock;        // guards call_head (any CPU may queue)
    SmpCall* call_head;        // cross-CPU calls waiting to run here
};

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
