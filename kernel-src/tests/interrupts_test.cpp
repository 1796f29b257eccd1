// interrupts: exceptions are raised, recognised, and execution resumes.
#include <arch/arch.hpp>
#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/interrupts.hpp>
#include <kernel/fault_catch.hpp>
#include <kernel/ktest.hpp>

namespace {

void breakpoint_resumes(KTest& t)
{
    u64 before = x86::breakpoint_count();
    volatile int after_breakpoint = 0;
    asm volatile("int3" ::: "memory");
    after_breakpoint = 1;
    KEXPECT_EQ(t, x86::breakpoint_count(), before + 1);
    KEXPECT_EQ(t, after_breakpoint, 1);
}

// RSP need not be 8-byte aligned between calls (a leaf function may move it
// by any amount: the compiler gave one test helper `subq $3, %rsp`). The
// exit path once decided SWAPGS from the low bits of the interrupted RSP
// instead of CS, so an interrupt there left the kernel running on the user
// GS base (0): the next interrupt's handler faulted, and so did every fault
// handler after it, until the recursion had overwritten the kernel's data,
// IDT included. One breakpoint per misalignment, interrupts off so that a
// broken GS base can be put back before anything needs it.
void unaligned_stack_keeps_gs_base(KTest& t)
{
    u64 flags = arch::irq_save();
    u64 gs = x86::rdmsr(x86::MSR_GS_BASE);
    u64 kernel_gs = x86::rdmsr(x86::MSR_KERNEL_GS_BASE);
    int changed = 0;
    u64 before = x86::breakpoint_count();
    asm volatile("sub $1, %%rsp\n int3\n add $1, %%rsp" ::: "memory");
    changed += x86::rdmsr(x86::MSR_GS_BASE) != gs;
    x86::wrmsr(x86::MSR_GS_BASE, gs);
    x86::wrmsr(x86::MSR_KERNEL_GS_BASE, kernel_gs);
    asm volatile("sub $2, %%rsp\n int3\n add $2, %%rsp" ::: "memory");
    changed += x86::rdmsr(x86::MSR_GS_BASE) != gs;
    x86::wrmsr(x86::MSR_GS_BASE, gs);
    x86::wrmsr(x86::MSR_KERNEL_GS_BASE, kernel_gs);
    asm volatile("sub $3, %%rsp\n int3\n add $3, %%rsp" ::: "memory");
    changed += x86::rdmsr(x86::MSR_GS_BASE) != gs;
    x86::wrmsr(x86::MSR_GS_BASE, gs);
    x86::wrmsr(x86::MSR_KERNEL_GS_BASE, kernel_gs);
    arch::irq_restore(flags);
    KEXPECT_EQ(t, x86::breakpoint_count(), before + 3);
    KEXPECT_EQ(t, changed, 0);
}

extern "C" char ud2_site[];

void invalid_opcode_caught(KTest& t)
{
    auto run = [] { asm volatile(".globl ud2_site\n ud2_site: ud2" ::: "memory"); };
    FaultInfo info;
    KEXPECT(t, fault_catch(run, &info));
    KEXPECT_EQ(t, info.vector, 6u);
    KEXPECT_EQ(t, info.rip, reinterpret_cast<u64>(ud2_site));
    // And the kernel carries on: interrupts still on, a second one caught too.
    KEXPECT(t, arch::irq_enabled());
    KEXPECT(t, fault_catch(run, &info));
}

void divide_error_caught(KTest& t)
{
    auto run = [] {
        asm volatile("xor %%ecx, %%ecx\n mov $1, %%eax\n xor %%edx, %%edx\n div %%rcx" ::: "rax", "rcx", "rdx");
    };
    FaultInfo info;
    KEXPECT(t, fault_catch(run, &info));
    KEXPECT_EQ(t, info.vector, 0u);
}

void general_protection_caught(KTest& t)
{
    auto run = [] { (void)*reinterpret_cast<volatile u64*>(0x8000000000000000ull); };
    FaultInfo info;
    KEXPECT(t, fault_catch(run, &info));
    KEXPECT_EQ(t, info.vector, 13u);
}

void page_fault_reports_address(KTest& t)
{
    auto run = [] { *reinterpret_cast<volatile u32*>(0x1234) = 1; };
    FaultInfo info;
    KEXPECT(t, fault_catch(run, &info));
    KEXPECT_EQ(t, info.vector, 14u);
    KEXPECT_EQ(t, info.cr2, 0x1234u);
    KEXPECT_EQ(t, info.error_code & 2, 2u); // write
}

void no_fault_no_catch(KTest& t)
{
    volatile int ran = 0;
    auto run = [&ran] { ran = 1; };
    FaultInfo info;
    KEXPECT(t, !fault_catch(run, &info));
    KEXPECT_EQ(t, ran, 1);
}

} // namespace

KTEST_SUITE(interrupts, KTEST_CASE(breakpoint_resumes), KTEST_CASE(unaligned_stack_keeps_gs_base), KTEST_CASE(invalid_opcode_caught),
            KTEST_CASE(divide_error_caught), KTEST_CASE(general_protection_caught),
            KTEST_CASE(page_fault_reports_address), KTEST_CASE(no_fault_no_catch));
