#pragma once
// What the file system calls share: copying paths in from user memory,
// finding the caller's open files, and turning (dirfd, path, AT_* flags)
// into a place to start a lookup, with Linux's rules (AT_FDCWD, EBADF for
// a bad dirfd, ENOTDIR for a non-directory one, dirfd ignored for absolute
// paths, AT_EMPTY_PATH).
#include <fs/fs_context.hpp>
#include <fs/vfs.hpp>
#include <kernel/uaccess.hpp>

namespace fs_syscall {
using namespace fs;

// A NUL-terminated path copied from user memory into a PATH_MAX heap
// buffer. EFAULT for a bad pointer, ENAMETOOLONG when no NUL comes within
// PATH_MAX bytes. Empty paths are allowed here (callers decide).
class UserPath {
public:
    static ErrorOr<UserPath> copy(UserAddr addr);
    UserPath(UserPath&& o) : m_data(o.m_data) { o.m_data = nullptr; }
    UserPath(const UserPath&) = delete;
    UserPath& operator=(const UserPath&) = delete;
    ~UserPath();
    const char* c_str() const { return m_data; }
    bool empty() const { return m_data[0] == 0; }

private:
    explicit UserPath(char* data) : m_data(data) {}
    char* m_data;
};

// A scratch buffer on the heap (kernel stacks are small); check ok().
class ScratchBuffer {
public:
    explicit ScratchBuffer(size_t size);
    ~ScratchBuffer();
    ScratchBuffer(const ScratchBuffer&) = delete;
    ScratchBuffer& operator=(const ScratchBuffer&) = delete;
    bool ok() const { return m_data != nullptr; }
    char* data() { return m_data; }
    size_t size() const { return m_size; }

private:
    char* m_data;
    size_t m_size;
};

// The caller's open file `fd` (EBADF). file_for accepts O_PATH
// descriptors (fstat, fchdir, *at dirfds: Linux's fdget_raw);
// file_for_io refuses them with EBADF (fdget).
ErrorOr<RefPtr<OpenFile>> file_for(i32 fd);
ErrorOr<RefPtr<OpenFile>> file_for_io(i32 fd);

// Where a lookup of `path` relative to `dirfd` starts.
ErrorOr<PathStart> start_for(i32 dirfd, const char* path);

// The object (dirfd, path) names for the *at calls that take
// AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH: `follow` is the default,
// AT_SYMLINK_NOFOLLOW turns it off, AT_EMPTY_PATH with "" names dirfd
// itself (any kind of file, or the cwd for AT_FDCWD).
ErrorOr<Location> lookup_at(i32 dirfd, const UserPath& path, i32 flags, bool follow);

// Copies an inode's metadata into Linux's struct stat / statx.
void fill_stat(const Metadata& m, LinuxStat& out);
void fill_statx(const Metadata& m, const Location& loc, LinuxStatx& out);

inline i64 ok() { return 0; }

} // namespace fs_syscall
