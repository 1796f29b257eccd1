#include <config.hpp>
#include <drivers/console.hpp>
#include <drivers/serial.hpp>
#include <drivers/vga.hpp>
#include <lib/spinlock.hpp>

namespace console {
namespace {
Spinlock s_lock;
bool s_panic_mode;
bool s_mid_line; // the last character written was not a newline

void serial_with_crlf(const char* text, size_t length)
{
    size_t start = 0;
    for (size_t i = 0; i < length; i++) {
        if (text[i] == '\n') {
            serial::write(text + start, i - start);
            serial::write("\r\n", 2);
            start = i + 1;
        }
    }
    serial::write(text + start, length - start);
}

void write_unlocked(const char* text, size_t length, Color color)
{
    if (length)
        s_mid_line = text[length - 1] != '\n';
    if (config::console_serial)
        serial_with_crlf(text, length);
    if (config::console_vga) {
        vga::Attribute attr = vga::Attribute::Normal;
        if (color == Color::Warning)
            attr = vga::Attribute::Warning;
        else if (color == Color::Error)
            attr = vga::Attribute::Error;
        else if (color == Color::Highlight)
            attr = vga::Attribute::Highlight;
        vga::write(text, length, attr);
    }
}
} // namespace

void init()
{
    serial::init();
    if (config::console_vga)
        vga::init();
}

void write(const char* text, size_t length, Color color)
{
    if (__atomic_load_n(&s_panic_mode, __ATOMIC_RELAXED)) {
        write_unlocked(text, length, color);
        return;
    }
    SpinlockGuard guard(s_lock);
    write_unlocked(text, length, color);
}

void write_terminal(const char* text, size_t length)
{
    SpinlockGuard guard(s_lock);
    if (length)
        s_mid_line = text[length - 1] != '\n';
    if (config::console_serial)
        serial::write(text, length);
    if (config::console_vga)
        vga::write_terminal(text, length);
}

void write_line(const char* text, size_t length, Color color)
{
    auto emit = [&] {
        // Mid-line (a program wrote a partial line): "\n+" marks the newline
        // as the kernel's (DESIGN.md, "Lines at column 0").
        if (s_mid_line)
            write_unlocked("\n+", 2, Color::Normal);
        write_unlocked(text, length, color);
        write_unlocked("\n", 1, color);
    };
    if (__atomic_load_n(&s_panic_mode, __ATOMIC_RELAXED)) {
        emit();
        return;
    }
    SpinlockGuard guard(s_lock);
    emit();
}

void start_line()
{
    if (s_mid_line)
        write_unlocked("\n", 1, Color::Normal);
}

void enter_panic_mode()
{
    __atomic_store_n(&s_panic_mode, true, __ATOMIC_SEQ_CST);
    serial::forget_fifo_room();
}

} // namespace console
