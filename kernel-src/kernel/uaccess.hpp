#pragma once
// Kernel access to user memory. Every pointer a user program hands the kernel
// is a UserAddr (a number, not a C++ pointer, so it cannot be dereferenced by
// accident) and is read or written only through these functions. They check
// that the range lies in user space, open the SMAP window (stac/clac) for the
// copy alone, and turn a fault on a page that cannot be mapped into EFAULT
// through an exception table (arch/x86_64/uaccess.S): never a kernel fault.
// A fault on a page that is merely not present yet (demand-zero, copy-on-
// write) is resolved by the page-fault handler and the copy goes on.
#include <lib/error_or.hpp>
#include <lib/types.hpp>

using UserAddr = u64;

namespace uaccess {
// User space is [0, USER_SPACE_END). The last canonical page is never
// mapped, so a SYSRET can never return to a non-canonical RIP (the SYSRET
// pitfall, CVE-2012-0217).
constexpr u64 USER_SPACE_END = 0x00007FFFFFFFF000ull;

inline bool range_ok(UserAddr addr, u64 size)
{
    return size <= USER_SPACE_END && addr <= USER_SPACE_END - size;
}

// True when `rip` is inside a user-copy routine; *fixup receives where the
// fault handler must resume (the routine then reports the fault).
bool fixup_for(u64 rip, u64* fixup);
} // namespace uaccess

// EFAULT when any byte of the range is outside user space or unmapped.
ErrorOr<void> copy_from_user(void* dst, UserAddr src, size_t n);
ErrorOr<void> copy_to_user(UserAddr dst, const void* src, size_t n);
ErrorOr<void> clear_user(UserAddr dst, size_t n);
// Copies a NUL-terminated string of at most size-1 characters into dst and
// returns its length. ENAMETOOLONG when no NUL comes within size bytes;
// EFAULT on a bad address.
ErrorOr<size_t> strncpy_from_user(char* dst, UserAddr src, size_t size);

template <typename T> ErrorOr<T> get_user(UserAddr addr)
{
    T value;
    TRY(copy_from_user(&value, addr, sizeof(T)));
    return value;
}
template <typename T> ErrorOr<void> put_user(UserAddr addr, const T& value)
{
    return copy_to_user(addr, &value, sizeof(T));
}

// A buffer for a read or write path that is either user memory (a system
// call's buffer) or kernel memory (the kernel reading a file for exec, a
// test), so file systems are written once for both.
class IoBuffer {
public:
    static IoBuffer user(UserAddr addr, size_t size) { return IoBuffer(addr, size, true); }
    static IoBuffer kernel(void* ptr, size_t size) { return IoBuffer(reinterpret_cast<u64>(ptr), size, false); }

    size_t size() const { return m_size; }
    bool is_user() const { return m_user; }
    // The bytes [offset, offset + size) of this buffer (clamped to it).
    IoBuffer slice(size_t offset, size_t size) const;

    // Copies n bytes from kernel memory `src` into this buffer at `offset`.
    ErrorOr<void> write(size_t offset, const void* src, size_t n) const;
    // Copies n bytes of this buffer at `offset` into kernel memory `dst`.
    ErrorOr<void> read(size_t offset, void* dst, size_t n) const;
    ErrorOr<void> zero(size_t offset, size_t n) const;

private:
    IoBuffer(u64 addr, size_t size, bool user) : m_addr(addr), m_size(size), m_user(user) {}
    u64 m_addr;
    size_t m_size;
    bool m_user;
};
