// tty: the line discipline on a terminal whose output is captured —
// canonical lines, echo, erase/kill/word-erase, end of file, raw mode,
// CR to NL, output processing, the window-size escape; the PS/2 scancode
// decoding; the VGA terminal's escape sequences.
#include <drivers/ps2_keyboard.hpp>
#include <drivers/vga.hpp>
#include <kernel/ktest.hpp>
#include <lib/string.hpp>
#include <tty/tty.hpp>

namespace {

char s_out[1024];
size_t s_out_len;
void capture(const char* text, size_t n)
{
    for (size_t i = 0; i < n && s_out_len < sizeof(s_out) - 1; i++)
        s_out[s_out_len++] = text[i];
    s_out[s_out_len] = 0;
}
void reset_output()
{
    s_out_len = 0;
    s_out[0] = 0;
}

// Reads what is ready (non-blocking) into buf as a C string.
size_t read_now(tty::Tty& t, char* buf, size_t size)
{
    auto r = t.read(IoBuffer::kernel(buf, size - 1), true);
    size_t n = r.is_error() ? 0 : r.value();
    buf[n] = 0;
    return n;
}

void type(tty::Tty& t, const char* s) { t.receive(s, strlen(s)); }

void canonical_lines_and_echo(KTest& t)
{
    tty::Tty term("test", capture);
    reset_output();
    char buf[64];
    type(term, "hel");
    KEXPECT_EQ(t, term.readable(), 0u); // no line yet
    type(term, "lo\r");                 // Enter sends CR; ICRNL makes it NL
    KEXPECT_STREQ(t, s_out, "hello\r\n"); // echoed, NL as CR NL (ONLCR)
    KEXPECT_EQ(t, read_now(term, buf, sizeof(buf)), 6u);
    KEXPECT_STREQ(t, buf, "hello\n");
    // Two lines: one read returns one line.
    type(term, "a\rbc\r");
    KEXPECT_EQ(t, read_now(term, buf, sizeof(buf)), 2u);
    KEXPECT_STREQ(t, buf, "a\n");
    KEXPECT_EQ(t, read_now(term, buf, sizeof(buf)), 3u);
    KEXPECT_STREQ(t, buf, "bc\n");
}

void erase_kill_and_word_erase(KTest& t)
{
    tty::Tty term("test", capture);
    char buf[64];
    reset_output();
    type(term, "abc\x7f\x7f" "d\r"); // DEL twice
    KEXPECT_EQ(t, read_now(term, buf, sizeof(buf)), 3u);
    KEXPECT_STREQ(t, buf, "ad\n");
    KEXPECT(t, strstr(s_out, "\b \b") != nullptr);
    type(term, "garbage\x15ok\r"); // ^U kills the line
    read_now(term, buf, sizeof(buf));
    KEXPECT_STREQ(t, buf, "ok\n");
    type(term, "one two\x17three\r"); // ^W erases "two"
    read_now(term, buf, sizeof(buf));
    KEXPECT_STREQ(t, buf, "one three\n");
    type(term, "x\x08y\r"); // ^H erases too
    read_now(term, buf, sizeof(buf));
    KEXPECT_STREQ(t, buf, "y\n");
}

void end_of_file(KTest& t)
{
    tty::Tty term("test", capture);
    char buf[64];
    type(term, "partial\x04"); // ^D sends the line without a newline
    KEXPECT_EQ(t, read_now(term, buf, sizeof(buf)), 7u);
    KEXPECT_STREQ(t, buf, "partial");
    type(term, "\x04"); // ^D on an empty line: a read returns 0 (end of file)
    auto r = term.read(IoBuffer::kernel(buf, sizeof(buf)), true);
    KEXPECT(t, !r.is_error() && r.value() == 0);
    // ... once: the next read has nothing (EAGAIN when non-blocking).
    auto again = term.read(IoBuffer::kernel(buf, sizeof(buf)), true);
    KEXPECT(t, again.is_error() && again.error().code() == EAGAIN);
}

void control_characters_echo_as_caret(KTest& t)
{
    tty::Tty term("test", capture);
    reset_output();
    type(term, "\x01\r"); // ^A
    KEXPECT_STREQ(t, s_out, "^A\r\n");
}

void raw_mode(KTest& t)
{
    tty::Tty term("test", capture);
    tty::Termios raw = tty::default_termios();
    raw.lflag &= ~(tty::ICANON | tty::ECHO);
    raw.cc[tty::VMIN] = 1;
    // TCSETS takes a user pointer: use the kernel path through a local copy.
    term.apply_termios(raw, false);
    reset_output();
    char buf[16];
    type(term, "\x1b[A");
    KEXPECT_EQ(t, read_now(term, buf, sizeof(buf)), 3u); // no line needed, no echo
    KEXPECT_EQ(t, buf[2], 'A');
    KEXPECT_EQ(t, s_out_len, 0u);
    type(term, "\x7f");
    KEXPECT_EQ(t, read_now(term, buf, sizeof(buf)), 1u); // DEL is data in raw mode
    KEXPECT_EQ(t, static_cast<u8>(buf[0]), 0x7fu);
}

void partial_line_survives_switch_to_raw(KTest& t)
{
    tty::Tty term("test", capture);
    type(term, "ab");
    tty::Termios raw = tty::default_termios();
    raw.lflag &= ~tty::ICANON;
    term.apply_termios(raw, false);
    char buf[8];
    KEXPECT_EQ(t, read_now(term, buf, sizeof(buf)), 2u);
    KEXPECT_STREQ(t, buf, "ab");
}

void output_processing(KTest& t)
{
    tty::Tty term("test", capture);
    reset_output();
    char text[] = "a\nb";
    KASSERT_TRUE(t, !term.write(IoBuffer::kernel(text, 3)).is_error());
    KEXPECT_STREQ(t, s_out, "a\r\nb");
    tty::Termios noopost = tty::default_termios();
    noopost.oflag &= ~tty::OPOST;
    term.apply_termios(noopost, false);
    reset_output();
    KASSERT_TRUE(t, !term.write(IoBuffer::kernel(text, 3)).is_error());
    KEXPECT_STREQ(t, s_out, "a\nb");
}

void window_size_escape(KTest& t)
{
    tty::Tty term("test", capture);
    reset_output();
    type(term, "\x1b[8;40;132t");
    tty::WinSize ws = term.window_size();
    KEXPECT_EQ(t, ws.rows, 40u);
    KEXPECT_EQ(t, ws.cols, 132u);
    KEXPECT_EQ(t, term.readable(), 0u); // not data
    KEXPECT_EQ(t, s_out_len, 0u);       // not echoed
    // Other escape sequences pass through as input.
    tty::Termios raw = tty::default_termios();
    raw.lflag &= ~(tty::ICANON | tty::ECHO);
    term.apply_termios(raw, false);
    type(term, "\x1b[8;4x");
    char buf[16];
    KEXPECT_EQ(t, read_now(term, buf, sizeof(buf)), 6u);
}

void keyboard_scancodes(KTest& t)
{
    ps2_keyboard::reset_state();
    char out[8];
    auto key = [&](u8 code) {
        size_t n = ps2_keyboard::translate(code, out);
        out[n] = 0;
        return n;
    };
    KEXPECT_EQ(t, key(0x1E), 1u); // a
    KEXPECT_EQ(t, out[0], 'a');
    KEXPECT_EQ(t, key(0x9E), 0u); // a released
    key(0x2A);                    // shift down
    key(0x02);                    // 1
    KEXPECT_EQ(t, out[0], '!');
    key(0x1E);
    KEXPECT_EQ(t, out[0], 'A');
    key(0xAA); // shift up
    key(0x1D); // ctrl down
    key(0x2E); // c
    KEXPECT_EQ(t, out[0], 0x03);
    key(0x9D); // ctrl up
    key(0xE0);
    KEXPECT_EQ(t, key(0x48), 3u); // up arrow
    KEXPECT_STREQ(t, out, "\x1b[A");
    key(0xE0);
    key(0x53); // delete
    KEXPECT_STREQ(t, out, "\x1b[3~");
    key(0x0E); // backspace
    KEXPECT_EQ(t, static_cast<u8>(out[0]), 0x7fu);
    key(0x3A); // caps lock on
    key(0x1E);
    KEXPECT_EQ(t, out[0], 'A');
    key(0x3A); // off again
    key(0x1C); // enter
    KEXPECT_EQ(t, out[0], '\r');
    ps2_keyboard::reset_state();
}

void vga_terminal_sequences(KTest& t)
{
    vga::init();
    const char text[] = "\x1b[2J\x1b[3;5Hhi\x1b[31mR\x1b[0m\x1b[1;1Hx\x1b[K";
    vga::write_terminal(text, sizeof(text) - 1);
    auto ch = [](int r, int c) { return static_cast<char>(vga::cell(r, c) & 0xFF); };
    auto attr = [](int r, int c) { return static_cast<u8>(vga::cell(r, c) >> 8); };
    KEXPECT_EQ(t, ch(2, 4), 'h');
    KEXPECT_EQ(t, ch(2, 5), 'i');
    KEXPECT_EQ(t, ch(2, 6), 'R');
    KEXPECT_EQ(t, attr(2, 6), 0x04u); // red on black
    KEXPECT_EQ(t, attr(2, 5), 0x07u);
    KEXPECT_EQ(t, ch(0, 0), 'x');
    KEXPECT_EQ(t, ch(0, 1), ' '); // erased to the end of the line
    KEXPECT_EQ(t, vga::cursor_row(), 0);
    KEXPECT_EQ(t, vga::cursor_column(), 1);
    // Cursor movement and delete-character, as line editors use them.
    const char edit[] = "\r\x1b[2Kabcdef\x1b[4D\x1b[2P";
    vga::write_terminal(edit, sizeof(edit) - 1);
    KEXPECT_EQ(t, ch(0, 2), 'e');
    KEXPECT_EQ(t, ch(0, 3), 'f');
    KEXPECT_EQ(t, ch(0, 4), ' ');
    vga::init();
}

} // namespace

KTEST_SUITE(tty, KTEST_CASE(canonical_lines_and_echo), KTEST_CASE(erase_kill_and_word_erase), KTEST_CASE(end_of_file),
            KTEST_CASE(control_characters_echo_as_caret), KTEST_CASE(raw_mode),
            KTEST_CASE(partial_line_survives_switch_to_raw), KTEST_CASE(output_processing),
            KTEST_CASE(window_size_escape), KTEST_CASE(keyboard_scancodes), KTEST_CASE(vga_terminal_sequences));
