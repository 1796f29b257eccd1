#pragma once
// Multiprocessing: bringing up the other CPUs and running functions on them.
//
// Cross-CPU calls are queued on the target CPU and signalled with an
// interrupt; a caller waiting for a call to finish keeps running calls queued
// on its own CPU meanwhile, so two CPUs calling each other cannot deadlock,
// even with interrupts disabled.
#include <kernel/percpu.hpp>
#include <lib/types.hpp>

namespace smp {

using CallFunction = void (*)(void*);

// Starts the application processors and logs "smp: CPUs online: N / M".
void init();
u32 online_count();
u32 expected_count();
// Most CPUs the kernel would start: maxCpus, or maxcpus= when lower.
u32 cpu_cap();

// Runs fn(arg) on CPU `cpu_id` and waits for it to return. On the calling
// CPU it is a plain call.
void call_on(u32 cpu_id, CallFunction fn, void* arg);
// Runs fn(arg) on every online CPU, the caller included, in parallel, and
// returns when all have finished.
void call_on_all(CallFunction fn, void* arg);
// The same on every online CPU but the caller.
void call_on_others(CallFunction fn, void* arg);

// Runs the calls queued for this CPU (the interrupt handler's job).
void run_queued_calls();

// Invalidates `virt` in every CPU's TLB (the caller's included).
void flush_tlb_everywhere(u64 virt);

} // namespace smp
