#include <arch/x86_64/interrupts.hpp>
#include <arch/x86_64/cpu.hpp>
#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <proc/sched.hpp>
#include <proc/user_entry.hpp>

namespace x86 {
namespace {
InterruptHandler s_handlers[256];
} // namespace

void set_interrupt_handler(u8 vector, InterruptHandler handler) { s_handlers[vector] = handler; }

} // namespace x86

namespace {
void dispatch(InterruptFrame& frame)
{
    if (frame.vector < 32) {
        x86::handle_exception(frame);
        return;
    }
    x86::InterruptHandler handler = x86::s_handlers[frame.vector];
    if (handler) {
        handler(frame);
        return;
    }
    // Unclaimed vectors are logged once each; there is nothing to acknowledge.
    static bool reported[256];
    if (!reported[frame.vector]) {
        reported[frame.vector] = true;
        log_warn("irq: unexpected interrupt on vector %lu", frame.vector);
    }
}
} // namespace

// Called by isr_common with the saved frame; returns into interrupt_return.
extern "C" void interrupt_dispatch(InterruptFrame* frame)
{
    // The panic NMI: stop at once, touching nothing (GS may even be the
    // user's if the NMI hit the last instructions before sysret).
    if (frame->vector == 2 && panicking())
        arch::stop_cpu();
    dispatch(*frame);
    // On the way out: back to ring 3 passes through the signal and
    // reschedule checks; kernel code that had interrupts enabled may be
    // preempted.
    if (frame->cs & 3)
        proc::exit_to_user(*frame);
    else if (frame->rflags & x86::RFLAGS_IF)
        sched::preempt_if_needed();
}
