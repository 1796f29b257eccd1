// CMOS RTC registers (MC146818A datasheet; the PC's ports 0x70/0x71):
// 0x00 seconds, 0x02 minutes, 0x04 hours, 0x07 day, 0x08 month, 0x09 year,
// 0x0A status A (bit 7: update in progress), 0x0B status B (bit 2: binary,
// bit 1: 24-hour), 0x32 century (the ACPI FADT's usual century register).
#include <arch/x86_64/cpu.hpp>
#include <drivers/rtc.hpp>

namespace rtc {
namespace {
u8 read_register(u8 reg)
{
    x86::outb(0x70, reg);
    return x86::inb(0x71);
}

struct Reading {
    u8 second, minute, hour, day, month, year, century;
    bool operator==(const Reading&) const = default;
};

Reading read_once()
{
    while (read_register(0x0A) & 0x80) {
    }
    return { read_register(0x00), read_register(0x02), read_register(0x04), read_register(0x07),
             read_register(0x08), read_register(0x09), read_register(0x32) };
}

u32 from_bcd(u8 v) { return (v & 0x0F) + (v >> 4) * 10; }
} // namespace

i64 days_from_civil(i64 y, u32 m, u32 d)
{
    // Howard Hinnant's algorithm (public domain description of the
    // proleptic Gregorian calendar arithmetic).
    y -= m <= 2;
    i64 era = (y >= 0 ? y : y - 399) / 400;
    u32 yoe = static_cast<u32>(y - era * 400);
    u32 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    u32 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<i64>(doe) - 719468;
}

u64 read_unix_seconds()
{
    // Read until two readings agree, so an update between registers
    // cannot mix two times.
    Reading a = read_once(), b;
    for (int tries = 0; tries < 8; tries++) {
        b = read_once();
        if (a == b)
            break;
        a = b;
    }
    if (!(a == b))
        return 0;
    u8 status_b = read_register(0x0B);
    bool binary = status_b & 0x04;
    bool hour24 = status_b & 0x02;
    bool pm = a.hour & 0x80;
    u32 hour = a.hour & 0x7F;
    auto conv = [binary](u8 v) { return binary ? static_cast<u32>(v) : from_bcd(v); };
    hour = conv(static_cast<u8>(hour));
    if (!hour24) {
        hour %= 12;
        if (pm)
            hour += 12;
    }
    u32 century = a.century ? conv(a.century) : 20;
    if (century < 19 || century > 30)
        century = 20;
    i64 year = century * 100 + conv(a.year);
    u32 month = conv(a.month), day = conv(a.day);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23)
        return 0;
    i64 days = days_from_civil(year, month, day);
    return static_cast<u64>(days * 86400 + hour * 3600 + conv(a.minute) * 60 + conv(a.second));
}

} // namespace rtc
