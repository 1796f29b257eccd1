#pragma once
// The console: fans text out to the configured outputs (COM1, VGA text) under
// one lock, so a write is never split by another CPU's write.
#include <lib/types.hpp>

namespace console {
enum class Color { Normal, Warning, Error, Highlight };
void init();
// Kernel text (the log, reports): newlines become CR LF on the serial line.
void write(const char* text, size_t length, Color color);
// A terminal's output (already processed by its line discipline): bytes go
// to the serial line unchanged, and the VGA screen interprets ANSI escape
// sequences.
void write_terminal(const char* text, size_t length);
// Writes a whole line (text without its newline) starting at column 0: a
// newline first when the output stopped mid-line (user programs write
// partial lines), so kernel lines never glue onto other text.
void write_line(const char* text, size_t length, Color color);
// A plain newline if the output stopped mid-line (crash reports start on a
// line of their own). Lock-free: for the panic path.
void start_line();
// After a panic: writes no longer take the lock (its holder may be the CPU
// that crashed), so the report always gets out.
void enter_panic_mode();
} // namespace console
