#pragma once
// 16550 UART on COM1, polled output.
#include <lib/types.hpp>

namespace serial {
void init();
void write(const char* text, size_t length);
// Returns a received byte, or -1 when none is waiting.
int read_byte();
} // namespace serial
