#include <kernel/crash.hpp>
#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <lib/string.hpp>

namespace crash {
namespace {
[[gnu::noinline]] void page_fault()
{
    *reinterpret_cast<volatile u64*>(0xdead0000ull) = 1;
}
[[gnu::noinline]] void invalid_opcode() { asm volatile("ud2"); }
[[gnu::noinline]] void general_protection()
{
    // A non-canonical address raises #GP, not #PF.
    (void)*reinterpret_cast<volatile u64*>(0x8000000000000000ull);
}
[[gnu::noinline]] void divide_error()
{
    // In assembly: the compiler turns 1 / x into a comparison.
    asm volatile("xor %%ecx, %%ecx\n mov $1, %%eax\n xor %%edx, %%edx\n div %%rcx" ::: "rax", "rcx", "rdx");
}
[[gnu::noinline]] void double_fault()
{
    // A breakpoint whose frame cannot be pushed (RSP on an unmapped page)
    // raises #PF, whose frame cannot be pushed either: #DF, which runs on its
    // own IST stack.
    asm volatile("mov $0xdead0000, %%rsp\n int3" ::: "memory");
}
// Unbounded recursion: each call keeps 512 bytes live, so the thread runs
// into the guard page below its kernel stack.
[[gnu::noinline]] u64 stack_overflow(u64 depth)
{
    volatile u8 frame[512];
    frame[depth % sizeof(frame)] = static_cast<u8>(depth);
    if (frame[0] == 0xff && depth == ~0ull) // never: keeps the compiler from calling this endless
        return 0;
    return stack_overflow(depth + 1) + frame[0];
}
} // namespace

void trigger(const char* kind)
{
    log_info("crash: triggering \"%s\" as asked on the command line", kind);
    if (!strcmp(kind, "pf"))
        page_fault();
    else if (!strcmp(kind, "ud"))
        invalid_opcode();
    else if (!strcmp(kind, "gp"))
        general_protection();
    else if (!strcmp(kind, "de"))
        divide_error();
    else if (!strcmp(kind, "df"))
        double_fault();
    else if (!strcmp(kind, "stack"))
        (void)stack_overflow(0);
    else if (!strcmp(kind, "panic"))
        panic("crash=panic requested on the command line");
    log_warn("crash: unknown kind \"%s\" (pf, ud, gp, de, df, stack, panic)", kind);
}

} // namespace crash
