#include <arch/arch.hpp>
#include <arch/x86_64/apic.hpp>
#include <arch/x86_64/calibrate.hpp>
#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/interrupts.hpp>
#include <arch/x86_64/pit.hpp>
#include <drivers/acpi/acpi.hpp>
#include <kernel/cmdline.hpp>
#include <kernel/fault_catch.hpp>
#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <kernel/percpu.hpp>
#include <kernel/time.hpp>
#include <mm/vmm.hpp>

namespace x86::lapic {
namespace {

// Register offsets (Intel SDM vol. 3A, table 11-1); x2APIC MSR = 0x800 + offset / 16.
constexpr u32 REG_ID = 0x20;
constexpr u32 REG_TPR = 0x80;
constexpr u32 REG_EOI = 0xB0;
constexpr u32 REG_SVR = 0xF0;
constexpr u32 REG_ESR = 0x280;
constexpr u32 REG_ICR_LOW = 0x300;
constexpr u32 REG_ICR_HIGH = 0x310;
constexpr u32 REG_LVT_TIMER = 0x320;
constexpr u32 REG_LVT_LINT0 = 0x350;
constexpr u32 REG_LVT_LINT1 = 0x360;
constexpr u32 REG_LVT_ERROR = 0x370;
constexpr u32 REG_TIMER_INITIAL = 0x380;
constexpr u32 REG_TIMER_CURRENT = 0x390;
constexpr u32 REG_TIMER_DIVIDE = 0x3E0;

constexpr u32 SVR_ENABLE = 1 << 8;
constexpr u32 LVT_MASKED = 1 << 16;
constexpr u32 LVT_PERIODIC = 1 << 17;
constexpr u32 LVT_LEVEL = 1 << 15;
constexpr u32 LVT_ACTIVE_LOW = 1 << 13;
constexpr u32 LVT_NMI = 4 << 8;
constexpr u32 ICR_DELIVERY_PENDING = 1 << 12;
constexpr u32 ICR_ASSERT = 1 << 14;
constexpr u32 ICR_NMI = 4 << 8;
constexpr u32 ICR_INIT = 5 << 8;
constexpr u32 ICR_STARTUP = 6 << 8;
constexpr u32 ICR_ALL_BUT_SELF = 3 << 18;
constexpr u32 TIMER_DIVIDE_16 = 0x3;

constexpr u64 APIC_BASE_ENABLE = 1 << 11;
constexpr u64 APIC_BASE_X2APIC = 1 << 10;

volatile u32* s_mmio;
bool s_x2apic;
bool s_active;

u32 read(u32 reg)
{
    if (s_x2apic)
        return static_cast<u32>(rdmsr(0x800 + (reg >> 4)));
    return s_mmio[reg / 4];
}

void write(u32 reg, u32 value)
{
    if (s_x2apic)
        wrmsr(0x800 + (reg >> 4), value);
    else
        s_mmio[reg / 4] = value;
}

void write_icr(u32 apic_id, u32 low)
{
    // ICR high and low are two writes: an interrupt handler sending its own
    // IPI in between would change our destination. Keep interrupts off.
    u64 flags = arch::irq_save();
    if (s_x2apic) {
        // One 64-bit MSR write; the destination is the full x2APIC id.
        wrmsr(0x830, (static_cast<u64>(apic_id) << 32) | low);
    } else {
        write(REG_ICR_HIGH, apic_id << 24);
        write(REG_ICR_LOW, low);
        while (read(REG_ICR_LOW) & ICR_DELIVERY_PENDING)
            asm volatile("pause");
    }
    arch::irq_restore(flags);
}

bool cpu_has_x2apic() { return cpuid(1).ecx & (1 << 21); }

// Switches the calling CPU to x2APIC mode; false if the CPU refuses.
bool try_enable_x2apic()
{
    auto enable = [] {
        u64 base = rdmsr(MSR_APIC_BASE);
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
        (void)rdmsr(0x802); // the x2APIC id register must be readable
    };
    FaultInfo info;
    if (fault_catch(enable, &info))
        return false;
    return rdmsr(MSR_APIC_BASE) & APIC_BASE_X2APIC;
}

void configure_lint_pins()
{
    // Virtual-wire defaults: LINT0 masked (the 8259 is masked too), LINT1 NMI.
    write(REG_LVT_LINT0, LVT_MASKED);
    write(REG_LVT_LINT1, LVT_NMI);
    // MADT Local APIC NMI entries override the polarity and trigger mode.
    const acpi::Madt& madt = acpi::tables().madt;
    Cpu* cpu = this_cpu();
    for (u32 i = 0; i < madt.nmi_count; i++) {
        const acpi::LocalApicNmi& n = madt.nmis[i];
        bool mine = n.processor_uid == 0xFFFFFFFF;
        for (u32 k = 0; k < madt.cpu_count && !mine; k++)
            mine = madt.cpus[k].apic_id == cpu->apic_id && madt.cpus[k].processor_uid == n.processor_uid;
        if (!mine || n.lint > 1)
            continue;
        u32 lvt = LVT_NMI | (n.active_low ? LVT_ACTIVE_LOW : 0) | (n.level_triggered ? LVT_LEVEL : 0);
        write(n.lint ? REG_LVT_LINT1 : REG_LVT_LINT0, lvt);
    }
}

} // namespace

void init(u64 phys_base)
{
    bool want_x2apic = cpu_has_x2apic() && !cmdline::has("nox2apic");
    if (want_x2apic && try_enable_x2apic()) {
        s_x2apic = true;
    } else {
        auto mapped = vmm::map_mmio(phys_base, PAGE_SIZE);
        if (mapped.is_error())
            panic("apic: cannot map the local APIC at 0x%lx", phys_base);
        s_mmio = static_cast<volatile u32*>(mapped.value());
        wrmsr(MSR_APIC_BASE, (rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE) & ~APIC_BASE_X2APIC);
    }
    s_active = true;
    log_info("apic: local APIC in %s mode%s", s_x2apic ? "x2APIC" : "xAPIC",
             want_x2apic && !s_x2apic ? " (x2APIC refused by the CPU)" : "");
}

void enable_this_cpu()
{
    if (s_x2apic) {
        if (!try_enable_x2apic())
            panic("apic: CPU %u refuses x2APIC mode that the boot CPU uses", this_cpu()->id);
    } else {
        wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
    }
    write(REG_TPR, 0);
    write(REG_LVT_ERROR, VECTOR_APIC_ERROR);
    write(REG_ESR, 0);
    write(REG_ESR, 0);
    configure_lint_pins();
    write(REG_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
    eoi();
}

bool x2apic_mode() { return s_x2apic; }
bool active() { return s_active; }

u32 id() { return s_x2apic ? read(REG_ID) : read(REG_ID) >> 24; }

void eoi() { write(REG_EOI, 0); }

void send_fixed(u32 apic_id, u8 vector) { write_icr(apic_id, vector | ICR_ASSERT); }

void send_fixed_all_but_self(u8 vector) { write_icr(0, vector | ICR_ASSERT | ICR_ALL_BUT_SELF); }

void send_nmi_all_but_self() { write_icr(0, ICR_NMI | ICR_ASSERT | ICR_ALL_BUT_SELF); }

void send_init(u32 apic_id) { write_icr(apic_id, ICR_INIT | ICR_ASSERT); }

void send_startup(u32 apic_id, u8 page) { write_icr(apic_id, ICR_STARTUP | ICR_ASSERT | page); }

u64 measure_timer_hz()
{
    // The TSC (calibrated first) against the timer counting down from its
    // maximum, bracketed at both ends and extended until precise enough
    // (calibrate.hpp): about 1 ms. From 0xFFFFFFFF it needs more than a
    // minute to run out.
    write(REG_TIMER_DIVIDE, TIMER_DIVIDE_16);
    write(REG_LVT_TIMER, LVT_MASKED);
    write(REG_TIMER_INITIAL, 0xFFFFFFFF);
    auto current = [] { return static_cast<u64>(read(REG_TIMER_CURRENT)); };
    auto elapsed = [](u64 from, u64 to) { return to < from ? from - to : 0; };
    auto past_limit = [](u64 counts) {
        if (counts > 0x80000000) {
            write(REG_TIMER_INITIAL, 0xFFFFFFFF);
            return true;
        }
        return false;
    };
    CounterSpan m = measure_against_tsc(current, elapsed, 1, past_limit);
    write(REG_TIMER_INITIAL, 0);
    return m.tsc_cycles ? m.counts * time::timestamp_hz() / m.tsc_cycles : 0;
}

void start_periodic_timer(u8 vector, u32 initial_count)
{
    write(REG_TIMER_DIVIDE, TIMER_DIVIDE_16);
    write(REG_LVT_TIMER, vector | LVT_PERIODIC);
    write(REG_TIMER_INITIAL, initial_count);
}

u32 timer_current_count() { return read(REG_TIMER_CURRENT); }

} // namespace x86::lapic
