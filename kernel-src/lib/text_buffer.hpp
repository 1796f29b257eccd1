#pragma once
// A growable text buffer on the kernel heap, for output whose length is not
// known in advance (procfs files, paths built back to front). Running out of
// memory does not stop the writer mid-way: the buffer remembers it and
// status() reports ENOMEM once, at the end.
#include <lib/error_or.hpp>
#include <lib/format.hpp>
#include <lib/types.hpp>

class TextBuffer {
public:
    TextBuffer() = default;
    TextBuffer(const TextBuffer&) = delete;
    TextBuffer& operator=(const TextBuffer&) = delete;
    TextBuffer(TextBuffer&& o);
    TextBuffer& operator=(TextBuffer&& o);
    ~TextBuffer();

    void append(const char* s, size_t n);
    void append(const char* s);
    void append_char(char c) { append(&c, 1); }
    void appendf(const char* fmt, ...) PRINTF_FORMAT(2, 3);
    void clear() { m_size = 0; }

    // The text so far (always NUL-terminated; "" when empty).
    const char* c_str() const { return m_data ? m_data : ""; }
    const char* data() const { return c_str(); }
    size_t size() const { return m_size; }
    ErrorOr<void> status() const;

private:
    bool reserve(size_t wanted);
    char* m_data = nullptr;
    size_t m_size = 0;
    size_t m_capacity = 0;
    bool m_failed = false;
};
