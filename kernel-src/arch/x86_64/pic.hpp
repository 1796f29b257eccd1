#pragma once
// The legacy 8259A pair: remapped to vectors 0x20-0x2F, masked except for the
// lines we use until the I/O APIC takes over.
#include <lib/types.hpp>

namespace x86 {
void pic_init();
void pic_unmask(u8 irq);
void pic_mask_all();
void pic_eoi(u8 irq);
} // namespace x86
