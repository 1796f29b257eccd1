#include <arch/x86_64/ioapic.hpp>
#include <drivers/acpi/acpi.hpp>
#include <kernel/log.hpp>
#include <mm/vmm.hpp>

namespace x86::ioapic {
namespace {

constexpr u32 REG_VERSION = 0x01;
constexpr u32 REG_REDIRECTION = 0x10; // entry n: 0x10 + 2n (low), +1 (high)
constexpr u64 ENTRY_MASKED = 1 << 16;
constexpr u64 ENTRY_LEVEL = 1 << 15;
constexpr u64 ENTRY_ACTIVE_LOW = 1 << 13;

struct Chip {
    volatile u32* regs; // IOREGSEL at 0x00, IOWIN at 0x10
    u32 gsi_base;
    u32 inputs;
};

Chip s_chips[8];
u32 s_chip_count;

u32 read(Chip& c, u32 reg)
{
    c.regs[0] = reg;
    return c.regs[4];
}

void write(Chip& c, u32 reg, u32 value)
{
    c.regs[0] = reg;
    c.regs[4] = value;
}

Chip* chip_for(u32 gsi, u32* input)
{
    for (u32 i = 0; i < s_chip_count; i++) {
        Chip& c = s_chips[i];
        if (gsi >= c.gsi_base && gsi < c.gsi_base + c.inputs) {
            *input = gsi - c.gsi_base;
            return &c;
        }
    }
    return nullptr;
}

const acpi::InterruptOverride* override_for(u8 irq)
{
    const acpi::Madt& m = acpi::tables().madt;
    for (u32 i = 0; i < m.override_count; i++) {
        if (m.overrides[i].isa_irq == irq)
            return &m.overrides[i];
    }
    return nullptr;
}

} // namespace

bool init()
{
    const acpi::Madt& m = acpi::tables().madt;
    for (u32 i = 0; i < m.io_apic_count && s_chip_count < 8; i++) {
        auto mapped = vmm::map_mmio(m.io_apics[i].address, 0x20);
        if (mapped.is_error()) {
            log_warn("ioapic: cannot map I/O APIC %u at 0x%lx", m.io_apics[i].id, m.io_apics[i].address);
            continue;
        }
        Chip& c = s_chips[s_chip_count++];
        c.regs = static_cast<volatile u32*>(mapped.value());
        c.gsi_base = m.io_apics[i].gsi_base;
        c.inputs = ((read(c, REG_VERSION) >> 16) & 0xFF) + 1;
        for (u32 n = 0; n < c.inputs; n++) {
            write(c, REG_REDIRECTION + 2 * n, ENTRY_MASKED);
            write(c, REG_REDIRECTION + 2 * n + 1, 0);
        }
        log_info("ioapic: I/O APIC %u at 0x%lx, GSIs %u-%u", m.io_apics[i].id, m.io_apics[i].address, c.gsi_base,
                 c.gsi_base + c.inputs - 1);
    }
    return s_chip_count > 0;
}

u32 gsi_for_isa_irq(u8 irq)
{
    const acpi::InterruptOverride* o = override_for(irq);
    return o ? o->gsi : irq;
}

bool route_isa_irq(u8 irq, u8 vector, u32 apic_id, bool masked)
{
    // ISA defaults: active high, edge triggered, GSI = IRQ (ACPI 5.2.12.5).
    const acpi::InterruptOverride* o = override_for(irq);
    u32 gsi = o ? o->gsi : irq;
    u32 input;
    Chip* c = chip_for(gsi, &input);
    if (!c)
        return false;
    u64 entry = vector;
    if (o && o->active_low)
        entry |= ENTRY_ACTIVE_LOW;
    if (o && o->level_triggered)
        entry |= ENTRY_LEVEL;
    if (masked)
        entry |= ENTRY_MASKED;
    write(*c, REG_REDIRECTION + 2 * input + 1, apic_id << 24);
    write(*c, REG_REDIRECTION + 2 * input, static_cast<u32>(entry));
    return true;
}

void set_masked(u8 irq, bool masked)
{
    u32 input;
    Chip* c = chip_for(gsi_for_isa_irq(irq), &input);
    if (!c)
        return;
    u32 low = read(*c, REG_REDIRECTION + 2 * input);
    write(*c, REG_REDIRECTION + 2 * input, masked ? (low | ENTRY_MASKED) : (low & ~static_cast<u32>(ENTRY_MASKED)));
}

} // namespace x86::ioapic
