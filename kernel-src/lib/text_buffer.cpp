#include <lib/string.hpp>
#include <lib/text_buffer.hpp>
#include <mm/heap.hpp>

TextBuffer::TextBuffer(TextBuffer&& o)
    : m_data(o.m_data), m_size(o.m_size), m_capacity(o.m_capacity), m_failed(o.m_failed)
{
    o.m_data = nullptr;
    o.m_size = o.m_capacity = 0;
}

TextBuffer& TextBuffer::operator=(TextBuffer&& o)
{
    if (this != &o) {
        heap::free(m_data);
        m_data = o.m_data;
        m_size = o.m_size;
        m_capacity = o.m_capacity;
        m_failed = o.m_failed;
        o.m_data = nullptr;
        o.m_size = o.m_capacity = 0;
    }
    return *this;
}

TextBuffer::~TextBuffer() { heap::free(m_data); }

bool TextBuffer::reserve(size_t wanted)
{
    if (m_failed)
        return false;
    if (wanted + 1 <= m_capacity)
        return true;
    size_t capacity = max<size_t>(wanted + 1, max<size_t>(256, m_capacity * 2));
    auto* fresh = static_cast<char*>(heap::alloc(capacity));
    if (!fresh) {
        m_failed = true;
        return false;
    }
    if (m_data)
        memcpy(fresh, m_data, m_size + 1);
    heap::free(m_data);
    m_data = fresh;
    m_capacity = capacity;
    return true;
}

void TextBuffer::append(const char* s, size_t n)
{
    if (!reserve(m_size + n))
        return;
    memcpy(m_data + m_size, s, n);
    m_size += n;
    m_data[m_size] = 0;
}

void TextBuffer::append(const char* s) { append(s, strlen(s)); }

void TextBuffer::appendf(const char* fmt, ...)
{
    char small[160];
    va_list ap;
    va_start(ap, fmt);
    size_t n = vformat(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < sizeof(small)) {
        append(small, n);
        return;
    }
    if (!reserve(m_size + n))
        return;
    va_start(ap, fmt);
    vformat(m_data + m_size, n + 1, fmt, ap);
    va_end(ap);
    m_size += n;
}

ErrorOr<void> TextBuffer::status() const
{
    if (m_failed)
        return Error::from_errno(ENOMEM);
    return {};
}
