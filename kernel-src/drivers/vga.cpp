#include <arch/x86_64/cpu.hpp>
#include <drivers/vga.hpp>
#include <mm/layout.hpp>

namespace vga {
namespace {
constexpr u64 TEXT_BUFFER_PHYS = 0xB8000;
// CRT controller index/data ports and cursor location registers
// (IBM VGA technical reference, CRTC registers 0x0E/0x0F).
constexpr u16 CRTC_INDEX = 0x3D4;
constexpr u16 CRTC_DATA = 0x3D5;

int s_row;
int s_column;

volatile u16* buffer() { return reinterpret_cast<volatile u16*>(phys_to_virt(TEXT_BUFFER_PHYS)); }

void update_cursor()
{
    u16 pos = static_cast<u16>(s_row * COLUMNS + s_column);
    x86::outb(CRTC_INDEX, 0x0F);
    x86::outb(CRTC_DATA, pos & 0xFF);
    x86::outb(CRTC_INDEX, 0x0E);
    x86::outb(CRTC_DATA, pos >> 8);
}

void scroll()
{
    volatile u16* b = buffer();
    for (int i = 0; i < (ROWS - 1) * COLUMNS; i++)
        b[i] = b[i + COLUMNS];
    for (int i = (ROWS - 1) * COLUMNS; i < ROWS * COLUMNS; i++)
        b[i] = static_cast<u16>(' ') | (static_cast<u16>(Attribute::Normal) << 8);
    s_row = ROWS - 1;
}

void newline()
{
    s_column = 0;
    if (++s_row == ROWS)
        scroll();
}
} // namespace

void init()
{
    volatile u16* b = buffer();
    for (int i = 0; i < ROWS * COLUMNS; i++)
        b[i] = static_cast<u16>(' ') | (static_cast<u16>(Attribute::Normal) << 8);
    s_row = 0;
    s_column = 0;
    update_cursor();
}

void write(const char* text, size_t length, Attribute attr)
{
    volatile u16* b = buffer();
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        if (c == '\n') {
            newline();
        } else if (c == '\r') {
            s_column = 0;
        } else if (c == '\b') {
            if (s_column > 0)
                s_column--;
        } else if (c == '\t') {
            do
                write(" ", 1, attr);
            while (s_column % 8);
        } else {
            b[s_row * COLUMNS + s_column] = static_cast<u8>(c) | (static_cast<u16>(attr) << 8);
            if (++s_column == COLUMNS)
                newline();
        }
    }
    update_cursor();
}

u16 cell(int row, int column) { return buffer()[row * COLUMNS + column]; }
int cursor_row() { return s_row; }
int cursor_column() { return s_column; }

} // namespace vga
