#pragma once
#include <lib/types.hpp>

namespace x86 {
// Fills the IDT from the generated stub table (once, on the boot CPU).
void idt_build();
// Loads the IDT on the calling CPU.
void idt_load();
} // namespace x86
