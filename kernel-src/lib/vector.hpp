#pragma once
// A growable array on the kernel heap. Growth can fail (out of memory), so
// append() returns an ErrorOr instead of panicking.
#include <lib/error_or.hpp>
#include <lib/new.hpp>
#include <lib/string.hpp>
#include <mm/heap.hpp>

template <typename T> class Vector {
public:
    Vector() = default;
    Vector(const Vector&) = delete;
    Vector& operator=(const Vector&) = delete;
    Vector(Vector&& o) : m_data(o.m_data), m_size(o.m_size), m_capacity(o.m_capacity)
    {
        o.m_data = nullptr;
        o.m_size = o.m_capacity = 0;
    }
    Vector& operator=(Vector&& o)
    {
        if (this != &o) {
            clear_and_free();
            m_data = o.m_data;
            m_size = o.m_size;
            m_capacity = o.m_capacity;
            o.m_data = nullptr;
            o.m_size = o.m_capacity = 0;
        }
        return *this;
    }
    ~Vector() { clear_and_free(); }

    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    T& operator[](size_t i) { return m_data[i]; }
    const T& operator[](size_t i) const { return m_data[i]; }
    T* data() { return m_data; }
    const T* data() const { return m_data; }
    T* begin() { return m_data; }
    T* end() { return m_data + m_size; }
    const T* begin() const { return m_data; }
    const T* end() const { return m_data + m_size; }
    T& last() { return m_data[m_size - 1]; }

    ErrorOr<void> ensure_capacity(size_t wanted)
    {
        if (wanted <= m_capacity)
            return {};
        size_t capacity = max<size_t>(wanted, max<size_t>(4, m_capacity * 2));
        T* fresh = static_cast<T*>(heap::alloc(capacity * sizeof(T)));
        if (!fresh)
            return Error::from_errno(ENOMEM);
        for (size_t i = 0; i < m_size; i++) {
            new (&fresh[i]) T(move(m_data[i]));
            m_data[i].~T();
        }
        heap::free(m_data);
        m_data = fresh;
        m_capacity = capacity;
        return {};
    }

    ErrorOr<void> append(T&& v)
    {
        TRY(ensure_capacity(m_size + 1));
        new (&m_data[m_size++]) T(move(v));
        return {};
    }
    ErrorOr<void> append(const T& v)
    {
        TRY(ensure_capacity(m_size + 1));
        new (&m_data[m_size++]) T(v);
        return {};
    }

    void remove(size_t index)
    {
        m_data[index].~T();
        for (size_t i = index; i + 1 < m_size; i++) {
            new (&m_data[i]) T(move(m_data[i + 1]));
            m_data[i + 1].~T();
        }
        m_size--;
    }

    void clear()
    {
        for (size_t i = 0; i < m_size; i++)
            m_data[i].~T();
        m_size = 0;
    }

private:
    void clear_and_free()
    {
        clear();
        heap::free(m_data);
        m_data = nullptr;
        m_capacity = 0;
    }

    T* m_data = nullptr;
    size_t m_size = 0;
    size_t m_capacity = 0;
};
