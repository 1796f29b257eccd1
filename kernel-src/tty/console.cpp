// The console terminal: COM1 and the PS/2 keyboard feed it, the console
// (COM1 and the VGA screen) shows its output.
#include <drivers/console.hpp>
#include <drivers/ps2_keyboard.hpp>
#include <drivers/serial.hpp>
#include <kernel/log.hpp>
#include <tty/tty.hpp>

namespace tty {
namespace {
void output(const char* text, size_t length) { console::write_terminal(text, length); }
Tty s_console("console", output);
void on_input(const char* bytes, size_t n) { s_console.receive(bytes, n); }
} // namespace

Tty& console() { return s_console; }

void init()
{
    register_devices();
    serial::enable_input_interrupt(on_input);
    bool keyboard = ps2_keyboard::init(on_input);
    log_info("tty: console on COM1 (interrupt-driven input)%s and the VGA screen",
             keyboard ? ", the PS/2 keyboard (IRQ 1, scancode set 1)" : "");
}
} // namespace tty
