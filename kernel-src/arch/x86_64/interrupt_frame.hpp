#pragma once
// The register frame built by interrupt_entry.S (lowest address first).
#include <lib/types.hpp>

struct InterruptFrame {
    u64 r15, r14, r13, r12, r11, r10, r9, r8;
    u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
    u64 vector, error_code;
    u64 rip, cs, rflags, rsp, ss; // pushed by the CPU
};
static_assert(sizeof(InterruptFrame) == 22 * 8);
