#pragma once
// The console: fans text out to the configured outputs (COM1, VGA text) under
// one lock, so a write is never split by another CPU's write.
#include <lib/types.hpp>

namespace console {
enum class Color { Normal, Warning, Error, Highlight };
void init();
void write(const char* text, size_t length, Color color);
// After a panic: writes no longer take the lock (its holder may be the CPU
// that crashed), so the report always gets out.
void enter_panic_mode();
} // namespace console
