#pragma once
// The way back to ring 3: every return from the kernel to a user thread
// (after a system call, an interrupt or an exception) passes through
// exit_to_user(), which reschedules when due and delivers pending signals
// (which may rewrite the frame, or end the process).
#include <arch/arch.hpp>

namespace proc {
void exit_to_user(TrapFrame& frame);
} // namespace proc
