#pragma once
// The local APIC (Intel SDM vol. 3A, ch. 11): xAPIC through uncached MMIO, or
// x2APIC through MSRs when the CPU has it. Timer, EOI and IPIs.
#include <lib/types.hpp>

namespace x86::lapic {

// Maps the registers (xAPIC) and picks the mode; call once on the boot CPU.
void init(u64 phys_base);
// Enables the calling CPU's APIC in the chosen mode (spurious vector, task
// priority 0, LINT pins per the MADT NMI entries).
void enable_this_cpu();
bool x2apic_mode();
// True once init() has run: interrupts are delivered through the APICs.
bool active();
u32 id();
void eoi();

// Inter-processor interrupts (ICR). Destinations are APIC ids.
void send_fixed(u32 apic_id, u8 vector);
void send_fixed_all_but_self(u8 vector);
void send_nmi_all_but_self();
void send_init(u32 apic_id);
void send_startup(u32 apic_id, u8 page);

// Timer: counts per second at divide-by-16, measured against the TSC.
u64 measure_timer_hz();
void start_periodic_timer(u8 vector, u32 initial_count);
u32 timer_current_count();

} // namespace x86::lapic
