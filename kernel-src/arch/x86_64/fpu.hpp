#pragma once
// FPU/SSE/AVX register state of user threads (Intel SDM vol. 1, ch. 13):
// saved with xsave where the CPU has it (fxsave otherwise) on every switch
// away from a user thread, restored when one runs. The kernel itself is
// built without SSE (-mgeneral-regs-only) and never touches these registers.
#include <lib/types.hpp>

namespace x86::fpu {
// Enables XSAVE (CR4.OSXSAVE, XCR0) and records the area size and the clean
// initial state. Boot CPU first, then each AP with init_this_cpu().
void init_boot_cpu();
void init_this_cpu();
// Bytes of one save area (64-byte aligned).
u32 area_size();
bool uses_xsave();
// The XCR0 feature bits enabled (x87, SSE, AVX when present).
u64 enabled_features();
// Saves the live registers into `area` / loads them from it.
void save(void* area);
void restore(const void* area);
// Writes the state a new program starts with (fninit, MXCSR 0x1f80, all
// vector registers zero) into `area`.
void init_area(void* area);
} // namespace x86::fpu
