#include <arch/arch.hpp>
#include <kernel/entropy.hpp>
#include <kernel/log.hpp>
#include <lib/spinlock.hpp>
#include <lib/string.hpp>

namespace entropy {
namespace {

Spinlock s_lock;
u32 s_key[8];
u64 s_counter;
bool s_ready;

u32 rotl(u32 v, int n) { return (v << n) | (v >> (32 - n)); }

void quarter(u32& a, u32& b, u32& c, u32& d)
{
    a += b, d ^= a, d = rotl(d, 16);
    c += d, b ^= c, b = rotl(b, 12);
    a += b, d ^= a, d = rotl(d, 8);
    c += d, b ^= c, b = rotl(b, 7);
}

// One ChaCha20 block (RFC 8439, section 2.3) for key, counter, nonce 0.
void chacha_block(const u32 key[8], u64 counter, u32 out[16])
{
    u32 x[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574, key[0], key[1], key[2], key[3],
                  key[4],     key[5],     key[6],     key[7],     static_cast<u32>(counter),
                  static_cast<u32>(counter >> 32), 0, 0 };
    u32 in[16];
    memcpy(in, x, sizeof(x));
    for (int i = 0; i < 10; i++) {
        quarter(x[0], x[4], x[8], x[12]);
        quarter(x[1], x[5], x[9], x[13]);
        quarter(x[2], x[6], x[10], x[14]);
        quarter(x[3], x[7], x[11], x[15]);
        quarter(x[0], x[5], x[10], x[15]);
        quarter(x[1], x[6], x[11], x[12]);
        quarter(x[2], x[7], x[8], x[13]);
        quarter(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i++)
        out[i] = x[i] + in[i];
}

// Caller holds the lock.
void mix_in(u64 v)
{
    s_key[v % 8] ^= static_cast<u32>(v);
    s_key[(v >> 32) % 8] ^= static_cast<u32>(v >> 32);
    u32 block[16];
    chacha_block(s_key, s_counter++, block);
    memcpy(s_key, block, sizeof(s_key));
}

void seed_locked()
{
    u64 v;
    const char* source = "timestamp jitter";
    for (int i = 0; i < 8; i++) {
        if (arch::hardware_random(&v))
            source = "RDSEED/RDRAND and timestamp jitter";
        else
            v = 0;
        mix_in(v ^ arch::read_timestamp());
    }
    s_ready = true;
    log_info("entropy: ChaCha20 generator seeded from %s", source);
}

} // namespace

void init()
{
    SpinlockGuard guard(s_lock);
    if (!s_ready)
        seed_locked();
}

void fill(void* buf, size_t n)
{
    auto* out = static_cast<u8*>(buf);
    SpinlockGuard guard(s_lock);
    if (!s_ready)
        seed_locked();
    mix_in(arch::read_timestamp());
    while (n) {
        u32 block[16];
        chacha_block(s_key, s_counter++, block);
        size_t take = min<size_t>(n, sizeof(block));
        memcpy(out, block, take);
        out += take;
        n -= take;
    }
    // Fast key erasure: the next key is fresh output, so earlier output
    // cannot be recomputed from the state.
    u32 next[16];
    chacha_block(s_key, s_counter++, next);
    memcpy(s_key, next, sizeof(s_key));
}

u64 next_u64()
{
    u64 v;
    fill(&v, sizeof(v));
    return v;
}

} // namespace entropy
