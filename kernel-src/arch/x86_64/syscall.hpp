#pragma once
// System-call entry on x86-64: the `syscall` instruction (STAR/LSTAR/FMASK,
// arch/x86_64/syscall_entry.S) and the `int $0x80` gate both build the same
// InterruptFrame and dispatch the same table (syscall/dispatch.cpp). The
// frame's vector says which way the call came in; its error-code slot keeps
// the system-call number (Linux's orig_ax), or ~0 when the frame is not a
// system call in progress.
#include <lib/types.hpp>

namespace x86 {
constexpr u64 VECTOR_SYSCALL_INSTRUCTION = 0x100; // not a real vector: marks `syscall` frames

// Programs STAR, LSTAR and FMASK and enables SYSCALL (EFER.SCE) on this CPU.
void init_syscall_msrs();
} // namespace x86
