#pragma once
// I/O APICs (Intel 82093AA datasheet): legacy ISA IRQs routed to local APIC
// vectors, honouring the MADT interrupt source overrides.
#include <lib/types.hpp>

namespace x86::ioapic {

// Maps every I/O APIC in the MADT and masks all their inputs.
bool init();
// Routes ISA IRQ `irq` to `vector` on the CPU with `apic_id`, masked or not.
// Returns false when no I/O APIC serves the IRQ's GSI.
bool route_isa_irq(u8 irq, u8 vector, u32 apic_id, bool masked);
void set_masked(u8 irq, bool masked);
// The global system interrupt the ISA IRQ arrives on (after overrides).
u32 gsi_for_isa_irq(u8 irq);

} // namespace x86::ioapic
