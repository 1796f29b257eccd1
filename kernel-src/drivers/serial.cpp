#include <arch/x86_64/cpu.hpp>
#include <arch/arch.hpp>
#include <drivers/serial.hpp>

namespace serial {
namespace {
// COM1 registers (PC16550D datasheet; base 0x3F8 on the PC).
constexpr u16 COM1 = 0x3F8;
constexpr u16 DATA = COM1 + 0;
constexpr u16 INTERRUPT_ENABLE = COM1 + 1;
constexpr u16 FIFO_CONTROL = COM1 + 2;
constexpr u16 LINE_CONTROL = COM1 + 3;
constexpr u16 MODEM_CONTROL = COM1 + 4;
constexpr u16 LINE_STATUS = COM1 + 5;
constexpr u8 LSR_DATA_READY = 0x01;
constexpr u8 LSR_THR_EMPTY = 0x20;

// Bytes that may be written after one look at THR-empty: with the FIFO
// on, THRE means the whole 16-byte transmit FIFO is empty (PC16550D
// datasheet, LSR bit 5); an 8250/16450 without one takes a byte at a time.
// Under emulation every register access is an exit: one per byte less.
size_t s_fifo_depth = 1;
size_t s_fifo_room;

void put(char c)
{
    if (s_fifo_room == 0) {
        while (!(x86::inb(LINE_STATUS) & LSR_THR_EMPTY))
            asm volatile("pause");
        s_fifo_room = s_fifo_depth;
    }
    x86::outb(DATA, static_cast<u8>(c));
    s_fifo_room--;
}
} // namespace

void init()
{
    x86::outb(INTERRUPT_ENABLE, 0x00);
    x86::outb(LINE_CONTROL, 0x80); // DLAB on: divisor follows
    x86::outb(DATA, 0x01);         // 115200 baud (divisor 1)
    x86::outb(INTERRUPT_ENABLE, 0x00);
    x86::outb(LINE_CONTROL, 0x03); // 8 bits, no parity, one stop bit
    x86::outb(FIFO_CONTROL, 0xC7); // FIFO on, cleared, 14-byte threshold
    x86::outb(MODEM_CONTROL, 0x0B); // DTR, RTS, OUT2
    // IIR bits 7:6 read 11 when the FIFOs are on: a 16550A (datasheet, IIR).
    s_fifo_depth = (x86::inb(FIFO_CONTROL) & 0xC0) == 0xC0 ? 16 : 1;
    s_fifo_room = 0;
}

void forget_fifo_room() { __atomic_store_n(&s_fifo_room, 0, __ATOMIC_SEQ_CST); }

void write(const char* text, size_t length)
{
    for (size_t i = 0; i < length; i++)
        put(text[i]);
}

namespace {
void (*s_on_input)(const char*, size_t);

void on_interrupt()
{
    // Drain the receive FIFO (the interrupt is level-like: it stays raised
    // while data waits).
    char bytes[16];
    size_t n = 0;
    while (x86::inb(LINE_STATUS) & LSR_DATA_READY) {
        bytes[n++] = static_cast<char>(x86::inb(DATA));
        if (n == sizeof(bytes)) {
            s_on_input(bytes, n);
            n = 0;
        }
    }
    if (n)
        s_on_input(bytes, n);
}
} // namespace

void enable_input_interrupt(void (*on_input)(const char* bytes, size_t n))
{
    s_on_input = on_input;
    arch::install_isa_irq(4, on_interrupt);
    // IER bit 0: interrupt when received data is available. OUT2 (set in
    // init) gates the UART's interrupt line on PCs.
    x86::outb(INTERRUPT_ENABLE, 0x01);
    on_interrupt(); // anything typed before now
}

int read_byte()
{
    if (!(x86::inb(LINE_STATUS) & LSR_DATA_READY))
        return -1;
    return x86::inb(DATA);
}

} // namespace serial
