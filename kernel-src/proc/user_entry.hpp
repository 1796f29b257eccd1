#pragma once
// The way back to ring 3: every return from the kernel to a user thread
// (after a system call, an interrupt or an exception) passes through
// exit_to_user(), which reschedules when due and delivers pending signals
// (which may rewrite the frame, or end the process).
#include <arch/arch.hpp>

#include <mm/address_space.hpp>

namespace proc {
void exit_to_user(TrapFrame& frame);
// A page fault on a user address (from ring 3, or from a kernel user-copy
// routine): resolved in the current address space. OutOfMemory has already
// queued SIGKILL for the process.
vm::FaultResult handle_page_fault(u64 address, bool write, bool exec, bool user_mode);
} // namespace proc
