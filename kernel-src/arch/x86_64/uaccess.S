/*
 * User-memory copy routines (kernel/uaccess.hpp). Each may fault on a user
 * address; the page-fault handler first tries to resolve the fault (demand
 * paging, copy-on-write) and, when it cannot, resumes at the routine's fixup
 * entry found in uaccess_table, which reports the fault to the caller.
 *
 * SMAP: each routine runs between stac and clac. Both are 3-byte
 * instructions that fault on CPUs without SMAP, so they are assembled as
 * 3-byte NOPs and listed in smap_patch_sites; arch set-up patches them into
 * stac/clac when it enables SMAP (arch/x86_64/smap.cpp).
 */
#include "smap.inc"

    .section .text

/* size_t arch_user_copy(void* dst, const void* src, size_t n): bytes NOT copied. */
    .global arch_user_copy
arch_user_copy:
    STAC
    mov %rdx, %rcx
copy_start:
    rep movsb
copy_end:
    CLAC
    mov %rcx, %rax
    ret
copy_fixup:
    CLAC
    mov %rcx, %rax              /* rep movsb leaves the remaining count in rcx */
    ret

/* size_t arch_user_clear(void* dst, size_t n): bytes NOT cleared. */
    .global arch_user_clear
arch_user_clear:
    STAC
    mov %rsi, %rcx
    xor %eax, %eax
clear_start:
    rep stosb
clear_end:
    CLAC
    mov %rcx, %rax
    ret
clear_fixup:
    CLAC
    mov %rcx, %rax
    ret

/*
 * i64 arch_user_strncpy(char* dst, const char* src, size_t limit): the
 * string's length when a NUL comes within limit bytes (copied with it),
 * limit when none does, -1 on a fault.
 */
    .global arch_user_strncpy
arch_user_strncpy:
    STAC
    xor %eax, %eax
strncpy_start:
2:  cmp %rdx, %rax
    jae 3f
    movb (%rsi,%rax), %cl
    movb %cl, (%rdi,%rax)
    test %cl, %cl
    jz 3f
    inc %rax
    jmp 2b
strncpy_end:
3:  CLAC
    ret
strncpy_fixup:
    CLAC
    mov $-1, %rax
    ret

/* Fault ranges [start, end) and where to resume: searched by uaccess::fixup_for. */
    .section .rodata
    .align 8
    .global uaccess_table, uaccess_table_end
uaccess_table:
    .quad copy_start, copy_end, copy_fixup
    .quad clear_start, clear_end, clear_fixup
    .quad strncpy_start, strncpy_end, strncpy_fixup
uaccess_table_end:

    .section .note.GNU-stack, "", @progbits
