#pragma once
// Time since boot (from the calibrated timestamp counter) and the timer tick.
#include <lib/types.hpp>

namespace time {
// Measures the timestamp counter's rate; call before anything logs.
void init();
u64 timestamp_hz();
u64 since_boot_ns();
// Wall-clock time: nanoseconds since 1970-01-01 UTC (the RTC read once at
// boot, advanced by the timestamp counter; settable later).
u64 realtime_ns();
// Reads the RTC; called once while booting.
void init_realtime();
// Global tick count (the boot CPU's periodic timer at config::timer_hz).
u64 ticks();
void tick();
// Busy-waits for at least `us` microseconds (timestamp counter based).
void delay_us(u64 us);
} // namespace time
