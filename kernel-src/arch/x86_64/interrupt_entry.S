/*
 * Common interrupt entry. The generated stubs (build/gen/isr_stubs.S) push an
 * error code (zero when the CPU pushes none) and the vector, then jump here.
 * We save the general registers into an InterruptFrame (arch/x86_64/
 * interrupt_frame.hpp, same order), call interrupt_dispatch(frame), restore
 * and iretq. SWAPGS when the interrupted code ran in ring 3, so GS always
 * points at the per-CPU block in the kernel.
 *
 * Stack alignment: the CPU aligns RSP to 16 before pushing its 5-word frame
 * (Intel SDM vol. 3A, 6.14.2), the stub adds 2 words and we push 15, so RSP
 * is 16-byte aligned at the call, as the SysV ABI wants.
 */
#include "smap.inc"
#include "frame.inc"
#define FRAME_CS 24      /* offset of CS above vector, error code, RIP */

    .section .text
    .global isr_common
isr_common:
    /* The interrupted code may have had RFLAGS.AC set (ring 3 can set it):
     * SMAP must hold in the handler. iretq restores the saved flags. */
    CLAC
    testb $3, FRAME_CS(%rsp)
    jz 1f
    swapgs
1:  PUSH_GPRS
    mov %rsp, %rdi
    cld
    call interrupt_dispatch
    .global interrupt_return
interrupt_return:
    POP_GPRS
    /* RSP is back at the vector, as on entry: the same offset finds CS. */
    testb $3, FRAME_CS(%rsp)
    jz 2f
    swapgs
2:  add $16, %rsp
    iretq

/*
 * int fault_catch_call(void (*fn)(void*), void* arg, FaultCatch* slot)
 *
 * Calls fn(arg) with the callee-saved registers and RSP recorded in *slot.
 * If an exception hits while the slot is armed, the exception handler rewrites
 * the interrupted frame to resume at fault_catch_landing with RSP restored,
 * which returns 1 from here; a normal return from fn returns 0. The same
 * mechanism recovers kernel accesses to user memory later.
 *
 * FaultCatch layout (kernel/fault_catch.hpp): +0 saved rsp.
 */
    .global fault_catch_call
fault_catch_call:
    push %rbp
    mov %rsp, %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    sub $8, %rsp                /* keep 16-byte alignment for the call */
    mov %rsp, (%rdx)
    mov %rdi, %rax
    mov %rsi, %rdi
    call *%rax
    xor %eax, %eax
    jmp 3f
    .global fault_catch_landing
fault_catch_landing:
    mov $1, %eax
3:  add $8, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret

    .section .note.GNU-stack, "", @progbits
