#pragma once
// xorshift64*: a small deterministic generator for stress tests.
#include <lib/types.hpp>

class Random {
public:
    explicit Random(u64 seed) : m_state(seed ? seed : 0x9E3779B97F4A7C15ull) {}
    u64 next()
    {
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 0x2545F4914F6CDD1Dull;
    }
    u64 below(u64 n) { return next() % n; }

private:
    u64 m_state;
};
