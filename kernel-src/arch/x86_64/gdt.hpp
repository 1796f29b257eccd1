#pragma once
// GDT and TSS, one pair per CPU.
//
// The order of the segments is fixed by SYSCALL/SYSRET (Intel SDM vol. 2B,
// SYSRET): STAR[63:48] = USER_CS32, and SYSRET loads CS = STAR[63:48] + 16
// and SS = STAR[63:48] + 8, so user data must follow user code 32 and precede
// user code 64.
#include <lib/types.hpp>

namespace x86 {

constexpr u16 KERNEL_CS = 0x08;
constexpr u16 KERNEL_DS = 0x10;
constexpr u16 USER_CS32 = 0x18;
constexpr u16 USER_DS = 0x20 | 3;
constexpr u16 USER_CS = 0x28 | 3;
constexpr u16 TSS_SELECTOR = 0x30;

// Interrupt stack table slots (1-based, as the IDT gate's IST field wants).
constexpr u8 IST_NMI = 1;
constexpr u8 IST_DOUBLE_FAULT = 2;
constexpr u8 IST_MACHINE_CHECK = 3;
constexpr usize IST_STACK_SIZE = 16 * 1024;

struct [[gnu::packed]] Tss {
    u32 reserved0;
    u64 rsp[3];
    u64 reserved1;
    u64 ist[7];
    u64 reserved2;
    u16 reserved3;
    u16 iomap_base;
};
static_assert(sizeof(Tss) == 104);

// Loads this CPU's GDT and TSS. ist_tops[i] is the top of the stack for IST
// slot i+1. Reloads every segment register (CS through a far return).
void gdt_init_cpu(u32 cpu_id, const u64 ist_tops[3]);

// Stack the CPU switches to on an interrupt from ring 3 (TSS.RSP0).
void tss_set_kernel_stack(u32 cpu_id, u64 rsp0);

// Bottom and top of the IST stack slot `ist` (1-based) of CPU cpu_id, for
// reports that say which stack a handler runs on.
bool ist_contains(u32 cpu_id, u64 address, u8* ist_out);

} // namespace x86
