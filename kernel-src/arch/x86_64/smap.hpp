#pragma once
// SMEP/SMAP set-up (see smap.cpp).
namespace x86 {
// Patches the stac/clac sites when the CPU has SMAP, then enables SMEP and
// SMAP on the boot CPU. Call once, before user pages exist.
void protect_kernel_from_user_pages_boot_cpu();
// The same CR4 bits on an AP (the code is already patched).
void protect_kernel_from_user_pages_this_cpu();
bool smap_enabled();
bool smep_enabled();
} // namespace x86
