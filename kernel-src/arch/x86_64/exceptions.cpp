// CPU exceptions: recover the expected ones, report the rest and stop.
#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/interrupts.hpp>
#include <kernel/fault_catch.hpp>
#include <kernel/uaccess.hpp>
#include <proc/signal.hpp>
#include <proc/user_entry.hpp>
#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <kernel/percpu.hpp>
#include <lib/atomic.hpp>
#include <mm/stack_area.hpp>

extern "C" char fault_catch_landing[];

namespace x86 {
namespace {

struct ExceptionInfo {
    const char* mnemonic;
    const char* name;
};

// Intel SDM vol. 3A, table 6-1.
constexpr ExceptionInfo EXCEPTIONS[32] = {
    { "#DE", "divide error" },
    { "#DB", "debug" },
    { "NMI", "non-maskable interrupt" },
    { "#BP", "breakpoint" },
    { "#OF", "overflow" },
    { "#BR", "bound range exceeded" },
    { "#UD", "invalid opcode" },
    { "#NM", "device not available" },
    { "#DF", "double fault" },
    { "CSO", "coprocessor segment overrun" },
    { "#TS", "invalid TSS" },
    { "#NP", "segment not present" },
    { "#SS", "stack-segment fault" },
    { "#GP", "general protection" },
    { "#PF", "page fault" },
    { "#15", "reserved" },
    { "#MF", "x87 floating-point error" },
    { "#AC", "alignment check" },
    { "#MC", "machine check" },
    { "#XM", "SIMD floating-point exception" },
    { "#VE", "virtualization exception" },
    { "#CP", "control protection" },
    { "#22", "reserved" }, { "#23", "reserved" }, { "#24", "reserved" }, { "#25", "reserved" },
    { "#26", "reserved" }, { "#27", "reserved" },
    { "#HV", "hypervisor injection" },
    { "#VC", "VMM communication" },
    { "#SX", "security exception" },
    { "#31", "reserved" },
};

Atomic<u64> s_breakpoints { 0 };

bool has_error_code(u64 vector)
{
    switch (vector) {
    case 8: case 10: case 11: case 12: case 13: case 14: case 17: case 21: case 29: case 30:
        return true;
    default:
        return false;
    }
}

// Page-fault error code bits (Intel SDM vol. 3A, 4.7).
void describe_page_fault(u64 error, char* out, size_t size)
{
    format(out, size, "%s %s %s%s%s", (error & 1) ? "protection-violation" : "not-present",
           (error & 2) ? "write" : "read", (error & 4) ? "user" : "supervisor",
           (error & 8) ? " reserved-bit" : "", (error & 16) ? " instruction-fetch" : "");
}

// Selector error code (Intel SDM vol. 3A, 6.13).
void describe_selector_error(u64 error, char* out, size_t size)
{
    if (error == 0) {
        format(out, size, "no selector");
        return;
    }
    static const char* const tables[] = { "GDT", "IDT", "LDT", "IDT" };
    format(out, size, "%s index %lu%s", tables[(error >> 1) & 3], (error >> 3) & 0x1FFF,
           (error & 1) ? " (external)" : "");
}

[[noreturn]] void report_and_stop(InterruptFrame& f)
{
    panic_begin();
    const ExceptionInfo& info = EXCEPTIONS[f.vector];
    Cpu* cpu = this_cpu();
    u32 cpu_id = cpu ? cpu->id : 0;
    kprint("EXCEPTION: %s %s (vector %lu) on CPU %u in %s mode\n", info.mnemonic, info.name, f.vector,
           cpu_id, (f.cs & 3) ? "user" : "kernel");
    if (has_error_code(f.vector)) {
        char decoded[96];
        if (f.vector == 14)
            describe_page_fault(f.error_code, decoded, sizeof(decoded));
        else
            describe_selector_error(f.error_code, decoded, sizeof(decoded));
        kprint("  error code 0x%lx: %s\n", f.error_code, decoded);
    }
    kprint("  RIP %016lx  CS %04lx  RFLAGS %016lx\n", f.rip, f.cs, f.rflags);
    kprint("  RSP %016lx  SS %04lx\n", f.rsp, f.ss);
    if (f.vector == 14)
        kprint("  CR2 %016lx (the faulting address)\n", read_cr2());
    else if (f.vector == 8) // a #PF that could not be delivered leaves its address here
        kprint("  CR2 %016lx (the last page-fault address)\n", read_cr2());
    // A kernel thread that ran off the bottom of its stack: the push that
    // faulted hit the unmapped guard page under the stack's slot (and the
    // #PF frame could not be pushed there either: #DF on its IST stack).
    if ((f.cs & 3) == 0 && (f.vector == 8 || f.vector == 14) &&
        (stack_area::is_guard_page(read_cr2()) || stack_area::is_guard_page(f.rsp)))
        kprint("  kernel stack overflow: %016lx is in the guard page below a kernel stack\n",
               stack_area::is_guard_page(read_cr2()) ? read_cr2() : f.rsp);
    kprint("  RAX %016lx  RBX %016lx  RCX %016lx\n", f.rax, f.rbx, f.rcx);
    kprint("  RDX %016lx  RSI %016lx  RDI %016lx\n", f.rdx, f.rsi, f.rdi);
    kprint("  RBP %016lx  R8  %016lx  R9  %016lx\n", f.rbp, f.r8, f.r9);
    kprint("  R10 %016lx  R11 %016lx  R12 %016lx\n", f.r10, f.r11, f.r12);
    kprint("  R13 %016lx  R14 %016lx  R15 %016lx\n", f.r13, f.r14, f.r15);
    kprint("  CR0 %016lx  CR3 %016lx  CR4 %016lx\n", read_cr0(), read_cr3(), read_cr4());
    u64 here;
    asm volatile("mov %%rsp, %0" : "=r"(here));
    u8 ist;
    if (ist_contains(cpu_id, here, &ist))
        kprint("  handler running on IST%u stack (rsp %016lx)\n", ist, here);
    print_backtrace(f.rip, f.rbp);
    panic_end(PanicKind::Exception);
}

} // namespace

// An exception in ring 3: page faults may be resolved; everything else
// becomes the signal Linux sends for it (arch/x86/kernel/traps.c).
static void handle_user_exception(InterruptFrame& f)
{
    // CR2 first, with interrupts still off: another thread's page fault
    // (after a switch) would overwrite it.
    u64 cr2 = f.vector == 14 ? read_cr2() : 0;
    // Interrupts on while handling: resolving a fault may sleep.
    arch::irq_enable();
    i32 sig = SIGSEGV, code = SI_KERNEL;
    u64 address = 0;
    switch (f.vector) {
    case 14: {
        address = cr2;
        bool write = f.error_code & 2, exec = f.error_code & 16;
        if (address < uaccess::USER_SPACE_END) {
            vm::FaultResult r = proc::handle_page_fault(address, write, exec, true);
            if (r != vm::FaultResult::Denied) {
                arch::irq_disable();
                return; // mapped, or the process was killed (SIGKILL pending)
            }
        }
        // Not present: nothing mapped there; present: a protection violation.
        code = (f.error_code & 1) ? SEGV_ACCERR : SEGV_MAPERR;
        break;
    }
    case 0:
        sig = SIGFPE, code = FPE_INTDIV, address = f.rip;
        break;
    case 16: case 19:
        sig = SIGFPE, code = FPE_FLTINV, address = f.rip;
        break;
    case 6:
        sig = SIGILL, code = ILL_ILLOPN, address = f.rip;
        break;
    case 1: case 3:
        sig = SIGTRAP, code = TRAP_BRKPT, address = f.rip;
        break;
    case 17:
        sig = SIGBUS, code = BUS_ADRERR;
        break;
    case 11: case 12:
        sig = SIGBUS, code = SI_KERNEL;
        break;
    default:
        // #GP (privileged instructions such as hlt, cli, a bad segment),
        // and anything else unexpected from user mode.
        sig = SIGSEGV, code = SI_KERNEL;
        break;
    }
    signal::send_fault(sig, code, address);
    arch::irq_disable();
}

u64 breakpoint_count() { return s_breakpoints.load(); }

void handle_exception(InterruptFrame& f)
{
    // An armed fault catch turns any exception into a return from
    // fault_catch_call, with the callee-saved registers it stored.
    FaultCatch** armed = this_cpu() ? fault_catch_slot() : nullptr;
    if (armed && *armed && (f.cs & 3) == 0 && f.vector != 2 && f.vector != 18) {
        FaultCatch* slot = *armed;
        *armed = nullptr;
        slot->info = { f.vector, f.error_code, f.rip, f.vector == 14 ? read_cr2() : 0 };
        f.rip = reinterpret_cast<u64>(fault_catch_landing);
        f.rsp = slot->saved_rsp;
        f.cs = KERNEL_CS;
        f.ss = KERNEL_DS;
        return;
    }
    if (f.cs & 3) {
        handle_user_exception(f);
        return;
    }
    // A user copy that faulted: first try to map the page (demand paging,
    // copy-on-write), else resume at the routine's fixup, which reports
    // EFAULT to the caller. Only with interrupts on in the copying code
    // (resolving may sleep); copies never run with them off.
    u64 fixup;
    if (f.vector == 14 && uaccess::fixup_for(f.rip, &fixup)) {
        u64 address = read_cr2();
        if (address < uaccess::USER_SPACE_END && (f.rflags & RFLAGS_IF)) {
            arch::irq_enable();
            vm::FaultResult r = proc::handle_page_fault(address, f.error_code & 2, false, false);
            arch::irq_disable();
            if (r == vm::FaultResult::Mapped)
                return;
        }
        f.rip = fixup;
        return;
    }
    if (f.vector == 3 && (f.cs & 3) == 0) {
        // A kernel int3 is a trap: RIP is already past it, so just resume.
        s_breakpoints.fetch_add(1);
        log_debug("breakpoint at %016lx resumed", f.rip - 1);
        return;
    }
    report_and_stop(f);
}

} // namespace x86
