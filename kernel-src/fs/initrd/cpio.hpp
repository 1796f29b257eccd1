#pragma once
// The cpio "newc" format of Linux's initramfs (Documentation/driver-api/
// early-userspace/buffer-format.rst): each entry is a 110-byte header of
// "070701" (or "070702", with a checksum) and 13 fields of 8 hex digits,
// then the NUL-terminated name, padded to 4 bytes, then the data, padded to
// 4 bytes. "TRAILER!!!" ends an archive; zero padding and further archives
// may follow, as the kernel's own unpacker accepts.
//
// parse() validates before it reports anything: a malformed archive
// (bad magic or digits, a name without its NUL, lengths past the end, huge
// sizes, no trailer) is EINVAL with a reason, and the visitor never sees a
// partial archive.
#include <lib/error_or.hpp>
#include <lib/string_view.hpp>

namespace cpio {

struct Entry {
    StringView name;      // as stored ("./bin/sh", "bin", "."), without the NUL
    u32 ino;
    u32 mode;             // type and permission bits (Linux's S_IF*)
    u32 uid, gid;
    u32 nlink;
    u32 mtime;
    u32 dev_major, dev_minor;
    u32 rdev_major, rdev_minor;
    const u8* data;       // file content or symlink target, inside the archive
    u32 size;
};

class Visitor {
public:
    virtual ErrorOr<void> entry(const Entry& e) = 0;

protected:
    ~Visitor() = default;
};

struct Summary {
    u32 entries;          // without trailers
    u64 data_bytes;
    u32 archives;         // concatenated archives found
};

// Checks the whole archive, then calls visitor.entry for every entry in
// order. On EINVAL, `why` (when given) says what is wrong and where.
ErrorOr<Summary> parse(const u8* data, size_t size, Visitor* visitor, char* why = nullptr, size_t why_size = 0);

} // namespace cpio
