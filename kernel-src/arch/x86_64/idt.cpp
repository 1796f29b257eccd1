#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/idt.hpp>

extern "C" const u64 isr_stub_table[256];

namespace x86 {
namespace {

// 64-bit interrupt gate (Intel SDM vol. 3A, 6.14.1).
struct [[gnu::packed]] Gate {
    u16 offset_low;
    u16 selector;
    u8 ist;
    u8 type_attr;
    u16 offset_mid;
    u32 offset_high;
    u32 reserved;
};
static_assert(sizeof(Gate) == 16);

struct [[gnu::packed]] IdtPointer {
    u16 limit;
    u64 base;
};

alignas(16) Gate s_idt[256];

constexpr u8 GATE_INTERRUPT = 0x8E; // present, DPL0, 64-bit interrupt gate
constexpr u8 GATE_USER = 0x60;      // DPL3: reachable with int n from ring 3

void set_gate(u8 vector, u64 handler, u8 ist, u8 type)
{
    Gate& g = s_idt[vector];
    g.offset_low = handler & 0xFFFF;
    g.selector = KERNEL_CS;
    g.ist = ist;
    g.type_attr = type;
    g.offset_mid = (handler >> 16) & 0xFFFF;
    g.offset_high = handler >> 32;
    g.reserved = 0;
}

} // namespace

void idt_build()
{
    for (int v = 0; v < 256; v++)
        set_gate(v, isr_stub_table[v], 0, GATE_INTERRUPT);
    s_idt[2].ist = IST_NMI;
    s_idt[8].ist = IST_DOUBLE_FAULT;
    s_idt[18].ist = IST_MACHINE_CHECK;
    // Breakpoints and the legacy system call gate may be raised from ring 3.
    s_idt[3].type_attr |= GATE_USER;
    s_idt[0x80].type_attr |= GATE_USER;
}

void idt_load()
{
    IdtPointer idtr { sizeof(s_idt) - 1, reinterpret_cast<u64>(&s_idt) };
    asm volatile("lidt %0" : : "m"(idtr));
}

} // namespace x86
