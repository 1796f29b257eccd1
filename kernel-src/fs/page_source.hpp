#pragma once
// An open file as the memory manager's PageSource (mm/page_source.hpp): the
// pages of an executable or of mmap(2) on a file are read through it.
#include <fs/open_file.hpp>
#include <mm/page_source.hpp>

namespace fs {
class FilePageSource final : public PageSource {
public:
    explicit FilePageSource(RefPtr<OpenFile> file) : m_file(move(file)) {}
    ErrorOr<size_t> read(u64 offset, void* buf, size_t n) override;
    u64 size() override;
    ErrorOr<PhysAddr> shared_page(u64 offset) override;

private:
    RefPtr<OpenFile> m_file;
};
} // namespace fs
