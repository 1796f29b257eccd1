#pragma once
// System-call dispatch (see dispatch.cpp).
#include <arch/arch.hpp>

namespace syscall {
// Reads trace_syscalls from the command line.
void init();
// Runs the system call the frame describes and stores its result in it.
void handle(TrapFrame& frame);
} // namespace syscall
