/*
 * Multiboot2 entry: 32-bit protected mode -> long mode -> higher half.
 *
 * GRUB enters _start in 32-bit protected mode, paging off, with EAX holding
 * the Multiboot2 magic and EBX the physical address of the boot information
 * (Multiboot2 spec, section 3.3 "I386 machine state"). We check the magic and
 * that the CPU has long mode, build early page tables, enable PAE + LME + PG,
 * and jump to kernel_entry in the higher half. The early tables map the first
 * 4 GiB three times: identity (so this code keeps running), at the direct-map
 * base 0xFFFF800000000000, and the first 1 GiB at KERNEL_VMA. The kernel's
 * own page tables (mm/vmm) replace them once memory is known.
 */

#include "arch/x86_64/long_mode_entry.inc"

#define KERNEL_VMA      0xFFFFFFFF80000000
#define MB2_MAGIC       0xE85250D6
#define MB2_BOOT_MAGIC  0x36D76289

#define PTE_P   (1 << 0)
#define PTE_W   (1 << 1)
#define PTE_PS  (1 << 7)

    .section .multiboot2, "a"
    .align 8
mb2_header:
    .long MB2_MAGIC
    .long 0                                 /* architecture: i386 protected mode */
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
    /* end tag */
    .align 8
    .short 0
    .short 0
    .long 8
mb2_header_end:

    .section .boot.bss, "aw", @nobits
    .align 4096
early_pml4:     .skip 4096
early_pdpt_low: .skip 4096
early_pdpt_high:.skip 4096
early_pd:       .skip 4096 * 4              /* 4 x 512 x 2 MiB = first 4 GiB */
early_stack:    .skip 4096
early_stack_top:

    .section .boot.data, "aw"
    .align 16
early_gdt:
    /* Accessed bits preset, so loading a segment never writes here. */
    .quad 0
    .quad 0x00AF9B000000FFFF                /* 0x08: 64-bit code, DPL0 */
    .quad 0x00CF93000000FFFF                /* 0x10: data, DPL0 */
early_gdt_end:
early_gdtr:
    .short early_gdt_end - early_gdt - 1
    .quad early_gdt

    .section .boot.text, "ax"
    .code32
    .global _start
_start:
    cli
    cld
    mov $early_stack_top, %esp
    mov %eax, %edi                          /* magic -> first C++ argument */
    mov %ebx, %esi                          /* boot info -> second argument */

    cmp $MB2_BOOT_MAGIC, %eax
    jne .Lno_multiboot

    /* CPUID leaf 0x80000001 EDX bit 29: long mode (Intel SDM vol. 2A, CPUID). */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb .Lno_long_mode
    mov $0x80000001, %eax
    cpuid
    test $(1 << 29), %edx
    jz .Lno_long_mode
    mov %edx, %ebp                          /* keep EDX: bit 20 is NX */

    /* Zero the early tables (GRUB zeroes NOBITS, but be independent of it). */
    push %edi
    mov $early_pml4, %edi
    mov $((early_stack - early_pml4) / 4), %ecx
    xor %eax, %eax
    rep stosl
    pop %edi

    /* PD entries: 2048 x 2 MiB identity pages covering 0..4 GiB. */
    mov $early_pd, %ebx
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax                           /* low 32 bits of ecx * 2 MiB */
    or $(PTE_P | PTE_W | PTE_PS), %eax
    mov %eax, (%ebx, %ecx, 8)
    mov %ecx, %eax
    shr $11, %eax                           /* high bits: ecx * 2 MiB >> 32 */
    mov %eax, 4(%ebx, %ecx, 8)
    inc %ecx
    cmp $2048, %ecx
    jne 1b

    /* PDPT low: 4 entries -> the 4 PDs. */
    mov $early_pdpt_low, %ebx
    mov $early_pd, %eax
    or $(PTE_P | PTE_W), %eax
    mov %eax, 0(%ebx)
    add $4096, %eax
    mov %eax, 8(%ebx)
    add $4096, %eax
    mov %eax, 16(%ebx)
    add $4096, %eax
    mov %eax, 24(%ebx)

    /* PDPT high: entry 510 (0xFFFFFFFF80000000) -> first PD (0..1 GiB). */
    mov $early_pdpt_high, %ebx
    mov $early_pd, %eax
    or $(PTE_P | PTE_W), %eax
    mov %eax, 510 * 8(%ebx)

    /* PML4: 0 (identity), 256 (direct map), 511 (kernel image). */
    mov $early_pml4, %ebx
    mov $early_pdpt_low, %eax
    or $(PTE_P | PTE_W), %eax
    mov %eax, 0(%ebx)
    mov %eax, 256 * 8(%ebx)
    mov $early_pdpt_high, %eax
    or $(PTE_P | PTE_W), %eax
    mov %eax, 511 * 8(%ebx)

    mov %ebx, %cr3

    /* CR4.PAE (bit 5), CR4.PGE (bit 7). */
    mov %cr4, %eax
    or $((1 << 5) | (1 << 7)), %eax
    mov %eax, %cr4

    /* EFER (MSR 0xC0000080): LME (bit 8), NXE (bit 11) when the CPU has NX. */
    mov $0xC0000080, %ecx
    rdmsr
    or $(1 << 8), %eax
    test $(1 << 20), %ebp
    jz 2f
    or $(1 << 11), %eax
2:  wrmsr

    /* CR0.PG (31) | WP (16) | PE (0). */
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16) | 1), %eax
    mov %eax, %cr0

    lgdt early_gdtr
    ljmp $0x08, $long_mode_low

.Lno_multiboot:
    mov $msg_no_multiboot, %esi
    jmp .Lfatal
.Lno_long_mode:
    mov $msg_no_long_mode, %esi
.Lfatal:
    /* Write the message to the VGA text buffer (white on red) and stop. */
    mov $0xB8000, %edi
    mov $0x4F, %ah
3:  lodsb
    test %al, %al
    jz 4f
    stosw
    jmp 3b
4:  hlt
    jmp 4b

    .code64
long_mode_low:
    load_flat_data_segments
    movabs $long_mode_high, %rax
    jmp *%rax

msg_no_multiboot: .asciz "oskit: not started by a Multiboot2 loader"
msg_no_long_mode: .asciz "oskit: this CPU has no 64-bit long mode"

    .section .text
long_mode_high:
    movabs $boot_stack_top, %rsp
    xor %ebp, %ebp
    /* rdi = magic, rsi = boot info physical address (zero-extended). */
    mov %edi, %edi
    mov %esi, %esi
    call kernel_main
5:  cli
    hlt
    jmp 5b

    .section .bss
    .align 16
    .global boot_stack_bottom
boot_stack_bottom:
    .skip 65536
    .global boot_stack_top
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
