#pragma once
// What generic process code needs from the arch about user mode: the saved
// user registers (TrapFrame), system-call registers, the signal frame, and
// the register state a new program starts with. x86-64: arch/x86_64/user.cpp.
#include <arch/arch.hpp>
#include <lib/types.hpp>

struct Thread;
struct SigInfo;
struct KernelSigaction;

namespace arch {

// Fresh registers for a program entering at `entry` with stack `sp`.
void init_user_frame(TrapFrame& frame, u64 entry, u64 sp);
// fork/clone: the child's copy of the frame returns `rax` (0).
void copy_user_frame(TrapFrame& to, const TrapFrame& from);
void set_stack_pointer(TrapFrame& frame, u64 sp);
u64 instruction_pointer(const TrapFrame& frame);
u64 stack_pointer(const TrapFrame& frame);

// System calls: the number (kept when the return value overwrites it),
// the six arguments, the return value.
bool is_syscall_frame(const TrapFrame& frame);
u64 syscall_number(const TrapFrame& frame);
void syscall_arguments(const TrapFrame& frame, u64 out[6]);
i64 syscall_result(const TrapFrame& frame);
void set_syscall_result(TrapFrame& frame, i64 value);
// Makes the interrupted system call run again on return (rewinds the
// instruction pointer and restores the number).
void restart_syscall(TrapFrame& frame);
// The frame is no longer a system call in progress (after a signal handler
// was set up, so a later restart check does not apply to it).
void forget_syscall(TrapFrame& frame);

// Pushes Linux's rt_sigframe for `sig` on the user stack (below the red
// zone) and points the frame at the handler: rdi = sig, rsi = &siginfo,
// rdx = &ucontext, return address = sa_restorer. False when the user stack
// cannot take it (the caller kills the process with SIGSEGV).
bool push_signal_frame(TrapFrame& frame, Thread& t, i32 sig, const SigInfo& info, const KernelSigaction& action,
                       u64 saved_mask);
// rt_sigreturn: restores registers, FPU state and *mask from the frame at
// the user stack pointer. False when it is unreadable or corrupt.
bool pop_signal_frame(TrapFrame& frame, Thread& t, u64* mask);

// For the one-line fault report: what the exception was.
struct FaultDescription {
    u64 vector;
    u64 error_code;
    u64 address; // CR2 for page faults
};

} // namespace arch
