#include <arch/arch.hpp>
#include <kernel/crng.hpp>
#include <lib/spinlock.hpp>
#include <lib/string.hpp>

namespace crng {
namespace {

Spinlock s_lock;
u32 s_key[8];
u64 s_generation; // nonce of the next key-erasure block
bool s_hardware;

u32 rotl(u32 v, int n) { return (v << n) | (v >> (32 - n)); }

void quarter_round(u32& a, u32& b, u32& c, u32& d)
{
    a += b;
    d = rotl(d ^ a, 16);
    c += d;
    b = rotl(b ^ c, 12);
    a += b;
    d = rotl(d ^ a, 8);
    c += d;
    b = rotl(b ^ c, 7);
}

// A fresh key from the base key (under s_lock): one block whose first half
// replaces the base key and whose second half is returned.
void next_request_key(u32 out[8])
{
    u8 block[64];
    u32 nonce[3] = { static_cast<u32>(s_generation), static_cast<u32>(s_generation >> 32), 0x6b726e6c };
    s_generation++;
    chacha20_block(s_key, 0, nonce, block);
    memcpy(s_key, block, 32);
    memcpy(out, block + 32, 32);
    memset(block, 0, sizeof(block));
}

// Folds 32 bytes into the base key: key ^= data, then key = keystream(key).
void fold_locked(const u8 data[32])
{
    u32 words[8];
    memcpy(words, data, 32);
    for (int i = 0; i < 8; i++)
        s_key[i] ^= words[i];
    u32 erased[8];
    next_request_key(erased);
    memset(erased, 0, sizeof(erased));
}

} // namespace

void chacha20_block(const u32 key[8], u32 counter, const u32 nonce[3], u8 out[64])
{
    u32 x[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574, key[0], key[1], key[2], key[3],
                  key[4],     key[5],     key[6],     key[7],     counter, nonce[0], nonce[1], nonce[2] };
    u32 s[16];
    memcpy(s, x, sizeof(s));
    for (int i = 0; i < 10; i++) {
        quarter_round(s[0], s[4], s[8], s[12]);
        quarter_round(s[1], s[5], s[9], s[13]);
        quarter_round(s[2], s[6], s[10], s[14]);
        quarter_round(s[3], s[7], s[11], s[15]);
        quarter_round(s[0], s[5], s[10], s[15]);
        quarter_round(s[1], s[6], s[11], s[12]);
        quarter_round(s[2], s[7], s[8], s[13]);
        quarter_round(s[3], s[4], s[9], s[14]);
    }
    for (int i = 0; i < 16; i++) {
        u32 v = s[i] + x[i];
        out[i * 4 + 0] = static_cast<u8>(v);
        out[i * 4 + 1] = static_cast<u8>(v >> 8);
        out[i * 4 + 2] = static_cast<u8>(v >> 16);
        out[i * 4 + 3] = static_cast<u8>(v >> 24);
    }
}

void init()
{
    // Timestamp-counter jitter: the low bits of how long small pieces of
    // work take vary with caches, interrupts and (under emulation) the
    // host. Many samples, each folded in; never the only source when the
    // CPU has a generator.
    u8 seed[32];
    u64 hw_words = 0;
    for (int round = 0; round < 8; round++) {
        u64 words[4];
        for (int i = 0; i < 4; i++) {
            u64 hw = 0;
            if (arch::hardware_random(hw))
                hw_words++;
            u64 t0 = arch::read_timestamp();
            volatile u64 sink = 0;
            for (u64 k = 0; k < 64 + (t0 & 63); k++)
                sink = sink + k * t0;
            u64 t1 = arch::read_timestamp();
            words[i] = hw ^ (t1 * 0x9E3779B97F4A7C15ull) ^ (t1 - t0) ^ (static_cast<u64>(round) << 56);
        }
        memcpy(seed, words, sizeof(seed));
        SpinlockGuard guard(s_lock);
        fold_locked(seed);
    }
    memset(seed, 0, sizeof(seed));
    s_hardware = hw_words > 0;
}

void fill(void* buf, size_t size)
{
    u32 key[8];
    {
        SpinlockGuard guard(s_lock);
        next_request_key(key);
    }
    // The rest needs no lock: the request key is ours alone.
    auto* out = static_cast<u8*>(buf);
    u32 nonce[3] = { 0, 0, 0 };
    u8 block[64];
    for (u32 counter = 0; size > 0; counter++) {
        chacha20_block(key, counter, nonce, block);
        size_t n = size < sizeof(block) ? size : sizeof(block);
        memcpy(out, block, n);
        out += n;
        size -= n;
    }
    memset(block, 0, sizeof(block));
    memset(key, 0, sizeof(key));
}

u64 next_u64()
{
    u64 v;
    fill(&v, sizeof(v));
    return v;
}

void mix(const void* data, size_t size)
{
    auto* p = static_cast<const u8*>(data);
    while (size > 0) {
        u8 chunk[32] = {};
        size_t n = size < sizeof(chunk) ? size : sizeof(chunk);
        memcpy(chunk, p, n);
        u64 t = arch::read_timestamp();
        for (int i = 0; i < 8; i++)
            chunk[24 + i] ^= static_cast<u8>(t >> (8 * i));
        SpinlockGuard guard(s_lock);
        fold_locked(chunk);
        p += n;
        size -= n;
    }
}

bool hardware_seeded() { return s_hardware; }

} // namespace crng
