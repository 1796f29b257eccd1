// operator new/delete on the kernel heap. Plain new cannot fail by contract
// (no exceptions here), so it panics on exhaustion; code that can recover
// uses new (std::nothrow) and checks for nullptr.
#include <kernel/panic.hpp>
#include <lib/new.hpp>
#include <mm/heap.hpp>

namespace std {
const nothrow_t nothrow {};
}

namespace {
void* must_alloc(size_t size, size_t align)
{
    void* p = heap::alloc_aligned(size, align);
    if (!p)
        panic("out of memory: operator new(%lu, align %lu)", size, align);
    return p;
}
} // namespace

void* operator new(size_t size) { return must_alloc(size, 16); }
void* operator new[](size_t size) { return must_alloc(size, 16); }
void* operator new(size_t size, std::align_val_t align) { return must_alloc(size, static_cast<size_t>(align)); }
void* operator new[](size_t size, std::align_val_t align) { return must_alloc(size, static_cast<size_t>(align)); }
void* operator new(size_t size, const std::nothrow_t&) noexcept { return heap::alloc(size); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept { return heap::alloc(size); }
void operator delete(void* p) noexcept { heap::free(p); }
void operator delete[](void* p) noexcept { heap::free(p); }
void operator delete(void* p, size_t) noexcept { heap::free(p); }
void operator delete[](void* p, size_t) noexcept { heap::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { heap::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { heap::free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { heap::free(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { heap::free(p); }
