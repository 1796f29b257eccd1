#pragma once
// Partial copies for read/write paths. Linux returns the bytes moved before
// a bad user address (a read into a buffer whose end is unmapped returns
// what fit), so a failed copy is retried in halves to find the longest
// prefix that goes through. Faults are page granular, so this takes at most
// a dozen extra attempts, and only when a copy has already failed.
#include <kernel/uaccess.hpp>

namespace fs {

// Into the buffer at `offset` from kernel memory; returns bytes copied.
inline size_t write_prefix(const IoBuffer& buf, size_t offset, const void* src, size_t n)
{
    if (!buf.write(offset, src, n).is_error())
        return n;
    if (n <= 1)
        return 0;
    size_t half = n / 2;
    size_t got = write_prefix(buf, offset, src, half);
    if (got < half)
        return got;
    return half + write_prefix(buf, offset + half, static_cast<const u8*>(src) + half, n - half);
}

// Out of the buffer at `offset` into kernel memory; returns bytes copied.
inline size_t read_prefix(const IoBuffer& buf, size_t offset, void* dst, size_t n)
{
    if (!buf.read(offset, dst, n).is_error())
        return n;
    if (n <= 1)
        return 0;
    size_t half = n / 2;
    size_t got = read_prefix(buf, offset, dst, half);
    if (got < half)
        return got;
    return half + read_prefix(buf, offset + half, static_cast<u8*>(dst) + half, n - half);
}

inline size_t zero_prefix(const IoBuffer& buf, size_t offset, size_t n)
{
    if (!buf.zero(offset, n).is_error())
        return n;
    if (n <= 1)
        return 0;
    size_t half = n / 2;
    size_t got = zero_prefix(buf, offset, half);
    if (got < half)
        return got;
    return half + zero_prefix(buf, offset + half, n - half);
}

} // namespace fs
