#include <arch/arch.hpp>
#include <kernel/uaccess.hpp>
#include <lib/string.hpp>

ErrorOr<void> copy_from_user(void* dst, UserAddr src, size_t n)
{
    if (!uaccess::range_ok(src, n))
        return Error::from_errno(EFAULT);
    if (n && arch::user_copy(dst, reinterpret_cast<const void*>(src), n) != 0)
        return Error::from_errno(EFAULT);
    return {};
}

ErrorOr<void> copy_to_user(UserAddr dst, const void* src, size_t n)
{
    if (!uaccess::range_ok(dst, n))
        return Error::from_errno(EFAULT);
    if (n && arch::user_copy(reinterpret_cast<void*>(dst), src, n) != 0)
        return Error::from_errno(EFAULT);
    return {};
}

ErrorOr<void> clear_user(UserAddr dst, size_t n)
{
    if (!uaccess::range_ok(dst, n))
        return Error::from_errno(EFAULT);
    if (n && arch::user_clear(reinterpret_cast<void*>(dst), n) != 0)
        return Error::from_errno(EFAULT);
    return {};
}

ErrorOr<size_t> strncpy_from_user(char* dst, UserAddr src, size_t size)
{
    if (size == 0 || src >= uaccess::USER_SPACE_END)
        return Error::from_errno(EFAULT);
    // Never read past the end of user space, even looking for the NUL.
    size_t limit = min<u64>(size, uaccess::USER_SPACE_END - src);
    i64 len = arch::user_strncpy(dst, reinterpret_cast<const char*>(src), limit);
    if (len < 0)
        return Error::from_errno(EFAULT);
    if (static_cast<size_t>(len) == limit) {
        // No NUL within the limit: too long, or the string runs off the end
        // of user space.
        return Error::from_errno(limit == size ? ENAMETOOLONG : EFAULT);
    }
    return static_cast<size_t>(len);
}

IoBuffer IoBuffer::slice(size_t offset, size_t size) const
{
    offset = min(offset, m_size);
    return IoBuffer(m_addr + offset, min(size, m_size - offset), m_user);
}

ErrorOr<void> IoBuffer::write(size_t offset, const void* src, size_t n) const
{
    if (offset > m_size || n > m_size - offset)
        return Error::from_errno(EFAULT);
    if (m_user)
        return copy_to_user(m_addr + offset, src, n);
    memcpy(reinterpret_cast<void*>(m_addr + offset), src, n);
    return {};
}

ErrorOr<void> IoBuffer::read(size_t offset, void* dst, size_t n) const
{
    if (offset > m_size || n > m_size - offset)
        return Error::from_errno(EFAULT);
    if (m_user)
        return copy_from_user(dst, m_addr + offset, n);
    memcpy(dst, reinterpret_cast<const void*>(m_addr + offset), n);
    return {};
}

ErrorOr<void> IoBuffer::zero(size_t offset, size_t n) const
{
    if (offset > m_size || n > m_size - offset)
        return Error::from_errno(EFAULT);
    if (m_user)
        return clear_user(m_addr + offset, n);
    memset(reinterpret_cast<void*>(m_addr + offset), 0, n);
    return {};
}
