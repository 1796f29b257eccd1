/*
 * Thread switching. arch_switch_context(u64* save_rsp, u64 next_rsp) pushes
 * the callee-saved registers (SysV ABI: rbx, rbp, r12-r15) on the current
 * stack, stores rsp into *save_rsp, loads next_rsp and pops the next thread's
 * registers; its `ret` returns to wherever that thread called
 * arch_switch_context, or, for a new thread, to arch_thread_start.
 *
 * A new thread's stack is laid out by arch::prepare_thread_stack: six zero
 * registers with r12 = function and r13 = argument, then the return address
 * arch_thread_start, which calls function(argument) (it never returns).
 */
    .section .text
    .global arch_switch_context
arch_switch_context:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, (%rdi)
    mov %rsi, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret

    .global arch_thread_start
arch_thread_start:
    mov %r13, %rdi
    xor %ebp, %ebp              /* the backtrace ends here */
    call *%r12
    ud2

/*
 * [[noreturn]] void arch_enter_user(TrapFrame* frame): leave the kernel
 * through the interrupt return path with the registers in *frame (which
 * sits at the top of the thread's kernel stack).
 */
    .global arch_enter_user
arch_enter_user:
    mov %rdi, %rsp
    jmp interrupt_return

    .section .note.GNU-stack, "", @progbits
