#pragma once
// The CMOS real-time clock (MC146818-compatible): wall-clock time at boot.
#include <lib/types.hpp>

namespace rtc {
// Seconds since 1970-01-01 00:00:00 UTC read from the RTC (which QEMU keeps
// in UTC), or 0 when the clock cannot be read consistently.
u64 read_unix_seconds();
// Days since 1970-01-01 for a civil date (proleptic Gregorian calendar).
i64 days_from_civil(i64 year, u32 month, u32 day);
} // namespace rtc
