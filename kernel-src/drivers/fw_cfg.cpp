#include <arch/x86_64/cpu.hpp>
#include <drivers/fw_cfg.hpp>
#include <lib/spinlock.hpp>
#include <lib/string.hpp>
#include <mm/layout.hpp>

namespace fw_cfg {
namespace {
constexpr u16 SELECTOR_PORT = 0x510;
constexpr u16 DATA_PORT = 0x511;
constexpr u16 DMA_PORT_HIGH = 0x514; // the 64-bit DMA address register, big-endian halves;
constexpr u16 DMA_PORT_LOW = 0x518;  // writing the low half starts the transfer
constexpr u16 KEY_SIGNATURE = 0x0000;
constexpr u16 KEY_ID = 0x0001;
constexpr u16 KEY_FILE_DIR = 0x0019;
constexpr u32 ID_DMA = 1u << 1;

// FWCfgDmaAccess control bits.
constexpr u32 DMA_CTL_ERROR = 0x01;
constexpr u32 DMA_CTL_READ = 0x02;
constexpr u32 DMA_CTL_SELECT = 0x08;

// The request the device reads (big-endian fields, naturally aligned).
struct alignas(16) DmaAccess {
    u32 control;
    u32 length;
    u64 address;
};
DmaAccess s_dma;
Spinlock s_lock; // one selector, one request structure
// Probed once: probing selects other items, which must not happen between
// the reads of a file that continue one another.
enum class Probe : u8 { Unknown, Absent, Present };
Probe s_present = Probe::Unknown;
Probe s_has_dma = Probe::Unknown;

void select(u16 key) { x86::outw(SELECTOR_PORT, key); }

void read(void* buf, size_t n)
{
    auto* p = static_cast<u8*>(buf);
    for (size_t i = 0; i < n; i++)
        p[i] = x86::inb(DATA_PORT);
}

u32 be32(const u8* p) { return (u32(p[0]) << 24) | (u32(p[1]) << 16) | (u32(p[2]) << 8) | p[3]; }
u16 be16(const u8* p) { return static_cast<u16>((p[0] << 8) | p[1]); }
u32 bswap32(u32 v) { return __builtin_bswap32(v); }
u64 bswap64(u64 v) { return __builtin_bswap64(v); }

// One DMA request; the caller holds s_lock.
ErrorOr<void> dma_unlocked(u32 control, u64 dest_phys, u32 size)
{
    s_dma.control = bswap32(control);
    s_dma.length = bswap32(size);
    s_dma.address = bswap64(dest_phys);
    u64 request = virt_to_phys(&s_dma);
    asm volatile("" ::: "memory"); // the request is in memory before the device looks
    x86::outl(DMA_PORT_HIGH, bswap32(static_cast<u32>(request >> 32)));
    x86::outl(DMA_PORT_LOW, bswap32(static_cast<u32>(request)));
    // QEMU completes the copy before the port write returns; the loop
    // is for devices that do not.
    for (;;) {
        u32 state = bswap32(__atomic_load_n(&s_dma.control, __ATOMIC_ACQUIRE));
        if (state & DMA_CTL_ERROR)
            return Error::from_errno(EIO);
        if (state == 0)
            return {};
        asm volatile("pause" ::: "memory");
    }
}

// Room for 16 directory entries: the directory is read by DMA in chunks
// when the device can (a byte at a time it costs milliseconds under TCG).
alignas(64) u8 s_chunk[16 * 64];

// Reads n <= sizeof(s_chunk) bytes of the item into s_chunk; `from_start`
// selects `key` first. The caller holds s_lock.
void read_chunk(bool dma, u16 key, bool from_start, size_t n)
{
    if (dma) {
        u32 control = DMA_CTL_READ | (from_start ? (DMA_CTL_SELECT | (u32(key) << 16)) : 0);
        if (!dma_unlocked(control, virt_to_phys(s_chunk), static_cast<u32>(n)).is_error())
            return;
        memset(s_chunk, 0, n); // an error reads as an empty directory
        return;
    }
    if (from_start)
        select(key);
    read(s_chunk, n);
}

bool find_file_unlocked(const char* name, FileInfo& out, bool dma)
{
    read_chunk(dma, KEY_FILE_DIR, true, 4);
    u32 count = be32(s_chunk);
    // Each directory entry: be32 size, be16 select, u16 reserved, name[56].
    for (u32 first = 0; first < count; first += 16) {
        u32 n = count - first < 16 ? count - first : 16;
        read_chunk(dma, KEY_FILE_DIR, false, n * 64);
        for (u32 i = 0; i < n; i++) {
            const u8* entry = s_chunk + i * 64;
            const char* entry_name = reinterpret_cast<const char*>(entry + 8);
            if (strncmp(entry_name, name, 56) == 0) {
                out.size = be32(entry);
                out.select = be16(entry + 4);
                return true;
            }
        }
    }
    return false;
}
} // namespace

bool present()
{
    SpinlockGuard guard(s_lock);
    if (s_present == Probe::Unknown) {
        char signature[4];
        select(KEY_SIGNATURE);
        read(signature, 4);
        s_present = memcmp(signature, "QEMU", 4) == 0 ? Probe::Present : Probe::Absent;
    }
    return s_present == Probe::Present;
}

bool find_file(const char* name, FileInfo& out)
{
    if (!present())
        return false;
    bool dma = dma_available();
    SpinlockGuard guard(s_lock);
    return find_file_unlocked(name, out, dma);
}

size_t read_file(const char* name, void* buf, size_t size)
{
    FileInfo f;
    if (!find_file(name, f))
        return 0;
    size_t n = f.size < size ? f.size : size;
    port_read(f.select, true, buf, n);
    return n;
}

bool dma_available()
{
    if (!present())
        return false;
    SpinlockGuard guard(s_lock);
    if (s_has_dma == Probe::Unknown) {
        u8 id[4];
        select(KEY_ID);
        read(id, 4); // little-endian
        s_has_dma = ((id[0] | (u32(id[1]) << 8)) & ID_DMA) ? Probe::Present : Probe::Absent;
    }
    return s_has_dma == Probe::Present;
}

ErrorOr<void> dma_read(u16 key, bool from_start, u64 dest_phys, u32 size)
{
    if (!dma_available())
        return Error::from_errno(ENODEV);
    SpinlockGuard guard(s_lock);
    u32 control = DMA_CTL_READ | (from_start ? (DMA_CTL_SELECT | (u32(key) << 16)) : 0);
    return dma_unlocked(control, dest_phys, size);
}

void port_read(u16 key, bool from_start, void* dest, size_t size)
{
    SpinlockGuard guard(s_lock);
    if (from_start)
        select(key);
    read(dest, size);
}

} // namespace fw_cfg
