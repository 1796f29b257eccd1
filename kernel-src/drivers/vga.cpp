// VGA text mode, and a small terminal emulator on it for programs' output:
// the ANSI/VT100 sequences shells, line editors and `ls --color` use (ECMA-48
// CSI: SGR colours, cursor movement and positioning, erase in display and
// line, insert/delete characters and lines, save/restore cursor).
#include <arch/x86_64/cpu.hpp>
#include <drivers/vga.hpp>
#include <mm/layout.hpp>

namespace vga {
namespace {
constexpr u64 TEXT_BUFFER_PHYS = 0xB8000;
// CRT controller index/data ports and cursor location registers
// (IBM VGA technical reference, CRTC registers 0x0A, 0x0E/0x0F).
constexpr u16 CRTC_INDEX = 0x3D4;
constexpr u16 CRTC_DATA = 0x3D5;
constexpr u8 NORMAL = static_cast<u8>(Attribute::Normal);

int s_row;
int s_column;
bool s_wrap_pending;   // wrote the last column: the next character wraps first
u8 s_attr = NORMAL;    // the terminal's current colours
bool s_bright, s_reverse;
u8 s_fg = 7, s_bg = 0; // VGA colour numbers
int s_saved_row, s_saved_column;
bool s_cursor_visible = true;

enum class State { Normal, Escape, Csi };
State s_state = State::Normal;
int s_params[8];
int s_param_count;
bool s_private;

volatile u16* buffer() { return reinterpret_cast<volatile u16*>(phys_to_virt(TEXT_BUFFER_PHYS)); }
u16 blank(u8 attr) { return static_cast<u16>(' ') | (static_cast<u16>(attr) << 8); }

void update_cursor()
{
    u16 pos = static_cast<u16>(s_row * COLUMNS + min(s_column, COLUMNS - 1));
    x86::outb(CRTC_INDEX, 0x0F);
    x86::outb(CRTC_DATA, pos & 0xFF);
    x86::outb(CRTC_INDEX, 0x0E);
    x86::outb(CRTC_DATA, pos >> 8);
}

void scroll_up(int top, int lines, u8 attr)
{
    volatile u16* b = buffer();
    for (int r = top; r < ROWS; r++) {
        for (int c = 0; c < COLUMNS; c++)
            b[r * COLUMNS + c] = r + lines < ROWS ? b[(r + lines) * COLUMNS + c] : blank(attr);
    }
}

void scroll_down(int top, int lines, u8 attr)
{
    volatile u16* b = buffer();
    for (int r = ROWS - 1; r >= top; r--) {
        for (int c = 0; c < COLUMNS; c++)
            b[r * COLUMNS + c] = r - lines >= top ? b[(r - lines) * COLUMNS + c] : blank(attr);
    }
}

void newline()
{
    s_column = 0;
    s_wrap_pending = false;
    if (++s_row == ROWS) {
        scroll_up(0, 1, NORMAL);
        s_row = ROWS - 1;
    }
}

void put_char(char c, u8 attr)
{
    if (s_wrap_pending)
        newline();
    buffer()[s_row * COLUMNS + s_column] = static_cast<u8>(c) | (static_cast<u16>(attr) << 8);
    if (s_column == COLUMNS - 1)
        s_wrap_pending = true;
    else
        s_column++;
}

// Control characters shared by both paths.
bool control(char c, u8 attr)
{
    switch (c) {
    case '\n':
        newline();
        return true;
    case '\r':
        s_column = 0;
        s_wrap_pending = false;
        return true;
    case '\b':
        if (s_column > 0)
            s_column--;
        s_wrap_pending = false;
        return true;
    case '\t':
        do
            put_char(' ', attr);
        while (s_column % 8 && !s_wrap_pending);
        return true;
    case '\a':
        return true;
    default:
        return false;
    }
}

void recompute_attr()
{
    // Background colours 8-15 would blink in the default VGA mode: keep 0-7.
    u8 fg = static_cast<u8>((s_fg | (s_bright ? 8 : 0)) & 0x0F);
    u8 bg = static_cast<u8>(s_bg & 0x07);
    s_attr = s_reverse ? static_cast<u8>(((fg & 0x07) << 4) | bg) : static_cast<u8>((bg << 4) | fg);
}

// ANSI colour n (0-7) as a VGA colour number.
u8 vga_colour(int n)
{
    static constexpr u8 MAP[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };
    return MAP[n & 7];
}

void select_graphic_rendition()
{
    if (s_param_count == 0)
        s_params[s_param_count++] = 0;
    for (int i = 0; i < s_param_count; i++) {
        int p = s_params[i];
        if (p == 0) {
            s_fg = 7, s_bg = 0, s_bright = false, s_reverse = false;
        } else if (p == 1) {
            s_bright = true;
        } else if (p == 2 || p == 22) {
            s_bright = false;
        } else if (p == 7) {
            s_reverse = true;
        } else if (p == 27) {
            s_reverse = false;
        } else if (p >= 30 && p <= 37) {
            s_fg = vga_colour(p - 30);
        } else if (p == 39) {
            s_fg = 7;
        } else if (p >= 40 && p <= 47) {
            s_bg = vga_colour(p - 40);
        } else if (p == 49) {
            s_bg = 0;
        } else if (p >= 90 && p <= 97) {
            s_fg = static_cast<u8>(vga_colour(p - 90) | 8);
        } else if (p >= 100 && p <= 107) {
            s_bg = static_cast<u8>(vga_colour(p - 100) | 8);
        }
    }
    recompute_attr();
}

int param(int i, int fallback) { return i < s_param_count && s_params[i] > 0 ? s_params[i] : fallback; }

void erase(int from, int to) // cells [from, to) of the screen
{
    volatile u16* b = buffer();
    for (int i = from; i < to; i++)
        b[i] = blank(s_attr);
}

void csi(char final)
{
    int here = s_row * COLUMNS + min(s_column, COLUMNS - 1);
    volatile u16* b = buffer();
    s_wrap_pending = false;
    switch (final) {
    case 'm':
        select_graphic_rendition();
        break;
    case 'A':
        s_row = max(0, s_row - param(0, 1));
        break;
    case 'B':
        s_row = min(ROWS - 1, s_row + param(0, 1));
        break;
    case 'C':
        s_column = min(COLUMNS - 1, s_column + param(0, 1));
        break;
    case 'D':
        s_column = max(0, min(s_column, COLUMNS - 1) - param(0, 1));
        break;
    case 'E':
        s_row = min(ROWS - 1, s_row + param(0, 1)), s_column = 0;
        break;
    case 'F':
        s_row = max(0, s_row - param(0, 1)), s_column = 0;
        break;
    case 'G':
        s_column = min(COLUMNS, param(0, 1)) - 1;
        break;
    case 'd':
        s_row = min(ROWS, param(0, 1)) - 1;
        break;
    case 'H':
    case 'f':
        s_row = min(ROWS, param(0, 1)) - 1;
        s_column = min(COLUMNS, param(1, 1)) - 1;
        break;
    case 'J': {
        int mode = s_param_count ? s_params[0] : 0;
        if (mode == 0)
            erase(here, ROWS * COLUMNS);
        else if (mode == 1)
            erase(0, here + 1);
        else
            erase(0, ROWS * COLUMNS);
        break;
    }
    case 'K': {
        int mode = s_param_count ? s_params[0] : 0;
        int line = s_row * COLUMNS;
        if (mode == 0)
            erase(here, line + COLUMNS);
        else if (mode == 1)
            erase(line, here + 1);
        else
            erase(line, line + COLUMNS);
        break;
    }
    case 'X':
        erase(here, min(here + param(0, 1), s_row * COLUMNS + COLUMNS));
        break;
    case 'P': { // delete characters: the rest of the line moves left
        int n = param(0, 1), line_end = s_row * COLUMNS + COLUMNS;
        for (int i = here; i < line_end; i++)
            b[i] = i + n < line_end ? b[i + n] : blank(s_attr);
        break;
    }
    case '@': { // insert blank characters
        int n = param(0, 1), line_end = s_row * COLUMNS + COLUMNS;
        for (int i = line_end - 1; i >= here; i--)
            b[i] = i - n >= here ? b[i - n] : blank(s_attr);
        break;
    }
    case 'L':
        scroll_down(s_row, param(0, 1), s_attr);
        break;
    case 'M':
        scroll_up(s_row, param(0, 1), s_attr);
        break;
    case 'S':
        scroll_up(0, param(0, 1), s_attr);
        break;
    case 'T':
        scroll_down(0, param(0, 1), s_attr);
        break;
    case 's':
        s_saved_row = s_row, s_saved_column = s_column;
        break;
    case 'u':
        s_row = s_saved_row, s_column = s_saved_column;
        break;
    case 'h':
    case 'l':
        if (s_private && param(0, 0) == 25) {
            s_cursor_visible = final == 'h';
            // Cursor start register bit 5 disables the cursor.
            x86::outb(CRTC_INDEX, 0x0A);
            u8 start = x86::inb(CRTC_DATA);
            x86::outb(CRTC_DATA, s_cursor_visible ? (start & ~0x20) : (start | 0x20));
        }
        break;
    default:
        break; // not supported: ignored, as terminals do with unknown sequences
    }
}

void terminal_char(char c)
{
    switch (s_state) {
    case State::Normal:
        if (c == 0x1b) {
            s_state = State::Escape;
        } else if (!control(c, s_attr) && static_cast<u8>(c) >= 0x20) {
            put_char(c, s_attr);
        }
        return;
    case State::Escape:
        if (c == '[') {
            s_state = State::Csi;
            s_param_count = 0;
            s_private = false;
            for (int& p : s_params)
                p = 0;
            return;
        }
        if (c == '7')
            s_saved_row = s_row, s_saved_column = s_column;
        else if (c == '8')
            s_row = s_saved_row, s_column = s_saved_column;
        else if (c == 'c') {
            s_fg = 7, s_bg = 0, s_bright = s_reverse = false;
            recompute_attr();
            erase(0, ROWS * COLUMNS);
            s_row = s_column = 0;
        }
        s_state = State::Normal;
        return;
    case State::Csi:
        if (c == '?' && s_param_count == 0 && !s_params[0]) {
            s_private = true;
        } else if (c >= '0' && c <= '9') {
            if (s_param_count == 0)
                s_param_count = 1;
            int& p = s_params[s_param_count - 1];
            p = min(p * 10 + (c - '0'), 9999);
        } else if (c == ';') {
            if (s_param_count == 0)
                s_param_count = 1;
            if (s_param_count < 8)
                s_params[s_param_count++] = 0;
        } else if (c >= 0x40 && c <= 0x7e) {
            csi(c);
            s_state = State::Normal;
        } else if (c < 0x20) {
            control(c, s_attr); // control characters act inside sequences too
        }
        return;
    }
}
} // namespace

void init()
{
    volatile u16* b = buffer();
    for (int i = 0; i < ROWS * COLUMNS; i++)
        b[i] = blank(NORMAL);
    s_row = 0;
    s_column = 0;
    s_wrap_pending = false;
    update_cursor();
}

void write(const char* text, size_t length, Attribute attr)
{
    u8 a = static_cast<u8>(attr);
    for (size_t i = 0; i < length; i++) {
        if (!control(text[i], a))
            put_char(text[i], a);
    }
    update_cursor();
}

void write_terminal(const char* text, size_t length)
{
    for (size_t i = 0; i < length; i++)
        terminal_char(text[i]);
    update_cursor();
}

u16 cell(int row, int column) { return buffer()[row * COLUMNS + column]; }
int cursor_row() { return s_row; }
int cursor_column() { return min(s_column, COLUMNS - 1); }

} // namespace vga
