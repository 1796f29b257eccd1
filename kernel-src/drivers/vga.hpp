#pragma once
// VGA text mode (80x25 at physical 0xB8000): colours, scrolling and the
// hardware cursor.
#include <lib/types.hpp>

namespace vga {
enum class Attribute : u8 {
    Normal = 0x07,    // light grey on black
    Highlight = 0x0F, // white on black
    Warning = 0x0E,   // yellow on black
    Error = 0x0C,     // light red on black
};
constexpr int COLUMNS = 80;
constexpr int ROWS = 25;

void init();
// Kernel text in one colour.
void write(const char* text, size_t length, Attribute attr);
// A program's output: ANSI escape sequences interpreted (see vga.cpp).
void write_terminal(const char* text, size_t length);
// The character at (row, column), for tests.
u16 cell(int row, int column);
int cursor_row();
int cursor_column();
} // namespace vga
