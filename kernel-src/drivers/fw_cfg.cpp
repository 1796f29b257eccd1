#include <arch/x86_64/cpu.hpp>
#include <drivers/fw_cfg.hpp>
#include <lib/string.hpp>

namespace fw_cfg {
namespace {
constexpr u16 SELECTOR_PORT = 0x510;
constexpr u16 DATA_PORT = 0x511;
constexpr u16 KEY_SIGNATURE = 0x0000;
constexpr u16 KEY_FILE_DIR = 0x0019;

void select(u16 key) { x86::outw(SELECTOR_PORT, key); }

void read(void* buf, size_t n)
{
    auto* p = static_cast<u8*>(buf);
    for (size_t i = 0; i < n; i++)
        p[i] = x86::inb(DATA_PORT);
}

u32 be32(const u8* p) { return (u32(p[0]) << 24) | (u32(p[1]) << 16) | (u32(p[2]) << 8) | p[3]; }
u16 be16(const u8* p) { return static_cast<u16>((p[0] << 8) | p[1]); }
} // namespace

bool present()
{
    char signature[4];
    select(KEY_SIGNATURE);
    read(signature, 4);
    return memcmp(signature, "QEMU", 4) == 0;
}

size_t read_file(const char* name, void* buf, size_t size)
{
    if (!present())
        return 0;
    select(KEY_FILE_DIR);
    u8 count_be[4];
    read(count_be, 4);
    u32 count = be32(count_be);
    // Each directory entry: be32 size, be16 select, u16 reserved, name[56].
    for (u32 i = 0; i < count; i++) {
        u8 entry[64];
        read(entry, sizeof(entry));
        const char* entry_name = reinterpret_cast<const char*>(entry + 8);
        if (strncmp(entry_name, name, 56) != 0)
            continue;
        u32 file_size = be32(entry);
        size_t n = file_size < size ? file_size : size;
        select(be16(entry + 4));
        read(buf, n);
        return n;
    }
    return 0;
}

} // namespace fw_cfg
