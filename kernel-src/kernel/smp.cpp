#include <arch/arch.hpp>
#include <config.hpp>
#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <kernel/smp.hpp>
#include <proc/sched.hpp>

// One queued call. Lives on the caller's stack until `done` is set.
struct SmpCall {
    smp::CallFunction fn;
    void* arg;
    Atomic<u32> done;
    SmpCall* next;
};

namespace smp {
namespace {
u32 s_expected = 1;
u32 s_cap = config::max_cpus;

// Every AP ends up here after its arch set-up: its start-up context becomes
// its idle thread, then it announces itself, ticks, and runs threads.
[[noreturn]] void ap_main(Cpu& cpu)
{
    percpu::install(cpu);
    sched::init_this_cpu();
    __atomic_store_n(&cpu.online, true, __ATOMIC_RELEASE);
    arch::start_local_timer();
    sched::idle_loop();
}

void enqueue(Cpu& target, SmpCall& call)
{
    {
        SpinlockGuard guard(target.call_lock);
        call.next = target.call_head;
        target.call_head = &call;
    }
    arch::send_call_interrupt(target);
}

void wait_for(SmpCall& call)
{
    Cpu* cpu = this_cpu();
    while (!call.done.load(__ATOMIC_ACQUIRE)) {
        // Peek without the lock: taking it on every turn of this loop is
        // what a waiting CPU would otherwise spend its time on.
        if (__atomic_load_n(&cpu->call_head, __ATOMIC_ACQUIRE))
            run_queued_calls();
        arch::cpu_relax();
    }
}
} // namespace

void init()
{
    arch::SmpStart start = arch::start_secondary_cpus(ap_main);
    s_expected = start.expected;
    s_cap = start.cap;
    if (start.online != percpu::count())
        panic("smp: %u CPUs reported online but %u registered", start.online, percpu::count());
    log_info("smp: CPUs online: %u / %u", start.online, start.expected);
}

u32 online_count() { return percpu::count(); }
u32 expected_count() { return s_expected; }
u32 cpu_cap() { return s_cap; }

void run_queued_calls()
{
    Cpu* cpu = this_cpu();
    for (;;) {
        SmpCall* call;
        {
            SpinlockGuard guard(cpu->call_lock);
            call = cpu->call_head;
            if (call)
                cpu->call_head = call->next;
        }
        if (!call)
            return;
        call->fn(call->arg);
        call->done.store(1, __ATOMIC_RELEASE);
    }
}

void call_on(u32 cpu_id, CallFunction fn, void* arg)
{
    if (cpu_id == this_cpu()->id) {
        fn(arg);
        return;
    }
    Cpu* target = percpu::cpu(cpu_id);
    if (!target || !target->online)
        panic("smp: call on CPU %u, which is not online", cpu_id);
    SmpCall call { fn, arg, 0, nullptr };
    enqueue(*target, call);
    wait_for(call);
}

namespace {
void call_on_many(CallFunction fn, void* arg, bool include_self)
{
    SmpCall calls[config::max_cpus];
    u32 self = this_cpu()->id;
    u32 n = percpu::count();
    for (u32 i = 0; i < n; i++) {
        if (i == self)
            continue;
        calls[i] = { fn, arg, 0, nullptr };
        enqueue(*percpu::cpu(i), calls[i]);
    }
    if (include_self)
        fn(arg);
    for (u32 i = 0; i < n; i++) {
        if (i != self)
            wait_for(calls[i]);
    }
}
} // namespace

void call_on_all(CallFunction fn, void* arg) { call_on_many(fn, arg, true); }
void call_on_others(CallFunction fn, void* arg) { call_on_many(fn, arg, false); }

void flush_tlb_everywhere(u64 virt)
{
    arch::flush_tlb_page(virt);
    if (percpu::count() > 1)
        call_on_others([](void* v) { arch::flush_tlb_page(reinterpret_cast<u64>(v)); }, reinterpret_cast<void*>(virt));
}

} // namespace smp
