#pragma once
// The contents of a file as the memory manager and exec see them: the
// page-fault handler reads one page at a time for private file mappings
// (an executable's segments, mmap of a file), exec reads headers. The VFS
// adapts open files to it; tests use memory.
#include <lib/error_or.hpp>
#include <lib/ref_ptr.hpp>
#include <lib/string.hpp>
#include <lib/types.hpp>
#include <mm/layout.hpp>

class PageSource : public RefCounted<PageSource> {
public:
    virtual ~PageSource() = default;
    // Copies up to n bytes at `offset` into the kernel buffer; returns how
    // many (fewer at the end of the file, 0 past it).
    virtual ErrorOr<size_t> read(u64 offset, void* buf, size_t n) = 0;
    virtual u64 size() = 0;
    // A page-cache page holding bytes [offset, offset + 4096) (offset page
    // aligned) that private mappings may share read-only, with a reference
    // for the caller; ENOTSUP when the source has none (then read_page).
    virtual ErrorOr<PhysAddr> shared_page(u64 offset)
    {
        (void)offset;
        return Error::from_errno(ENOTSUP);
    }
    // Fills the 4 KiB kernel buffer `page` with bytes [offset, offset + 4096),
    // zeros past the end.
    ErrorOr<void> read_page(u64 offset, u8* page)
    {
        size_t got = TRY(read(offset, page, 4096));
        if (got < 4096)
            memset(page + got, 0, 4096 - got);
        return {};
    }
};

// A PageSource over bytes in kernel memory (tests, embedded programs). The
// bytes must outlive it.
class MemoryPageSource final : public PageSource {
public:
    MemoryPageSource(const void* data, u64 size) : m_data(static_cast<const u8*>(data)), m_size(size) {}
    ErrorOr<size_t> read(u64 offset, void* buf, size_t n) override
    {
        if (offset >= m_size)
            return static_cast<size_t>(0);
        size_t count = static_cast<size_t>(min<u64>(n, m_size - offset));
        memcpy(buf, m_data + offset, count);
        return count;
    }
    u64 size() override { return m_size; }

private:
    const u8* m_data;
    u64 m_size;
};
