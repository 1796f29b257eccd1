// Boot-CPU set-up behind the arch boundary.
#include <arch/arch.hpp>
#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/idt.hpp>
#include <arch/x86_64/interrupts.hpp>
#include <arch/x86_64/pic.hpp>
#include <arch/x86_64/pit.hpp>
#include <kernel/log.hpp>
#include <kernel/percpu.hpp>
#include <kernel/time.hpp>
#include <lib/string.hpp>

namespace {
// The boot CPU's IST stacks live in .bss so a double fault is caught even
// before the allocators exist. Other CPUs get theirs from the PMM.
alignas(16) u8 s_boot_ist[3][x86::IST_STACK_SIZE];

void enable_sse()
{
    // CR0: clear EM (bit 2), set MP (bit 1); CR4: OSFXSR (bit 9),
    // OSXMMEXCPT (bit 10) (Intel SDM vol. 3A, 13.1.4).
    x86::write_cr0((x86::read_cr0() & ~(1ull << 2)) | (1ull << 1));
    x86::write_cr4(x86::read_cr4() | (1ull << 9) | (1ull << 10));
}

void on_pit_tick(InterruptFrame&)
{
    time::tick();
    this_cpu()->ticks.fetch_add(1, __ATOMIC_RELAXED);
    x86::pic_eoi(0);
}
} // namespace

namespace arch {

void init_boot_cpu(Cpu& cpu)
{
    u64 ist_tops[3];
    for (int i = 0; i < 3; i++)
        ist_tops[i] = reinterpret_cast<u64>(s_boot_ist[i]) + x86::IST_STACK_SIZE;
    x86::gdt_init_cpu(cpu.id, ist_tops);
    x86::idt_build();
    x86::idt_load();
    set_percpu_base(&cpu);
    enable_sse();
}

void start_timer(u32 hz)
{
    x86::pic_init();
    x86::set_interrupt_handler(x86::VECTOR_IRQ_BASE + 0, on_pit_tick);
    x86::pit_start_periodic(hz);
    x86::pic_unmask(0);
    irq_enable();
}

void log_cpu_identity()
{
    char vendor[13];
    auto v = x86::cpuid(0);
    memcpy(vendor + 0, &v.ebx, 4);
    memcpy(vendor + 4, &v.edx, 4);
    memcpy(vendor + 8, &v.ecx, 4);
    vendor[12] = 0;
    char brand[49] = {};
    if (x86::cpuid(0x80000000).eax >= 0x80000004) {
        for (u32 i = 0; i < 3; i++) {
            auto r = x86::cpuid(0x80000002 + i);
            memcpy(brand + i * 16 + 0, &r.eax, 4);
            memcpy(brand + i * 16 + 4, &r.ebx, 4);
            memcpy(brand + i * 16 + 8, &r.ecx, 4);
            memcpy(brand + i * 16 + 12, &r.edx, 4);
        }
    }
    const char* b = brand;
    while (*b == ' ')
        b++;
    auto f1 = x86::cpuid(1);
    auto f7 = x86::cpuid(7);
    auto e1 = x86::cpuid(0x80000001);
    log_info("cpu: %s \"%s\"%s%s%s%s%s%s", vendor, b, (e1.edx & (1 << 20)) ? " nx" : "",
             (f1.ecx & (1 << 21)) ? " x2apic" : "", (f7.ebx & (1 << 7)) ? " smep" : "",
             (f7.ebx & (1 << 20)) ? " smap" : "", (f1.ecx & (1 << 26)) ? " xsave" : "",
             (e1.edx & (1 << 26)) ? " 1g-pages" : "");
    log_info("cpu: timestamp counter at %lu MHz", time::timestamp_hz() / 1000000);
}

} // namespace arch
