// Platform odds and ends behind the arch boundary: stopping a CPU, leaving
// the emulator, the frame-pointer backtrace, the per-CPU base.
#include <arch/arch.hpp>
#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/clock_rates.hpp>
#include <arch/x86_64/pit.hpp>
#include <mm/layout.hpp>

namespace arch {

namespace {
const char* s_timestamp_source = "not calibrated";
}

u64 measure_timestamp_hz()
{
    const x86::ClockRates& stated = x86::stated_clock_rates();
    if (stated.tsc_hz) {
        s_timestamp_source = stated.source;
        return stated.tsc_hz;
    }
    s_timestamp_source = "measured against the PIT";
    return x86::pit_measure_tsc_hz();
}

const char* timestamp_hz_source() { return s_timestamp_source; }

void stop_cpu()
{
    for (;;)
        asm volatile("cli; hlt");
}

void exit_emulator(u8 code)
{
    // QEMU isa-debug-exit at iobase 0xf4 (docs: hw/misc/debugexit.c).
    x86::outl(0xF4, code);
    stop_cpu();
}

size_t backtrace(u64 rbp, u64* out, size_t max)
{
    size_t n = 0;
    // Follow saved RBP links; only trust frames on kernel stacks (higher
    // half, aligned), so a corrupt chain ends the walk instead of faulting.
    while (n < max && rbp >= DIRECT_MAP_BASE && (rbp & 7) == 0 && rbp < ~0ull - 16) {
        u64* frame = reinterpret_cast<u64*>(rbp);
        u64 ret = frame[1];
        if (ret < KERNEL_VMA)
            break;
        out[n++] = ret;
        if (frame[0] <= rbp)
            break;
        rbp = frame[0];
    }
    return n;
}

void set_percpu_base(void* base)
{
    x86::wrmsr(x86::MSR_GS_BASE, reinterpret_cast<u64>(base));
    x86::wrmsr(x86::MSR_KERNEL_GS_BASE, 0);
}

} // namespace arch
