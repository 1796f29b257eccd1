#pragma once
// Interrupt vectors and handler registration (x86-64).
#include <arch/x86_64/interrupt_frame.hpp>
#include <lib/types.hpp>

namespace x86 {

constexpr u8 VECTOR_IRQ_BASE = 0x20;   // legacy IRQ n arrives as vector 0x20 + n
constexpr u8 VECTOR_APIC_TIMER = 0x30;
constexpr u8 VECTOR_SYSCALL = 0x80;
constexpr u8 VECTOR_IPI_CALL = 0xF0;   // run queued function calls (kernel/smp)
constexpr u8 VECTOR_IPI_RESCHEDULE = 0xF1; // a thread was queued for an idle CPU, or a signal arrived
constexpr u8 VECTOR_APIC_ERROR = 0xFE;
constexpr u8 VECTOR_SPURIOUS = 0xFF;

using InterruptHandler = void (*)(InterruptFrame& frame);

// Installs the handler for one vector (>= 32). Handlers acknowledge their
// interrupt controller themselves.
void set_interrupt_handler(u8 vector, InterruptHandler handler);

// Exceptions (vectors 0-31): report or recover, see exceptions.cpp.
void handle_exception(InterruptFrame& frame);

// PIT interrupts received (through the 8259 or the I/O APIC).
u64 pit_interrupt_count();

// Count of kernel breakpoints (#BP) taken and resumed.
u64 breakpoint_count();

} // namespace x86
