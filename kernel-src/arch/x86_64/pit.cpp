#include <arch/arch.hpp>
#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/pit.hpp>

namespace x86 {
namespace {
constexpr u16 CHANNEL0 = 0x40;
constexpr u16 CHANNEL2 = 0x42;
constexpr u16 COMMAND = 0x43;
constexpr u16 GATE_PORT = 0x61; // bit 0: channel 2 gate, bit 5: channel 2 output

// Programs channel 2 in mode 0 (interrupt on terminal count) with `count`.
void channel2_oneshot(u16 count)
{
    u8 gate = inb(GATE_PORT);
    outb(GATE_PORT, (gate & ~0x02) & ~0x01); // gate low, speaker off
    outb(COMMAND, 0xB0);                     // channel 2, lobyte/hibyte, mode 0, binary
    outb(CHANNEL2, count & 0xFF);
    outb(CHANNEL2, count >> 8);
    outb(GATE_PORT, (inb(GATE_PORT) & ~0x02) | 0x01); // gate high: count starts
}

bool channel2_done() { return inb(GATE_PORT) & 0x20; }
} // namespace

void pit_start_periodic(u32 hz)
{
    u32 divisor = PIT_HZ / hz;
    if (divisor > 0xFFFF)
        divisor = 0xFFFF;
    outb(COMMAND, 0x34); // channel 0, lobyte/hibyte, mode 2 (rate generator)
    outb(CHANNEL0, divisor & 0xFF);
    outb(CHANNEL0, divisor >> 8);
}

u16 pit_count_for_us(u32 us)
{
    u64 count = static_cast<u64>(PIT_HZ) * us / 1000000;
    return static_cast<u16>(count > 0xFFFF ? 0xFFFF : count == 0 ? 1 : count);
}

void pit_wait_count(u16 count)
{
    channel2_oneshot(count);
    while (!channel2_done())
        arch::cpu_relax();
}

u64 pit_measure_tsc_hz()
{
    u64 cycles = pit_calibrate([](u16 count) {
        u64 start = arch::read_timestamp();
        pit_wait_count(count);
        return arch::read_timestamp() - start;
    });
    return cycles * PIT_HZ / pit_count_for_us(CALIBRATION_WINDOW_US);
}

} // namespace x86
