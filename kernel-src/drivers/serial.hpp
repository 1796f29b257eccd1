#pragma once
// COM1, the 16550 UART at port 0x3F8: the serial console.
#include <lib/types.hpp>

namespace serial {
void init();
// Writes bytes as they are (the caller does any newline translation).
void write(const char* text, size_t length);
// Forget what is known of the transmit FIFO's room, so the next byte waits
// for it to be empty (a panic writes without the console lock, after
// another CPU may have stopped mid-write).
void forget_fifo_room();
// A received byte, or -1 when none is waiting.
int read_byte();
// Delivers received bytes to `on_input` from COM1's interrupt (IRQ 4)
// instead of polling.
void enable_input_interrupt(void (*on_input)(const char* bytes, size_t n));
} // namespace serial
