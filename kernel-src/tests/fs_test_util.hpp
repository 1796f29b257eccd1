#pragma once
// Helpers shared by the file system suites: a scratch directory under
// /tmp removed afterwards, whole-file read and write through the VFS, and
// errno assertions.
#include <fs/fs_context.hpp>
#include <fs/vfs.hpp>
#include <kernel/ktest.hpp>
#include <lib/format.hpp>
#include <lib/string.hpp>
#include <lib/text_buffer.hpp>

namespace fstest {
using namespace fs;

inline PathStart kstart() { return start_at_cwd(kernel_fs_context()); }

// Fails the case unless `expr` (an ErrorOr) fails with errno `code`.
#define KEXPECT_ERRNO(t, expr, expected_errno)                                                     \
    do {                                                                                           \
        auto _ke = (expr);                                                                         \
        if (!_ke.is_error())                                                                       \
            (t).fail(__FILE__, __LINE__, "%s succeeded, expected %s", #expr,                       \
                     errno_name(expected_errno));                                                  \
        else if (_ke.error().code() != (expected_errno))                                           \
            (t).fail(__FILE__, __LINE__, "%s: got %s, expected %s", #expr, _ke.error().name(),    \
                     errno_name(expected_errno));                                                  \
    } while (0)

// Removes `path` and everything below it (best effort).
inline void remove_tree(const char* path)
{
    auto loc = resolve(kstart(), path, 0);
    if (loc.is_error())
        return;
    if (!loc.value().inode->is_directory()) {
        (void)vfs::unlink(kstart(), path);
        return;
    }
    // Collect names first: removing while iterating would shift positions.
    struct Names final : DirSink {
        TextBuffer names; // NUL-separated
        size_t count = 0;
        bool emit(StringView name, u64, u8, u64) override
        {
            if (name == "." || name == "..")
                return true;
            names.append(name.chars(), name.length());
            names.append_char('\n');
            count++;
            return true;
        }
    };
    Names names;
    (void)loc.value().inode->iterate(0, names);
    const char* p = names.names.c_str();
    char child[512];
    while (*p) {
        const char* end = p;
        while (*end && *end != '\n')
            end++;
        format(child, sizeof(child), "%s/%.*s", path, static_cast<int>(end - p), p);
        remove_tree(child);
        p = *end ? end + 1 : end;
    }
    (void)vfs::rmdir(kstart(), path);
}

// A fresh directory /tmp/ktest-<name>-<n>, removed (with its contents) by
// the destructor.
class ScratchDir {
public:
    explicit ScratchDir(const char* name)
    {
        static u32 s_counter;
        format(m_path, sizeof(m_path), "/tmp/ktest-%s-%u", name, ++s_counter);
        remove_tree(m_path);
        m_ok = !vfs::mkdir(kstart(), m_path, 0755).is_error();
    }
    ~ScratchDir()
    {
        // Leave / as the cwd whatever the test did.
        kernel_fs_context().set_cwd(MountTable::root());
        remove_tree(m_path);
    }
    bool ok() const { return m_ok; }
    const char* path() const { return m_path; }
    // m_path + "/" + rel, in one of four buffers owned by this object, so
    // a call may take several joined paths.
    const char* operator()(const char* rel)
    {
        char* out = m_join[m_next++ % 4];
        format(out, sizeof(m_join[0]), "%s/%s", m_path, rel);
        return out;
    }

private:
    char m_path[96];
    char m_join[4][256];
    u32 m_next = 0;
    bool m_ok = false;
};

inline ErrorOr<void> write_file(const char* path, const void* data, size_t size, u32 flags = O_CREAT | O_TRUNC)
{
    RefPtr<OpenFile> f = TRY(vfs::open(kstart(), path, O_WRONLY | flags, 0644));
    size_t n = TRY(f->write(IoBuffer::kernel(const_cast<void*>(data), size)));
    if (n != size)
        return Error::from_errno(EIO);
    return {};
}

inline ErrorOr<void> write_file(const char* path, const char* text) { return write_file(path, text, strlen(text)); }

// The whole file as text (files up to `max` bytes).
inline ErrorOr<void> read_file(const char* path, TextBuffer& out, size_t max = 64 * 1024)
{
    RefPtr<OpenFile> f = TRY(vfs::open(kstart(), path, O_RDONLY, 0));
    out.clear();
    char chunk[256];
    while (out.size() < max) {
        size_t n = TRY(f->read(IoBuffer::kernel(chunk, sizeof(chunk))));
        if (n == 0)
            break;
        out.append(chunk, n);
    }
    return out.status();
}

inline ErrorOr<Metadata> stat_path(const char* path, bool follow = true)
{
    Location loc = TRY(resolve(kstart(), path, follow ? FOLLOW_FINAL : 0));
    return loc.inode->metadata();
}

} // namespace fstest
