#include <arch/arch.hpp>
#include <config.hpp>
#include <mm/address_space.hpp>
#include <mm/vmm.hpp>

namespace vm {

void switch_address_space(AddressSpace* prev, AddressSpace* next, u32 cpu)
{
    u64 bit = 1ull << (cpu % 64);
    if (prev)
        prev->active_cpus[cpu / 64].fetch_and(~bit);
    if (next) {
        next->active_cpus[cpu / 64].fetch_or(bit);
        arch::load_page_table_root(next->root());
    } else {
        arch::load_page_table_root(vmm::kernel_space().root);
    }
}

} // namespace vm
