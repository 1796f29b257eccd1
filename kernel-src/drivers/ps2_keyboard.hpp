#pragma once
// The PS/2 keyboard on the 8042 controller (IRQ 1), scancode set 1 (the
// controller translates): keys become the bytes a VT100-style terminal
// sends (arrows as ESC [ A.., Home/End/Delete/PgUp/PgDn as ESC sequences,
// Ctrl+letter as control characters, Alt as an ESC prefix, Backspace DEL).
#include <lib/types.hpp>

namespace ps2_keyboard {
// Sets up the controller and delivers typed bytes to `on_input` from IRQ 1.
// False when there is no controller.
bool init(void (*on_input)(const char* bytes, size_t n));
// Decoding, separate for tests: one scancode in, the bytes it types out
// (returns how many, up to 8).
size_t translate(u8 scancode, char out[8]);
void reset_state();
} // namespace ps2_keyboard
