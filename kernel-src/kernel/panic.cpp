#include <arch/arch.hpp>
#include <drivers/console.hpp>
#include <kernel/exit_codes.hpp>
#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <lib/atomic.hpp>


namespace {
Atomic<u32> s_panicking { 0 };
}

bool panicking() { return s_panicking.load() != 0; }

void panic_begin()
{
    arch::irq_disable();
    // A second CPU (or a fault inside the report) must not print over the
    // first report: it stops here.
    if (s_panicking.exchange(1) != 0)
        arch::stop_cpu();
    arch::stop_other_cpus();
    console::enter_panic_mode();
    console::start_line();
}

void print_backtrace(u64 rip, u64 rbp)
{
    kprint("backtrace:\n");
    kprint("  #0 0x%016lx\n", rip);
    u64 frames[32];
    size_t n = arch::backtrace(rbp, frames, 32);
    for (size_t i = 0; i < n; i++)
        kprint("  #%lu 0x%016lx\n", i + 1, frames[i]);
}

void panic_end(PanicKind kind)
{
    kprint("end of report\n");
    UNUSED(kind);
    arch::exit_emulator(EXIT_PANIC);
}

void panic(const char* fmt, ...)
{
    panic_begin();
    char message[256];
    va_list ap;
    va_start(ap, fmt);
    vformat(message, sizeof(message), fmt, ap);
    va_end(ap);
    kprint("KERNEL PANIC: %s\n", message);
    // Start at our caller: its return address, then its caller's frame.
    auto* frame = static_cast<u64*>(__builtin_frame_address(0));
    print_backtrace(frame[1], frame[0]);
    panic_end(PanicKind::Panic);
}
