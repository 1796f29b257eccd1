/*
 * Application-processor start-up trampoline.
 *
 * smp_boot.cpp copies [trampoline_start, trampoline_end) to physical
 * TRAMPOLINE_BASE (below 1 MiB, 4 KiB aligned: the SIPI vector is its page
 * number), fills the data block at its end, and sends INIT-SIPI-SIPI. The AP
 * starts here in real mode at CS:IP = 0x0800:0000, goes through 32-bit
 * protected mode into long mode on the kernel's page tables (which identity
 * map this page during bring-up), and jumps to ap_entry(cpu) on its own stack.
 *
 * The code runs at a different address from where it is linked, so every
 * absolute reference is written as REL(label).
 */
#include "arch/x86_64/long_mode_entry.inc"

#define TRAMPOLINE_BASE 0x8000
#define REL(label) (TRAMPOLINE_BASE + (label) - trampoline_start)

    .section .rodata
    .align 16
    .global trampoline_start
    .global trampoline_end

    .code16
trampoline_start:
    cli
    cld
    xor %ax, %ax
    mov %ax, %ds
    lgdtl REL(tr_gdtr)
    mov %cr0, %eax
    or $1, %eax                             /* CR0.PE */
    mov %eax, %cr0
    ljmpl $0x08, $REL(tr_protected)

    .code32
tr_protected:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %cr4, %eax
    or $((1 << 5) | (1 << 7)), %eax         /* CR4.PAE | CR4.PGE */
    mov %eax, %cr4
    mov REL(tr_cr3), %eax
    mov %eax, %cr3
    mov $0xC0000080, %ecx                   /* EFER: LME, and NXE like the boot CPU */
    rdmsr
    or $(1 << 8), %eax
    testl $1, REL(tr_nx)
    jz 1f
    or $(1 << 11), %eax
1:  wrmsr
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16)), %eax       /* CR0.PG | CR0.WP */
    mov %eax, %cr0
    ljmp $0x18, $REL(tr_long)

    .code64
tr_long:
    load_flat_data_segments
    mov REL(tr_stack), %rsp
    mov REL(tr_cpu), %rdi
    mov REL(tr_entry), %rax
    xor %ebp, %ebp
    jmp *%rax

    /*
     * Descriptors with the Accessed bit already set: loading a segment sets
     * it otherwise, a write to this page that real CPUs (and KVM) perform
     * after paging is on. TCG does not, which hid a triple fault here.
     */
    .align 8
tr_gdt:
    .quad 0
    .quad 0x00CF9B000000FFFF                /* 0x08: 32-bit code */
    .quad 0x00CF93000000FFFF                /* 0x10: data */
    .quad 0x00AF9B000000FFFF                /* 0x18: 64-bit code */
tr_gdtr:
    .short tr_gdtr - tr_gdt - 1
    .long REL(tr_gdt)

    /* Data block, filled per AP: layout of TrampolineData in smp_boot.cpp. */
    .align 8
tr_cr3:   .quad 0
tr_stack: .quad 0
tr_entry: .quad 0
tr_cpu:   .quad 0
tr_nx:    .long 0
          .long 0
trampoline_end:

    .section .note.GNU-stack, "", @progbits
