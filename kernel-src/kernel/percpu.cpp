#include <config.hpp>
#include <kernel/percpu.hpp>

namespace {
Cpu s_boot_cpu;
Cpu* s_cpus[config::max_cpus];
Atomic<u32> s_count { 0 };
} // namespace

namespace percpu {

Cpu& boot_cpu() { return s_boot_cpu; }

Cpu* cpu(u32 id) { return id < config::max_cpus ? s_cpus[id] : nullptr; }

u32 count() { return s_count.load(); }

void install(Cpu& c)
{
    c.self = &c;
    s_cpus[c.id] = &c;
    s_count.fetch_add(1);
}

} // namespace percpu
