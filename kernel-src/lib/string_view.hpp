#pragma once
// A non-owning (pointer, length) view of characters: path components are
// slices of a path, not NUL-terminated strings.
#include <lib/string.hpp>
#include <lib/types.hpp>

class StringView {
public:
    constexpr StringView() = default;
    constexpr StringView(const char* s, size_t n) : m_chars(s), m_length(n) {}
    StringView(const char* s) : m_chars(s), m_length(s ? strlen(s) : 0) {}

    const char* chars() const { return m_chars; }
    size_t length() const { return m_length; }
    bool empty() const { return m_length == 0; }
    char operator[](size_t i) const { return m_chars[i]; }
    bool operator==(StringView o) const
    {
        return m_length == o.m_length && (m_length == 0 || memcmp(m_chars, o.m_chars, m_length) == 0);
    }
    bool operator==(const char* s) const { return *this == StringView(s); }
    // Copies into buf (NUL-terminated, truncated to size-1).
    void copy_to(char* buf, size_t size) const
    {
        if (!size)
            return;
        size_t n = min(m_length, size - 1);
        memcpy(buf, m_chars, n);
        buf[n] = 0;
    }

private:
    const char* m_chars = nullptr;
    size_t m_length = 0;
};
