// Boot-CPU set-up behind the arch boundary.
#include <arch/arch.hpp>
#include <arch/x86_64/apic.hpp>
#include <arch/x86_64/clock_rates.hpp>
#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/ioapic.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/idt.hpp>
#include <arch/x86_64/interrupts.hpp>
#include <arch/x86_64/pic.hpp>
#include <arch/x86_64/pit.hpp>
#include <arch/x86_64/smap.hpp>
#include <arch/x86_64/fpu.hpp>
#include <arch/x86_64/syscall.hpp>
#include <syscall/dispatch.hpp>
#include <kernel/log.hpp>
#include <drivers/acpi/acpi.hpp>
#include <kernel/percpu.hpp>
#include <kernel/smp.hpp>
#include <kernel/time.hpp>
#include <proc/sched.hpp>
#include <lib/string.hpp>

namespace {
// The boot CPU's IST stacks live in .bss so a double fault is caught even
// before the allocators exist. Other CPUs get theirs from the PMM.
alignas(16) u8 s_boot_ist[3][x86::IST_STACK_SIZE];

void (*s_isa_handlers[16])();
bool s_apic_mode;

void on_isa_irq(InterruptFrame& frame)
{
    u8 irq = static_cast<u8>(frame.vector - x86::VECTOR_IRQ_BASE);
    if (s_isa_handlers[irq])
        s_isa_handlers[irq]();
    if (s_apic_mode)
        x86::lapic::eoi();
    else
        x86::pic_eoi(irq);
}

u32 s_apic_initial_count;
u64 s_apic_timer_hz;
const char* s_timer_source = "none";
Atomic<u64> s_pit_interrupts { 0 };

// The tick on CPU 0 also advances global time; every CPU's tick drives its
// scheduler (time slices, CPU time, sleep deadlines).
void count_tick(const InterruptFrame& frame)
{
    Cpu* cpu = this_cpu();
    cpu->ticks.fetch_add(1, __ATOMIC_RELAXED);
    if (cpu->id == 0)
        time::tick();
    sched::tick((frame.cs & 3) != 0);
}

void on_pit_tick_8259(InterruptFrame& frame)
{
    s_pit_interrupts.fetch_add(1, __ATOMIC_RELAXED);
    x86::pic_eoi(0);
    count_tick(frame);
}

void on_apic_timer(InterruptFrame& frame)
{
    x86::lapic::eoi();
    count_tick(frame);
}

void on_reschedule_ipi(InterruptFrame&)
{
    x86::lapic::eoi();
    sched::on_reschedule_ipi();
}

// In APIC mode the PIT only runs for calibration and the routing test.
void on_pit_through_ioapic(InterruptFrame&)
{
    s_pit_interrupts.fetch_add(1, __ATOMIC_RELAXED);
    x86::lapic::eoi();
}

void on_call_ipi(InterruptFrame&)
{
    x86::lapic::eoi();
    smp::run_queued_calls();
}

void on_apic_error(InterruptFrame&)
{
    log_warn("apic: error interrupt on CPU %u", this_cpu()->id);
    x86::lapic::eoi();
}

// int $0x80: the same table as the syscall instruction (the seed's
// software-interrupt interface; Linux uses it for 32-bit programs, here it
// takes 64-bit numbers and registers).
void on_int80(InterruptFrame& frame)
{
    frame.error_code = frame.rax; // orig_ax, as the syscall entry keeps it
    arch::irq_enable();
    syscall::handle(frame);
    arch::irq_disable();
}

// Spurious interrupts need no EOI (Intel SDM vol. 3A, 11.9).
void on_spurious(InterruptFrame&) {}

bool apic_usable()
{
    const acpi::Tables& t = acpi::tables();
    return t.has_madt && t.madt.io_apic_count > 0 && (x86::cpuid(1).edx & (1 << 9));
}

void start_apic_timers(u32 hz)
{
    x86::pic_init();
    x86::pic_mask_all();
    x86::lapic::init(acpi::tables().madt.local_apic_address);
    Cpu& cpu = *this_cpu();
    cpu.apic_id = x86::lapic::id();
    x86::lapic::enable_this_cpu();
    x86::ioapic::init();
    // Legacy devices: PIT (IRQ 0, on GSI 2 on most machines), keyboard
    // (IRQ 1), COM1 (IRQ 4). Masked until a driver wants them.
    x86::ioapic::route_isa_irq(0, x86::VECTOR_IRQ_BASE + 0, cpu.apic_id, true);
    x86::ioapic::route_isa_irq(1, x86::VECTOR_IRQ_BASE + 1, cpu.apic_id, true);
    x86::ioapic::route_isa_irq(4, x86::VECTOR_IRQ_BASE + 4, cpu.apic_id, true);
    x86::set_interrupt_handler(x86::VECTOR_IRQ_BASE + 0, on_pit_through_ioapic);
    x86::set_interrupt_handler(x86::VECTOR_APIC_TIMER, on_apic_timer);
    x86::set_interrupt_handler(x86::VECTOR_IPI_CALL, on_call_ipi);
    x86::set_interrupt_handler(x86::VECTOR_IPI_RESCHEDULE, on_reschedule_ipi);
    x86::set_interrupt_handler(x86::VECTOR_APIC_ERROR, on_apic_error);
    x86::set_interrupt_handler(x86::VECTOR_SPURIOUS, on_spurious);

    // The bus rate from CPUID when stated (clock_rates.hpp), else measured.
    const x86::ClockRates& stated = x86::stated_clock_rates();
    s_apic_timer_hz = stated.apic_bus_hz ? stated.apic_bus_hz / 16 : x86::lapic::measure_timer_hz();
    s_apic_initial_count = static_cast<u32>(s_apic_timer_hz / hz);
    x86::pit_start_periodic(hz);
    x86::lapic::start_periodic_timer(x86::VECTOR_APIC_TIMER, s_apic_initial_count);
    s_timer_source = "local APIC timer";
    s_apic_mode = true;
    log_info("timer: local APIC timer at %lu kHz (after divide-by-16; %s), %u counts per tick",
             s_apic_timer_hz / 1000, stated.apic_bus_hz ? stated.source : "measured against the TSC",
             s_apic_initial_count);
}

} // namespace

namespace x86 {
u64 pit_interrupt_count() { return s_pit_interrupts.load(); }
} // namespace x86

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
    x86::fpu::init_boot_cpu();
    x86::protect_kernel_from_user_pages_boot_cpu();
    x86::init_syscall_msrs();
    x86::set_interrupt_handler(x86::VECTOR_SYSCALL, on_int80);
}

void start_timer(u32 hz)
{
    if (apic_usable()) {
        start_apic_timers(hz);
    } else {
        log_warn("timer: no usable APIC description; PIT through the 8259 on one CPU");
        x86::pic_init();
        x86::set_interrupt_handler(x86::VECTOR_IRQ_BASE + 0, on_pit_tick_8259);
        x86::pit_start_periodic(hz);
        x86::pic_unmask(0);
        s_timer_source = "PIT";
    }
    irq_enable();
}

void start_local_timer()
{
    x86::lapic::start_periodic_timer(x86::VECTOR_APIC_TIMER, s_apic_initial_count);
}

const char* timer_source() { return s_timer_source; }

void install_isa_irq(u8 irq, void (*handler)())
{
    s_isa_handlers[irq] = handler;
    x86::set_interrupt_handler(static_cast<u8>(x86::VECTOR_IRQ_BASE + irq), on_isa_irq);
    if (s_apic_mode)
        x86::ioapic::set_masked(irq, false);
    else
        x86::pic_unmask(irq);
}

void send_call_interrupt(const Cpu& target) { x86::lapic::send_fixed(target.apic_id, x86::VECTOR_IPI_CALL); }

void send_reschedule_interrupt(const Cpu& target)
{
    if (x86::lapic::active())
        x86::lapic::send_fixed(target.apic_id, x86::VECTOR_IPI_RESCHEDULE);
}

void stop_other_cpus()
{
    if (x86::lapic::active() && percpu::count() > 1)
        x86::lapic::send_nmi_all_but_self();
}

void flush_tlb_page(u64 virt) { x86::invlpg(virt); }

bool under_hypervisor() { return x86::cpuid(1).ecx & (1u << 31); }

// Linux reports CPUID.1:EDX as AT_HWCAP on x86.
u64 user_hwcap() { return x86::cpuid(1).edx; }

void log_cpu_identity()
{
    char vendor[13];
    auto v = x86::cpuid(0);
    memcpy(vendor + 0, &v.ebx, 4);
    memcpy(vendor + 4, &v.edx, 4);
    memcpy(vendor + 8, &v.ecx, 4);
    vendor[12] = 0;
    char brand[49];
    const char* b = x86::brand_string(brand);
    auto f1 = x86::cpuid(1);
    auto f7 = x86::cpuid(7);
    auto e1 = x86::cpuid(0x80000001);
    log_info("cpu: %s \"%s\"%s%s%s%s%s%s", vendor, b, (e1.edx & (1 << 20)) ? " nx" : "",
             (f1.ecx & (1 << 21)) ? " x2apic" : "", (f7.ebx & (1 << 7)) ? " smep" : "",
             (f7.ebx & (1 << 20)) ? " smap" : "", (f1.ecx & (1 << 26)) ? " xsave" : "",
             (e1.edx & (1 << 26)) ? " 1g-pages" : "");
    log_info("cpu: timestamp counter at %lu MHz (%s)", time::timestamp_hz() / 1000000, timestamp_hz_source());
}

} // namespace arch
