// 8042 controller ports (IBM PC/AT technical reference): 0x60 data, 0x64
// status (bit 0: output full) and command. Scancode set 1 (what the 8042
// hands over with translation on): make codes 0x01-0x58, break = make | 0x80,
// 0xE0 prefixes the grey keys.
#include <arch/arch.hpp>
#include <arch/x86_64/cpu.hpp>
#include <drivers/ps2_keyboard.hpp>
#include <lib/string.hpp>

namespace ps2_keyboard {
namespace {
constexpr u16 DATA = 0x60, STATUS = 0x64, COMMAND = 0x64;
constexpr u8 STATUS_OUTPUT_FULL = 0x01, STATUS_INPUT_FULL = 0x02;

// US layout, set 1, unshifted and shifted (0 = no character).
constexpr char NORMAL[0x3A] = {
    0,    0x1b, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', 0x7f, '\t',
    'q',  'w',  'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\r', 0,   'a',  's',
    'd',  'f',  'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,  '\\', 'z', 'x', 'c',  'v',
    'b',  'n',  'm', ',', '.', '/', 0,   '*', 0,   ' ',
};
constexpr char SHIFTED[0x3A] = {
    0,    0x1b, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', 0x7f, '\t',
    'Q',  'W',  'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\r', 0,   'A',  'S',
    'D',  'F',  'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|', 'Z', 'X', 'C',  'V',
    'B',  'N',  'M', '<', '>', '?', 0,   '*', 0,   ' ',
};

constexpr u8 LEFT_SHIFT = 0x2A, RIGHT_SHIFT = 0x36, CTRL = 0x1D, ALT = 0x38, CAPS_LOCK = 0x3A;

bool s_extended, s_shift_left, s_shift_right, s_ctrl, s_alt, s_caps;
void (*s_on_input)(const char*, size_t);

size_t copy(char out[8], const char* s)
{
    size_t n = strlen(s);
    memcpy(out, s, n);
    return n;
}

void wait_input_empty()
{
    for (int i = 0; i < 100000 && (x86::inb(STATUS) & STATUS_INPUT_FULL); i++)
        arch::cpu_relax();
}

void on_interrupt()
{
    while (x86::inb(STATUS) & STATUS_OUTPUT_FULL) {
        u8 code = x86::inb(DATA);
        char out[8];
        size_t n = translate(code, out);
        if (n && s_on_input)
            s_on_input(out, n);
    }
}
} // namespace

void reset_state() { s_extended = s_shift_left = s_shift_right = s_ctrl = s_alt = s_caps = false; }

size_t translate(u8 code, char out[8])
{
    if (code == 0xE0) {
        s_extended = true;
        return 0;
    }
    bool extended = s_extended;
    s_extended = false;
    bool released = code & 0x80;
    u8 key = code & 0x7f;
    switch (key) {
    case LEFT_SHIFT:
        if (!extended)
            s_shift_left = !released;
        return 0;
    case RIGHT_SHIFT:
        s_shift_right = !released;
        return 0;
    case CTRL:
        s_ctrl = !released;
        return 0;
    case ALT:
        s_alt = !released;
        return 0;
    case CAPS_LOCK:
        if (!released)
            s_caps = !s_caps;
        return 0;
    default:
        break;
    }
    if (released)
        return 0;
    if (extended) {
        switch (key) {
        case 0x48: return copy(out, "\x1b[A");   // up
        case 0x50: return copy(out, "\x1b[B");   // down
        case 0x4D: return copy(out, "\x1b[C");   // right
        case 0x4B: return copy(out, "\x1b[D");   // left
        case 0x47: return copy(out, "\x1b[H");   // home
        case 0x4F: return copy(out, "\x1b[F");   // end
        case 0x53: return copy(out, "\x1b[3~");  // delete
        case 0x52: return copy(out, "\x1b[2~");  // insert
        case 0x49: return copy(out, "\x1b[5~");  // page up
        case 0x51: return copy(out, "\x1b[6~");  // page down
        case 0x1C: return copy(out, "\r");       // keypad enter
        case 0x35: return copy(out, "/");        // keypad slash
        default: return 0;
        }
    }
    if (key >= sizeof(NORMAL))
        return 0;
    bool shift = s_shift_left || s_shift_right;
    char c = shift ? SHIFTED[key] : NORMAL[key];
    if (!c)
        return 0;
    if (s_caps && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        c = static_cast<char>(c ^ 0x20);
    if (s_ctrl) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            c = static_cast<char>(c & 0x1f);
        else if (c >= '@' && c <= '_')
            c = static_cast<char>(c & 0x1f); // Ctrl-[ \ ] ^ _
        else if (c == ' ' || c == '2')
            c = 0;                          // Ctrl-space, Ctrl-@
        else if (c == '/')
            c = 0x1f;
    }
    size_t n = 0;
    if (s_alt)
        out[n++] = 0x1b; // Meta sends ESC first, as xterm and the Linux console do
    out[n++] = c;
    return n;
}

bool init(void (*on_input)(const char* bytes, size_t n))
{
    // No controller answers 0xFF on the status port.
    if (x86::inb(STATUS) == 0xFF)
        return false;
    s_on_input = on_input;
    reset_state();
    // Flush what the firmware left, make sure port 1 interrupts and
    // translation to set 1 are on (configuration byte bits 0 and 6), and
    // the port is enabled.
    for (int i = 0; i < 64 && (x86::inb(STATUS) & STATUS_OUTPUT_FULL); i++)
        (void)x86::inb(DATA);
    wait_input_empty();
    x86::outb(COMMAND, 0x20); // read configuration
    for (int i = 0; i < 100000 && !(x86::inb(STATUS) & STATUS_OUTPUT_FULL); i++)
        arch::cpu_relax();
    u8 config = x86::inb(DATA);
    config |= 0x01 | 0x40;
    config &= static_cast<u8>(~0x10); // port 1 clock enabled
    wait_input_empty();
    x86::outb(COMMAND, 0x60); // write configuration
    wait_input_empty();
    x86::outb(DATA, config);
    wait_input_empty();
    x86::outb(COMMAND, 0xAE); // enable port 1
    arch::install_isa_irq(1, on_interrupt);
    return true;
}

} // namespace ps2_keyboard
