#include <kernel/cpu_stats.hpp>
#include <kernel/percpu.hpp>

namespace cpu_stats {

void account_tick(u32 cpu, TickKind kind, u64 ns)
{
    CpuTimes& t = per_cpu[cpu];
    switch (kind) {
    case TickKind::User:
        t.user_ns.fetch_add(ns, __ATOMIC_RELAXED);
        break;
    case TickKind::System:
        t.system_ns.fetch_add(ns, __ATOMIC_RELAXED);
        break;
    case TickKind::Idle:
        t.idle_ns.fetch_add(ns, __ATOMIC_RELAXED);
        break;
    }
}

u64 total_context_switches()
{
    u64 sum = 0;
    for (u32 c = 0; c < config::max_cpus; c++)
        sum += per_cpu[c].context_switches.load(__ATOMIC_RELAXED);
    return sum;
}

u64 total_idle_ns(u32 cpus)
{
    u64 sum = 0;
    for (u32 c = 0; c < cpus && c < config::max_cpus; c++)
        sum += per_cpu[c].idle_ns.load(__ATOMIC_RELAXED);
    return sum;
}

u64 calc_load(u64 load, u64 exp, u64 active)
{
    u64 next = load * exp + active * (LOAD_FIXED_1 - exp);
    if (active >= load)
        next += LOAD_FIXED_1 - 1; // round up while rising
    return next / LOAD_FIXED_1;
}

void fold_load(u32 active)
{
    // EXP_1, EXP_5, EXP_15: 1/exp(5 s / 1, 5, 15 min) in fixed point.
    constexpr u64 exps[3] = { 1884, 2014, 2037 };
    u64 a = static_cast<u64>(active) * LOAD_FIXED_1;
    for (int i = 0; i < 3; i++)
        load_average[i].store(calc_load(load_average[i].load(__ATOMIC_RELAXED), exps[i], a), __ATOMIC_RELAXED);
}

u64 load_interval_ticks() { return 5 * config::timer_hz + 1; }

} // namespace cpu_stats
