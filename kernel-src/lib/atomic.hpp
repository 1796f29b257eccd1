#pragma once
// Thin wrappers over the compiler's __atomic builtins (sequentially consistent
// unless an order is given). Used for counters shared between CPUs.
#include <lib/types.hpp>

template <typename T> class Atomic {
public:
    constexpr Atomic(T v = T()) : m_value(v) {}
    // The generic builtins also take enums and other small trivially
    // copyable types.
    T load(int order = __ATOMIC_SEQ_CST) const
    {
        T v;
        __atomic_load(&m_value, &v, order);
        return v;
    }
    void store(T v, int order = __ATOMIC_SEQ_CST) { __atomic_store(&m_value, &v, order); }
    T fetch_add(T v, int order = __ATOMIC_SEQ_CST) { return __atomic_fetch_add(&m_value, v, order); }
    T fetch_sub(T v, int order = __ATOMIC_SEQ_CST) { return __atomic_fetch_sub(&m_value, v, order); }
    T fetch_and(T v, int order = __ATOMIC_SEQ_CST) { return __atomic_fetch_and(&m_value, v, order); }
    T fetch_or(T v, int order = __ATOMIC_SEQ_CST) { return __atomic_fetch_or(&m_value, v, order); }
    T exchange(T v, int order = __ATOMIC_SEQ_CST) { return __atomic_exchange_n(&m_value, v, order); }
    bool compare_exchange(T& expected, T desired)
    {
        return __atomic_compare_exchange_n(&m_value, &expected, desired, false, __ATOMIC_SEQ_CST,
                                           __ATOMIC_SEQ_CST);
    }
    T* ptr() { return &m_value; }

private:
    T m_value;
};
