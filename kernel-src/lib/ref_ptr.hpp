#pragma once
// Intrusive reference counting, in the style of SerenityOS AK: an object that
// derives from RefCounted<T> carries its own count, and RefPtr<T> holds one
// reference. The count is atomic so references can move between CPUs; the
// object is deleted when the last reference goes.
//
//   class Inode : public RefCounted<Inode> { ... };
//   RefPtr<Inode> a = adopt(new (std::nothrow) Inode(...)); // count 1
//   RefPtr<Inode> b = a;                                     // count 2
#include <lib/atomic.hpp>
#include <lib/types.hpp>

template <typename T> class RefCounted {
public:
    void ref() const { m_refs.fetch_add(1, __ATOMIC_RELAXED); }
    // Drops a reference; deletes the object when it was the last one.
    void unref() const
    {
        if (m_refs.fetch_sub(1, __ATOMIC_ACQ_REL) == 1)
            delete static_cast<const T*>(this);
    }
    u32 ref_count() const { return m_refs.load(__ATOMIC_RELAXED); }

protected:
    RefCounted() = default;
    ~RefCounted() = default;

private:
    mutable Atomic<u32> m_refs { 1 };
};

template <typename T> class RefPtr {
public:
    RefPtr() = default;
    RefPtr(decltype(nullptr)) {}
    // Takes a new reference to p (p may be nullptr).
    RefPtr(T* p) : m_ptr(p)
    {
        if (m_ptr)
            m_ptr->ref();
    }
    RefPtr(const RefPtr& o) : RefPtr(o.m_ptr) {}
    RefPtr(RefPtr&& o) : m_ptr(o.m_ptr) { o.m_ptr = nullptr; }
    template <typename U> RefPtr(const RefPtr<U>& o) : RefPtr(o.ptr()) {}
    template <typename U> RefPtr(RefPtr<U>&& o) : m_ptr(o.leak()) {}
    ~RefPtr() { clear(); }

    RefPtr& operator=(const RefPtr& o)
    {
        if (o.m_ptr)
            o.m_ptr->ref();
        clear();
        m_ptr = o.m_ptr;
        return *this;
    }
    RefPtr& operator=(RefPtr&& o)
    {
        if (this != &o) {
            clear();
            m_ptr = o.m_ptr;
            o.m_ptr = nullptr;
        }
        return *this;
    }
    RefPtr& operator=(decltype(nullptr))
    {
        clear();
        return *this;
    }

    void clear()
    {
        if (m_ptr)
            m_ptr->unref();
        m_ptr = nullptr;
    }
    // Gives up the reference without dropping it (for adopt()).
    T* leak()
    {
        T* p = m_ptr;
        m_ptr = nullptr;
        return p;
    }

    T* ptr() const { return m_ptr; }
    T* operator->() const { return m_ptr; }
    T& operator*() const { return *m_ptr; }
    explicit operator bool() const { return m_ptr != nullptr; }
    bool operator==(const RefPtr& o) const { return m_ptr == o.m_ptr; }
    bool operator==(const T* p) const { return m_ptr == p; }

    // Wraps a freshly created object whose count (1) belongs to the caller.
    static RefPtr adopt(T* p)
    {
        RefPtr r;
        r.m_ptr = p;
        return r;
    }

private:
    T* m_ptr = nullptr;
};

// RefPtr owning a new object's initial reference; nullptr stays nullptr.
template <typename T> RefPtr<T> adopt(T* p) { return RefPtr<T>::adopt(p); }
