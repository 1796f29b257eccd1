#pragma once
// mmap of a file descriptor: the VFS glue (fs/mmap_file.cpp) turns an open
// file into a PageSource. EBADF, EACCES (not open for reading), ENODEV (not
// a regular file), ENODEV for a writable shared mapping (no write-back).
#include <lib/error_or.hpp>
#include <mm/page_source.hpp>

struct MappedFile {
    RefPtr<PageSource> source;
    u64 bytes; // file bytes from the offset that the mapping covers
};
ErrorOr<MappedFile> open_mapped_file(i32 fd, i64 offset, u64 length, u32 prot, bool shared);
