/*
 * The `syscall` instruction lands here (LSTAR) with interrupts off (FMASK
 * clears IF, TF, DF, AC, NT), the user's RIP in rcx and RFLAGS in r11, and
 * still on the user stack with the user's GS. We switch to the thread's
 * kernel stack through the per-CPU block and build the same InterruptFrame
 * an interrupt from ring 3 would (arch/x86_64/interrupt_frame.hpp):
 * ss, rsp, rflags, cs, rip, error code = the system-call number (orig_ax),
 * vector = 0x100, then the general registers in isr_common's order.
 *
 * syscall_can_sysret() says whether sysret may be used; otherwise (a
 * frame rewritten by exec, a signal or sigreturn, or a non-canonical RIP:
 * the SYSRET pitfall, CVE-2012-0217) we leave through iretq.
 */
#include "../../kernel/percpu_offsets.h"
#include "frame.inc"

#define USER_CS (0x28 | 3)
#define USER_DS (0x20 | 3)

    .section .text
    .global syscall_entry
syscall_entry:
    swapgs
    mov %rsp, %gs:PERCPU_SYSCALL_USER_RSP
    mov %gs:PERCPU_SYSCALL_KERNEL_RSP, %rsp
    pushq $USER_DS                      /* ss */
    pushq %gs:PERCPU_SYSCALL_USER_RSP   /* rsp */
    pushq %r11                          /* rflags */
    pushq $USER_CS                      /* cs */
    pushq %rcx                          /* rip */
    pushq %rax                          /* error code slot: orig_ax */
    pushq $0x100                        /* vector: a syscall frame */
    PUSH_GPRS
    xor %ebp, %ebp                      /* backtraces end at the user boundary */
    mov %rsp, %rdi
    cld
    call syscall_dispatch
    mov %rsp, %rdi
    call syscall_can_sysret
    test %al, %al
    jz syscall_return_iret
    POP_GPRS
    /* rsp -> vector; +16 rip, +32 rflags, +40 rsp (dispatch checked rcx == rip, r11 == rflags) */
    mov 16(%rsp), %rcx
    mov 32(%rsp), %r11
    mov 40(%rsp), %rsp
    swapgs
    sysretq

syscall_return_iret:
    jmp interrupt_return

    .section .note.GNU-stack, "", @progbits
