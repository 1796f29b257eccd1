// Deliberate faults for the kernel's tests (the `fault` program and
// usertests). Each is written in assembly where the compiler could otherwise
// change it (a C null dereference may become a trap instruction). The signal
// each one must end with is Linux's: the CPU exception maps to a signal as
// arch/x86/kernel/traps.c and fault.c do it.
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "ulib.h"

const char *const fault_kinds[] = {"kernel-write", "null", "hlt", "ud2", "div0", "stack", "exec-data", "cli", NULL};

int fault_expected_signal(const char *kind) {
  if (strcmp(kind, "ud2") == 0) return SIGILL;   // #UD
  if (strcmp(kind, "div0") == 0) return SIGFPE;  // #DE
  for (int i = 0; fault_kinds[i]; i++) {
    // #PF on a kernel, unmapped, guard or NX page, and #GP for a privileged
    // instruction at CPL 3 (hlt, cli), are all SIGSEGV.
    if (strcmp(kind, fault_kinds[i]) == 0) return SIGSEGV;
  }
  return 0;
}

// The bottom of the kernel image on oskit and of Linux's kernel text mapping.
#define KERNEL_ADDRESS 0xffffffff80000000ul

// One `ret` in a writable, non-executable data page.
static unsigned char data_code[64] __attribute__((aligned(64))) = {0xc3};

// Recurse until the stack guard: each frame holds 1 KiB the compiler cannot drop,
// and the work after the call keeps it from becoming a loop.
static __attribute__((noinline)) unsigned recurse(volatile unsigned char *below, unsigned depth) {
  volatile unsigned char frame[1024];
  frame[0] = (unsigned char)(below ? below[0] + 1 : 0);
  if (depth == UINT32_MAX) return frame[0];
  return recurse(frame, depth + 1) + frame[0];
}

int fault_trigger(const char *kind) {
  if (strcmp(kind, "kernel-write") == 0) {
    __asm__ volatile("movl $1, (%0)" ::"r"(KERNEL_ADDRESS) : "memory");
  } else if (strcmp(kind, "null") == 0) {
    uint32_t v;
    __asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(0ul) : "memory");
    (void)v;
  } else if (strcmp(kind, "hlt") == 0) {
    __asm__ volatile("hlt");
  } else if (strcmp(kind, "ud2") == 0) {
    __asm__ volatile("ud2");
  } else if (strcmp(kind, "div0") == 0) {
    __asm__ volatile("xorl %%ecx, %%ecx\n\tmovl $1, %%eax\n\tcltd\n\tidivl %%ecx" ::: "eax", "ecx", "edx");
  } else if (strcmp(kind, "stack") == 0) {
    return (int)recurse(NULL, 0) & 0;
  } else if (strcmp(kind, "exec-data") == 0) {
    void (*fn)(void) = (void (*)(void))(uintptr_t)data_code;
    fn();
  } else if (strcmp(kind, "cli") == 0) {
    __asm__ volatile("cli");
  } else {
    return -1;
  }
  return 0;
}
