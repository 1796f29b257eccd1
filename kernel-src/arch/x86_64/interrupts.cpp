#include <arch/x86_64/interrupts.hpp>
#include <kernel/log.hpp>

namespace x86 {
namespace {
InterruptHandler s_handlers[256];
} // namespace

void set_interrupt_handler(u8 vector, InterruptHandler handler) { s_handlers[vector] = handler; }

} // namespace x86

// Called by isr_common with the saved frame; returns into interrupt_return.
extern "C" void interrupt_dispatch(InterruptFrame* frame)
{
    if (frame->vector < 32) {
        x86::handle_exception(*frame);
        return;
    }
    x86::InterruptHandler handler = x86::s_handlers[frame->vector];
    if (handler) {
        handler(*frame);
        return;
    }
    // Unclaimed vectors are logged once each; there is nothing to acknowledge.
    static bool reported[256];
    if (!reported[frame->vector]) {
        reported[frame->vector] = true;
        log_warn("irq: unexpected interrupt on vector %lu", frame->vector);
    }
}
