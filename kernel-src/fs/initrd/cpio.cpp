#include <fs/abi.hpp>
#include <fs/initrd/cpio.hpp>
#include <lib/format.hpp>
#include <lib/string.hpp>

namespace cpio {
namespace {

constexpr size_t HEADER_SIZE = 110;
constexpr size_t FIELD_COUNT = 13;
// Larger entries or names than this are refused as corrupt: a 4 GiB file
// cannot be in an archive the boot loader handed us whole anyway.
constexpr u32 MAX_NAME = fs::PATH_MAX;

size_t pad4(size_t v) { return (v + 3) & ~static_cast<size_t>(3); }

bool parse_hex(const u8* p, u32& out)
{
    u32 v = 0;
    for (int i = 0; i < 8; i++) {
        u8 c = p[i];
        u32 d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return false;
        v = (v << 4) | d;
    }
    out = v;
    return true;
}

struct Walker {
    const u8* data;
    size_t size;
    char* why;
    size_t why_size;

    Error fail(size_t at, const char* what)
    {
        if (why && why_size)
            format(why, why_size, "%s at offset %lu", what, at);
        return Error::from_errno(EINVAL);
    }

    // Walks every entry; calls `visitor` when given.
    ErrorOr<Summary> walk(Visitor* visitor)
    {
        Summary s {};
        size_t pos = 0;
        bool in_archive = false;
        for (;;) {
            if (!in_archive) {
                // Between archives: zero padding, then another one or the end.
                while (pos < size && data[pos] == 0)
                    pos++;
                if (pos >= size)
                    break;
                if (pos % 4)
                    return fail(pos, "archive not aligned to 4 bytes");
                if (size - pos >= 2 && data[pos] == 0x1f && data[pos + 1] == 0x8b)
                    return fail(pos, "gzip-compressed archive (unpack it first)");
                in_archive = true;
                s.archives++;
            }
            if (size - pos < HEADER_SIZE)
                return fail(pos, "truncated header");
            const u8* h = data + pos;
            if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
                return fail(pos, "bad magic (not a newc cpio archive)");
            u32 f[FIELD_COUNT];
            for (size_t i = 0; i < FIELD_COUNT; i++) {
                if (!parse_hex(h + 6 + i * 8, f[i]))
                    return fail(pos + 6 + i * 8, "bad hex digit in header");
            }
            Entry e {};
            e.ino = f[0];
            e.mode = f[1];
            e.uid = f[2];
            e.gid = f[3];
            e.nlink = f[4];
            e.mtime = f[5];
            e.size = f[6];
            e.dev_major = f[7];
            e.dev_minor = f[8];
            e.rdev_major = f[9];
            e.rdev_minor = f[10];
            u32 name_size = f[11]; // f[12] is the checksum (070702), not verified
            if (name_size == 0 || name_size > MAX_NAME)
                return fail(pos, "bad name size");
            size_t name_at = pos + HEADER_SIZE;
            if (size - name_at < name_size)
                return fail(pos, "name runs past the end");
            const char* name = reinterpret_cast<const char*>(data + name_at);
            if (name[name_size - 1] != 0)
                return fail(pos, "name without its terminating NUL");
            e.name = StringView(name, strlen(name)); // an inner NUL ends it, as in Linux
            size_t data_at = pad4(name_at + name_size);
            if (data_at > size || size - data_at < e.size)
                return fail(pos, "data runs past the end");
            e.data = data + data_at;
            pos = data_at + e.size;
            if (pos < size)
                pos = pad4(pos) <= size ? pad4(pos) : size;
            if (e.name == "TRAILER!!!") {
                in_archive = false;
                continue;
            }
            u32 type = e.mode & fs::S_IFMT;
            if (type == fs::S_IFLNK && (e.size == 0 || e.size >= fs::PATH_MAX))
                return fail(data_at, "bad symlink target length");
            if (type == fs::S_IFDIR && e.size != 0)
                return fail(data_at, "directory with data");
            if (type != fs::S_IFREG && type != fs::S_IFDIR && type != fs::S_IFLNK && type != fs::S_IFCHR &&
                type != fs::S_IFBLK && type != fs::S_IFIFO && type != fs::S_IFSOCK)
                return fail(pos, "unknown file type");
            s.entries++;
            s.data_bytes += e.size;
            if (visitor)
                TRY(visitor->entry(e));
        }
        if (in_archive || s.archives == 0)
            return fail(size, s.archives ? "no TRAILER!!! at the end" : "empty archive");
        return s;
    }
};

} // namespace

ErrorOr<Summary> parse(const u8* data, size_t size, Visitor* visitor, char* why, size_t why_size)
{
    Walker w { data, size, why, why_size };
    TRY(w.walk(nullptr)); // validate everything first
    return w.walk(visitor);
}

} // namespace cpio
