// Until the VFS exists there are no file descriptors to map.
// fs/mmap_file.cpp replaces this file.
#include <syscall/mmap_file.hpp>

ErrorOr<MappedFile> open_mapped_file(i32, i64, u64, u32, bool) { return Error::from_errno(EBADF); }
