#include <config.hpp>
#include <drivers/console.hpp>
#include <kernel/log.hpp>
#include <kernel/time.hpp>
#include <lib/string.hpp>

namespace klog {

void vlog(Level level, const char* fmt, va_list ap)
{
    if (static_cast<int>(level) > config::log_level)
        return;
    char line[512];
    u64 ms = time::since_boot_ns() / 1000000;
    size_t n = format(line, sizeof(line), "[%5lu.%03lu] ", ms / 1000, ms % 1000);
    if (n < sizeof(line))
        n += vformat(line + n, sizeof(line) - n, fmt, ap);
    if (n > sizeof(line) - 1)
        n = sizeof(line) - 1;
    console::Color color = console::Color::Normal;
    if (level == Level::Error)
        color = console::Color::Error;
    else if (level == Level::Warn)
        color = console::Color::Warning;
    console::write_line(line, n, color);
}

void log(Level level, const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(level, fmt, ap);
    va_end(ap);
}

} // namespace klog

void kprint_line(const char* text) { console::write_line(text, strlen(text), console::Color::Normal); }

void kprint(const char* fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    size_t n = vformat(line, sizeof(line), fmt, ap);
    va_end(ap);
    console::write(line, n < sizeof(line) ? n : sizeof(line) - 1, console::Color::Normal);
}
