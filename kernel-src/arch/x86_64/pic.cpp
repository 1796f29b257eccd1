#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/interrupts.hpp>
#include <arch/x86_64/pic.hpp>

namespace x86 {
namespace {
constexpr u16 PIC1_COMMAND = 0x20;
constexpr u16 PIC1_DATA = 0x21;
constexpr u16 PIC2_COMMAND = 0xA0;
constexpr u16 PIC2_DATA = 0xA1;
constexpr u8 EOI = 0x20;
u16 s_mask = 0xFFFF;

void write_mask()
{
    outb(PIC1_DATA, s_mask & 0xFF);
    outb(PIC2_DATA, s_mask >> 8);
}
} // namespace

void pic_init()
{
    // ICW1-ICW4 (Intel 8259A datasheet): edge triggered, cascade, 8086 mode.
    outb(PIC1_COMMAND, 0x11);
    io_wait();
    outb(PIC2_COMMAND, 0x11);
    io_wait();
    outb(PIC1_DATA, VECTOR_IRQ_BASE);
    io_wait();
    outb(PIC2_DATA, VECTOR_IRQ_BASE + 8);
    io_wait();
    outb(PIC1_DATA, 0x04); // slave on IRQ2
    io_wait();
    outb(PIC2_DATA, 0x02);
    io_wait();
    outb(PIC1_DATA, 0x01);
    io_wait();
    outb(PIC2_DATA, 0x01);
    io_wait();
    s_mask = 0xFFFF & ~(1 << 2); // cascade line open, everything else masked
    write_mask();
}

void pic_unmask(u8 irq)
{
    s_mask &= ~(1 << irq);
    write_mask();
}

void pic_mask_all()
{
    s_mask = 0xFFFF;
    write_mask();
}

void pic_eoi(u8 irq)
{
    if (irq >= 8)
        outb(PIC2_COMMAND, EOI);
    outb(PIC1_COMMAND, EOI);
}

} // namespace x86
