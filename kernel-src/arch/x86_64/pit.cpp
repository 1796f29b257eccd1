#include <arch/arch.hpp>
#include <arch/x86_64/calibrate.hpp>
#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/pit.hpp>

namespace x86 {
namespace {
constexpr u16 CHANNEL0 = 0x40;
constexpr u16 CHANNEL2 = 0x42;
constexpr u16 COMMAND = 0x43;
constexpr u16 GATE_PORT = 0x61; // bit 0: channel 2 gate, bit 5: channel 2 output

// Starts channel 2 counting down from 0xFFFF in mode 0 (interrupt on
// terminal count): 55 ms until its output goes high.
void channel2_start()
{
    u8 gate = inb(GATE_PORT);
    outb(GATE_PORT, (gate & ~0x02) & ~0x01); // gate low, speaker off
    outb(COMMAND, 0xB0);                     // channel 2, lobyte/hibyte, mode 0, binary
    outb(CHANNEL2, 0xFF);
    outb(CHANNEL2, 0xFF);
    outb(GATE_PORT, (inb(GATE_PORT) & ~0x02) | 0x01); // gate high: count starts
}

// The current count of channel 2 (latched, so both bytes are of one moment).
u64 channel2_count()
{
    outb(COMMAND, 0x80); // counter latch, channel 2
    u8 low = inb(CHANNEL2);
    u8 high = inb(CHANNEL2);
    return static_cast<u64>(high) << 8 | low;
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

u64 pit_measure_tsc_hz()
{
    // Channel 2 against the TSC, bracketed at both ends and extended until
    // precise enough (calibrate.hpp): 2 to 4 ms. A run that reaches
    // terminal count (55 ms: a long pause of the host) starts again.
    channel2_start();
    auto elapsed = [](u64 from, u64 to) { return to < from ? from - to : 0; };
    auto past_limit = [](u64 counts) {
        if (channel2_done() || counts > 0xC000) {
            channel2_start();
            return true;
        }
        return false;
    };
    CounterSpan m = measure_against_tsc(channel2_count, elapsed, 1, past_limit);
    return m.counts ? m.tsc_cycles * PIT_HZ / m.counts : 0;
}

} // namespace x86
