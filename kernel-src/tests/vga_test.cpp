// vga: the text console (F2): characters and colours land in the text
// buffer, lines wrap and scroll, and the hardware cursor follows.
#include <arch/x86_64/cpu.hpp>
#include <config.hpp>
#include <drivers/vga.hpp>
#include <kernel/ktest.hpp>
#include <lib/string.hpp>

namespace {

using vga::Attribute;

// The text at (row, 0..length) and whether every cell has `attr`.
bool row_is(int row, const char* text, Attribute attr)
{
    for (int c = 0; text[c]; c++) {
        u16 cell = vga::cell(row, c);
        if ((cell & 0xFF) != static_cast<u8>(text[c]) || (cell >> 8) != static_cast<u8>(attr))
            return false;
    }
    return true;
}

// Cursor position programmed into the CRT controller (registers 0x0E/0x0F).
int hardware_cursor()
{
    x86::outb(0x3D4, 0x0E);
    int high = x86::inb(0x3D5);
    x86::outb(0x3D4, 0x0F);
    return (high << 8) | x86::inb(0x3D5);
}

void write(const char* s, Attribute attr) { vga::write(s, strlen(s), attr); }

// Puts the cursor on the last row, column 0, whatever was printed before.
void to_bottom()
{
    for (int i = 0; i < vga::ROWS; i++)
        write("\n", Attribute::Normal);
}

bool vga_present(KTest& t)
{
    if (!config::console_vga)
        t.skip("the VGA console is off in oskit.config.ts");
    return config::console_vga;
}

void text_and_colour(KTest& t)
{
    if (!vga_present(t))
        return;
    to_bottom();
    write("oskit vga line\n", Attribute::Highlight);
    // The newline on the last row scrolled: the text is one row up.
    KEXPECT(t, row_is(vga::ROWS - 2, "oskit vga line", Attribute::Highlight));
    KEXPECT_EQ(t, vga::cursor_row(), vga::ROWS - 1);
    KEXPECT_EQ(t, vga::cursor_column(), 0);
    write("warning", Attribute::Warning);
    KEXPECT(t, row_is(vga::ROWS - 1, "warning", Attribute::Warning));
    KEXPECT_EQ(t, vga::cursor_column(), 7);
    write("\n", Attribute::Normal);
}

void scrolls_up(KTest& t)
{
    if (!vga_present(t))
        return;
    to_bottom();
    write("first\n", Attribute::Normal);
    write("second\n", Attribute::Error);
    KEXPECT(t, row_is(vga::ROWS - 3, "first", Attribute::Normal));
    KEXPECT(t, row_is(vga::ROWS - 2, "second", Attribute::Error));
    // The new last row is blank.
    KEXPECT_EQ(t, vga::cell(vga::ROWS - 1, 0), static_cast<u16>(' ' | (static_cast<u16>(Attribute::Normal) << 8)));
}

void wraps_long_lines(KTest& t)
{
    if (!vga_present(t))
        return;
    to_bottom();
    char line[vga::COLUMNS + 6];
    for (int i = 0; i < vga::COLUMNS + 5; i++)
        line[i] = static_cast<char>('a' + i % 26);
    line[vga::COLUMNS + 5] = 0;
    write(line, Attribute::Normal);
    // 80 characters filled the last row and scrolled it up; 5 are on the new one.
    KEXPECT_EQ(t, vga::cell(vga::ROWS - 2, vga::COLUMNS - 1) & 0xFF, static_cast<u16>(line[vga::COLUMNS - 1]));
    KEXPECT_EQ(t, vga::cell(vga::ROWS - 1, 0) & 0xFF, static_cast<u16>(line[vga::COLUMNS]));
    KEXPECT_EQ(t, vga::cursor_column(), 5);
    write("\b\bXY", Attribute::Normal);
    KEXPECT_EQ(t, vga::cell(vga::ROWS - 1, 3) & 0xFF, static_cast<u16>('X'));
    write("\n", Attribute::Normal);
}

void hardware_cursor_follows(KTest& t)
{
    if (!vga_present(t))
        return;
    to_bottom();
    write("abc", Attribute::Normal);
    KEXPECT_EQ(t, hardware_cursor(), (vga::ROWS - 1) * vga::COLUMNS + 3);
    write("\n", Attribute::Normal);
    KEXPECT_EQ(t, hardware_cursor(), (vga::ROWS - 1) * vga::COLUMNS);
}

} // namespace

KTEST_SUITE(vga, KTEST_CASE(text_and_colour), KTEST_CASE(scrolls_up), KTEST_CASE(wraps_long_lines),
            KTEST_CASE(hardware_cursor_follows));
