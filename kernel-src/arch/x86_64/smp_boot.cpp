// Starting the application processors (Intel SDM vol. 3A, 9.4 "Multiple-
// processor (MP) initialization"): INIT-SIPI-SIPI into the trampoline.
#include <arch/arch.hpp>
#include <arch/x86_64/apic.hpp>
#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/smap.hpp>
#include <arch/x86_64/fpu.hpp>
#include <arch/x86_64/syscall.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/idt.hpp>
#include <config.hpp>
#include <drivers/acpi/acpi.hpp>
#include <kernel/cmdline.hpp>
#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <kernel/percpu.hpp>
#include <kernel/time.hpp>
#include <lib/new.hpp>
#include <lib/string.hpp>
#include <mm/pmm.hpp>
#include <mm/vmm.hpp>

extern "C" char trampoline_start[], trampoline_end[];

namespace {

constexpr PhysAddr TRAMPOLINE_BASE = 0x8000;
constexpr size_t KERNEL_STACK_PAGES = 4; // 16 KiB
constexpr u64 AP_START_TIMEOUT_US = 1000000;

struct TrampolineData {
    u64 cr3;
    u64 stack;
    u64 entry;
    u64 cpu;
    u32 nx;
    u32 reserved;
};

u64 s_ist_tops[config::max_cpus][3];
void (*s_ap_main)(Cpu&);

TrampolineData* trampoline_data()
{
    size_t size = trampoline_end - trampoline_start;
    return reinterpret_cast<TrampolineData*>(static_cast<u8*>(phys_to_virt(TRAMPOLINE_BASE)) + size -
                                             sizeof(TrampolineData));
}

ErrorOr<u64> alloc_stack_top(size_t pages)
{
    PhysAddr p = TRY(pmm::alloc_pages(pages));
    return reinterpret_cast<u64>(phys_to_virt(p)) + pages * PAGE_SIZE;
}

// Runs on the AP, on its own stack, with the kernel page tables.
extern "C" [[noreturn]] void ap_entry(Cpu* cpu)
{
    x86::gdt_init_cpu(cpu->id, s_ist_tops[cpu->id]);
    x86::idt_load();
    arch::set_percpu_base(cpu);
    // The same control-register state as the boot CPU (FPU for user code,
    // SMEP/SMAP).
    x86::fpu::init_this_cpu();
    x86::protect_kernel_from_user_pages_this_cpu();
    x86::init_syscall_msrs();
    x86::lapic::enable_this_cpu();
    s_ap_main(*cpu);
    panic("ap_main returned on CPU %u", cpu->id);
}

// The wait after INIT. The SDM's 10 ms is for processors that need it; like
// Linux (smp_quirk_init_udelay), none on Intel family 6 and later, AMD
// family 0xF and later, and under a hypervisor; init_udelay=US overrides.
u64 s_init_delay_us = 10000;

void choose_init_delay()
{
    u32 forced;
    if (cmdline::get_u32("init_udelay", &forced)) {
        s_init_delay_us = forced;
        return;
    }
    auto leaf1 = x86::cpuid(1);
    u32 family = (leaf1.eax >> 8) & 0xF;
    if (family == 0xF)
        family += (leaf1.eax >> 20) & 0xFF;
    auto vendor = x86::cpuid(0);
    bool intel = vendor.ebx == 0x756e6547; // "Genu"
    bool amd = vendor.ebx == 0x68747541;   // "Auth"
    if ((intel && family >= 6) || (amd && family >= 0xF) || arch::under_hypervisor())
        s_init_delay_us = 0;
}

// Starts one AP; true once it has checked in.
bool start_cpu(Cpu& cpu, u64 stack_top)
{
    TrampolineData* data = trampoline_data();
    data->cr3 = vmm::kernel_space().root;
    data->stack = stack_top;
    data->entry = reinterpret_cast<u64>(&ap_entry);
    data->cpu = reinterpret_cast<u64>(&cpu);
    data->nx = vmm::nx_supported();
    __atomic_thread_fence(__ATOMIC_SEQ_CST);

    // INIT, a delay, SIPI, 200 us (10 on modern CPUs), and a second SIPI if
    // it has not checked in (Intel SDM vol. 3A, 9.4.4.1).
    x86::lapic::send_init(cpu.apic_id);
    if (s_init_delay_us)
        time::delay_us(s_init_delay_us);
    u8 page = static_cast<u8>(TRAMPOLINE_BASE >> 12);
    x86::lapic::send_startup(cpu.apic_id, page);
    time::delay_us(s_init_delay_us ? 200 : 10);
    if (!__atomic_load_n(&cpu.online, __ATOMIC_ACQUIRE))
        x86::lapic::send_startup(cpu.apic_id, page);
    u64 deadline = time::since_boot_ns() + AP_START_TIMEOUT_US * 1000;
    while (!__atomic_load_n(&cpu.online, __ATOMIC_ACQUIRE)) {
        if (time::since_boot_ns() > deadline)
            return false;
        arch::cpu_relax();
    }
    return true;
}

} // namespace

namespace arch {

SmpStart start_secondary_cpus(void (*ap_main)(Cpu&))
{
    const acpi::Tables& t = acpi::tables();
    Cpu& boot = percpu::boot_cpu();
    // The cap: maxCpus from the configuration, lowered by maxcpus=N on the
    // command line (as on Linux).
    u32 cap = config::max_cpus;
    const char* cap_source = "maxCpus in oskit.config.ts";
    u32 n;
    if (cmdline::get_u32("maxcpus", &n) && n >= 1 && n < cap) {
        cap = n;
        cap_source = "maxcpus= on the command line";
    }
    if (!t.has_madt || !x86::lapic::active())
        return { 1, 1, cap };
    // Start order: the MADT's CPUs but the boot CPU. smp_test_dead_cpu=ID
    // puts a CPU that does not exist first, so tests see the timeout path
    // report it and the real CPUs start after it.
    u32 order[array_size(t.madt.cpus) + 1];
    u32 order_count = 0;
    u32 dead;
    if (cmdline::get_u32("smp_test_dead_cpu", &dead)) {
        order[order_count++] = dead;
        log_warn("smp: smp_test_dead_cpu: also starting APIC id %u, which does not exist", dead);
    }
    for (u32 i = 0; i < t.madt.cpu_count; i++) {
        if (t.madt.cpus[i].apic_id != boot.apic_id)
            order[order_count++] = t.madt.cpus[i].apic_id;
    }
    u32 listed = order_count + 1; // and the boot CPU
    u32 expected = min(listed, cap);
    if (listed > cap)
        log_warn("smp: %u CPUs listed; using %u (%s)", listed, cap, cap_source);
    if (expected <= 1)
        return { 1, 1, cap };

    s_ap_main = ap_main;
    choose_init_delay();
    if (vmm::kernel_space().root >= 4 * GiB)
        panic("smp: kernel page tables above 4 GiB cannot be loaded by the trampoline");
    memcpy(phys_to_virt(TRAMPOLINE_BASE), trampoline_start, trampoline_end - trampoline_start);
    // The trampoline turns paging on while running at its physical address.
    // Writable too: the CPU may write to its GDT (Accessed bits).
    if (vmm::map_page(vmm::kernel_space(), TRAMPOLINE_BASE, TRAMPOLINE_BASE, vmm::Exec | vmm::Write).is_error())
        panic("smp: cannot identity-map the trampoline");

    u32 next_id = 1;
    for (u32 i = 0; i < order_count && next_id < expected; i++) {
        u32 apic_id = order[i];
        Cpu* cpu = new (std::nothrow) Cpu {};
        auto stack = alloc_stack_top(KERNEL_STACK_PAGES);
        bool ist_ok = true;
        for (int k = 0; k < 3; k++) {
            auto ist = alloc_stack_top(x86::IST_STACK_SIZE / PAGE_SIZE);
            ist_ok &= !ist.is_error();
            s_ist_tops[next_id][k] = ist_ok ? ist.value() : 0;
        }
        if (!cpu || stack.is_error() || !ist_ok)
            panic("smp: out of memory starting CPU %u", next_id);
        cpu->self = cpu;
        cpu->id = next_id;
        cpu->apic_id = apic_id;
        cpu->kernel_stack_top = stack.value();
        if (!start_cpu(*cpu, stack.value())) {
            log_error("smp: CPU with APIC id %u did not start within %lu ms; going on without it", apic_id,
                      AP_START_TIMEOUT_US / 1000);
            // Park it (INIT puts it back into wait-for-SIPI) so a late start
            // cannot run on the next CPU's trampoline data. Its memory stays
            // allocated.
            x86::lapic::send_init(apic_id);
            continue;
        }
        next_id++;
    }
    (void)vmm::unmap_page(vmm::kernel_space(), TRAMPOLINE_BASE);
    return { next_id, expected, cap };
}

} // namespace arch
