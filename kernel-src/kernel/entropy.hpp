#pragma once
// Random bytes for getrandom(2), AT_RANDOM and /dev/urandom: a ChaCha20
// generator keyed from RDSEED/RDRAND when the CPU has them and from timestamp
// jitter always, re-keyed as it goes (fast key erasure).
#include <lib/types.hpp>

namespace entropy {
void init();
void fill(void* buf, size_t n);
u64 next_u64();
} // namespace entropy
