// SYSCALL/SYSRET set-up (Intel SDM vol. 2B, SYSCALL and SYSRET; vol. 3A,
// 5.8.8) and the return-path check the entry code asks for.
#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/interrupt_frame.hpp>
#include <arch/x86_64/syscall.hpp>
#include <kernel/uaccess.hpp>

extern "C" char syscall_entry[];

namespace x86 {

void init_syscall_msrs()
{
    constexpr u64 EFER_SCE = 1;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    // STAR[47:32]: kernel CS (SS = +8); STAR[63:48]: user CS32 base, so
    // SYSRET loads CS = +16 (user code 64) and SS = +8 (user data).
    wrmsr(MSR_STAR, (static_cast<u64>(USER_CS32) << 48) | (static_cast<u64>(KERNEL_CS) << 32));
    wrmsr(MSR_LSTAR, reinterpret_cast<u64>(syscall_entry));
    // Cleared on entry: TF (8), IF (9), DF (10), NT (14), AC (18).
    wrmsr(MSR_FMASK, (1u << 8) | (1u << 9) | (1u << 10) | (1u << 14) | (1u << 18));
}

} // namespace x86

// True when the frame can go back through sysret: a plain user frame whose
// rcx/r11 hold its rip/rflags (sysret takes them from there) and whose rip
// is canonical and below the last user page.
extern "C" bool syscall_can_sysret(const InterruptFrame& f)
{
    constexpr u64 FLAG_TF = 1 << 8, FLAG_RF = 1 << 16;
    return f.cs == x86::USER_CS && f.ss == x86::USER_DS && f.rcx == f.rip && f.r11 == f.rflags &&
           f.rip < uaccess::USER_SPACE_END && !(f.rflags & (FLAG_TF | FLAG_RF));
}
