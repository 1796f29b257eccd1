#pragma once
// The memory character devices of Linux's drivers/char/mem.c and random.c:
// /dev/null (1:3), /dev/zero (1:5), /dev/full (1:7), /dev/random (1:8),
// /dev/urandom (1:9).
namespace mem_devices {
// Registers them (fs::register_char_device); call once after the CRNG is seeded.
void init();
} // namespace mem_devices
