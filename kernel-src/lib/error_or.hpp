#pragma once
// ErrorOr<T>: a value or a Linux errno, in the style of SerenityOS AK.
// Fallible code returns it and callers propagate with TRY(...).
#include <lib/errno.hpp>
#include <lib/new.hpp>
#include <lib/types.hpp>

class Error {
public:
    static constexpr Error from_errno(int e) { return Error(e); }
    constexpr int code() const { return m_code; }
    const char* name() const { return errno_name(m_code); }

private:
    constexpr explicit Error(int e) : m_code(e) {}
    int m_code;
};

template <typename T> class [[nodiscard]] ErrorOr {
public:
    ErrorOr(const T& v) : m_ok(true) { new (&m_storage) T(v); }
    ErrorOr(T&& v) : m_ok(true) { new (&m_storage) T(move(v)); }
    ErrorOr(Error e) : m_error(e), m_ok(false) {}
    ErrorOr(const ErrorOr&) = delete;
    ErrorOr& operator=(const ErrorOr&) = delete;
    ErrorOr(ErrorOr&& o) : m_error(o.m_error), m_ok(o.m_ok)
    {
        if (m_ok)
            new (&m_storage) T(move(o.value()));
    }
    ErrorOr& operator=(ErrorOr&& o)
    {
        if (this != &o) {
            if (m_ok)
                value().~T();
            m_error = o.m_error;
            m_ok = o.m_ok;
            if (m_ok)
                new (&m_storage) T(move(o.value()));
        }
        return *this;
    }
    ~ErrorOr()
    {
        if (m_ok)
            value().~T();
    }

    bool is_error() const { return !m_ok; }
    Error error() const { return m_error; }
    T& value() { return *reinterpret_cast<T*>(&m_storage); }
    const T& value() const { return *reinterpret_cast<const T*>(&m_storage); }
    T release_value() { return move(value()); }
    Error release_error() { return m_error; }

private:
    alignas(T) unsigned char m_storage[sizeof(T)];
    Error m_error = Error::from_errno(0);
    bool m_ok;
};

template <> class [[nodiscard]] ErrorOr<void> {
public:
    ErrorOr() : m_error(Error::from_errno(0)) {}
    ErrorOr(Error e) : m_error(e) {}
    bool is_error() const { return m_error.code() != 0; }
    Error error() const { return m_error; }
    void release_value() {}
    Error release_error() { return m_error; }

private:
    Error m_error;
};

// Propagates an error to the caller, else yields the value.
#define TRY(expr)                                                                                  \
    ({                                                                                             \
        auto _try_result = (expr);                                                                 \
        if (_try_result.is_error())                                                                \
            return _try_result.release_error();                                                    \
        _try_result.release_value();                                                               \
    })
