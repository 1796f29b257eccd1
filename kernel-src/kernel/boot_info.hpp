#pragma once
// What the boot loader told us, copied out of the Multiboot2 information
// structure (Multiboot2 spec, section 3.6) into kernel memory.
#include <lib/types.hpp>

enum class MemoryType : u32 {
    Usable = 1,
    Reserved = 2,
    AcpiReclaimable = 3,
    AcpiNvs = 4,
    Bad = 5,
};

struct MemoryRegion {
    u64 base;
    u64 length;
    MemoryType type;
};

struct BootModule {
    u64 start;
    u64 end;
    char cmdline[64];
};

struct Framebuffer {
    u64 address;
    u32 pitch, width, height;
    u8 bpp, type; // type 2 = EGA text
};

struct BootInfo {
    char cmdline[512];
    char bootloader[64];
    MemoryRegion regions[128];
    u32 region_count;
    BootModule modules[16];
    u32 module_count;
    u8 rsdp[36];         // a copy of the ACPI RSDP (v1: 20 bytes, v2: 36)
    u32 rsdp_revision;   // 0 = none found, 1 = ACPI 1.0 RSDP, 2 = ACPI 2.0+ XSDP
    Framebuffer framebuffer;
    bool has_framebuffer;
    u64 info_phys;       // where the loader put the structure, and its size
    u64 info_size;
};

namespace boot {
// Parses the structure at `info_phys` (reached through the direct map).
// Returns false when `magic` is not the Multiboot2 boot magic.
bool parse_multiboot2(u32 magic, u64 info_phys, BootInfo& out);
const BootInfo& info();
BootInfo& mutable_info();
void log_boot_info(const BootInfo& info);
} // namespace boot
