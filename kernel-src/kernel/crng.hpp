#pragma once
// The kernel's cryptographic random number generator, behind /dev/random,
// /dev/urandom (and later getrandom(2) and AT_RANDOM). A ChaCha20 keystream
// with fast key erasure, as Linux's crng (drivers/char/random.c): each
// request first replaces the base key with keystream from it, then draws
// its bytes from a one-time key, so earlier output cannot be recomputed
// from a later state. Seeded at boot from RDSEED/RDRAND when the CPU has
// them and from timestamp-counter jitter always; mix() folds in more.
#include <lib/types.hpp>

namespace crng {
// Seeds the generator; call once while booting.
void init();
// Fills buf with random bytes. Any context except interrupt handlers.
void fill(void* buf, size_t size);
u64 next_u64();
// Folds caller-provided bytes into the key (writes to /dev/random).
void mix(const void* data, size_t size);
// True when the CPU's generator contributed to the seed.
bool hardware_seeded();
// ChaCha20 block function (RFC 8439 layout: 4 constants, 8 key words, a
// 32-bit counter and a 96-bit nonce); exposed for its known-answer test.
void chacha20_block(const u32 key[8], u32 counter, const u32 nonce[3], u8 out[64]);
} // namespace crng
