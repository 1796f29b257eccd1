#include <config.hpp>
#include <drivers/console.hpp>
#include <drivers/serial.hpp>
#include <drivers/vga.hpp>
#include <lib/spinlock.hpp>

namespace console {
namespace {
Spinlock s_lock;
bool s_panic_mode;

void write_unlocked(const char* text, size_t length, Color color)
{
    if (config::console_serial)
        serial::write(text, length);
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

void enter_panic_mode() { __atomic_store_n(&s_panic_mode, true, __ATOMIC_SEQ_CST); }

} // namespace console
