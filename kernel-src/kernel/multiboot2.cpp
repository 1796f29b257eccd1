#include <kernel/boot_info.hpp>
#include <kernel/log.hpp>
#include <lib/string.hpp>
#include <mm/layout.hpp>

namespace boot {
namespace {
constexpr u32 BOOT_MAGIC = 0x36D76289;

// Tag types (Multiboot2 spec, 3.6.x).
enum TagType : u32 {
    TAG_END = 0,
    TAG_CMDLINE = 1,
    TAG_BOOTLOADER = 2,
    TAG_MODULE = 3,
    TAG_MMAP = 6,
    TAG_FRAMEBUFFER = 8,
    TAG_ACPI_OLD = 14,
    TAG_ACPI_NEW = 15,
};

struct [[gnu::packed]] Tag {
    u32 type;
    u32 size;
};
struct [[gnu::packed]] MmapTag {
    Tag tag;
    u32 entry_size;
    u32 entry_version;
};
struct [[gnu::packed]] MmapEntry {
    u64 base;
    u64 length;
    u32 type;
    u32 reserved;
};
struct [[gnu::packed]] ModuleTag {
    Tag tag;
    u32 start;
    u32 end;
    char cmdline[];
};
struct [[gnu::packed]] FramebufferTag {
    Tag tag;
    u64 address;
    u32 pitch, width, height;
    u8 bpp, type;
    u16 reserved;
};

BootInfo s_info;
} // namespace

const BootInfo& info() { return s_info; }
BootInfo& mutable_info() { return s_info; }

bool parse_multiboot2(u32 magic, u64 info_phys, BootInfo& out)
{
    if (magic != BOOT_MAGIC)
        return false;
    auto* base = phys_to_ptr<u8>(info_phys);
    u32 total_size = *reinterpret_cast<u32*>(base);
    out.info_phys = info_phys;
    out.info_size = total_size;
    // Tags start at offset 8 and are 8-byte aligned.
    for (u32 offset = 8; offset + sizeof(Tag) <= total_size;) {
        auto* tag = reinterpret_cast<Tag*>(base + offset);
        if (tag->type == TAG_END || tag->size < sizeof(Tag))
            break;
        const char* payload = reinterpret_cast<const char*>(tag + 1);
        switch (tag->type) {
        case TAG_CMDLINE:
            strlcpy(out.cmdline, payload, sizeof(out.cmdline));
            break;
        case TAG_BOOTLOADER:
            strlcpy(out.bootloader, payload, sizeof(out.bootloader));
            break;
        case TAG_MODULE: {
            auto* m = reinterpret_cast<ModuleTag*>(tag);
            if (out.module_count < array_size(out.modules)) {
                BootModule& mod = out.modules[out.module_count++];
                mod.start = m->start;
                mod.end = m->end;
                strlcpy(mod.cmdline, m->cmdline, sizeof(mod.cmdline));
            }
            break;
        }
        case TAG_MMAP: {
            auto* mm = reinterpret_cast<MmapTag*>(tag);
            for (u32 off = sizeof(MmapTag); off + mm->entry_size <= tag->size; off += mm->entry_size) {
                auto* e = reinterpret_cast<MmapEntry*>(reinterpret_cast<u8*>(tag) + off);
                if (out.region_count >= array_size(out.regions))
                    break;
                u32 type = e->type;
                if (type < 1 || type > 5)
                    type = static_cast<u32>(MemoryType::Reserved);
                out.regions[out.region_count++] = { e->base, e->length, static_cast<MemoryType>(type) };
            }
            break;
        }
        case TAG_FRAMEBUFFER: {
            auto* fb = reinterpret_cast<FramebufferTag*>(tag);
            out.framebuffer = { fb->address, fb->pitch, fb->width, fb->height, fb->bpp, fb->type };
            out.has_framebuffer = true;
            break;
        }
        case TAG_ACPI_OLD:
        case TAG_ACPI_NEW: {
            // Prefer the ACPI 2.0 copy when the loader gives both.
            u32 revision = tag->type == TAG_ACPI_NEW ? 2 : 1;
            if (revision >= out.rsdp_revision) {
                u32 len = tag->size - sizeof(Tag);
                memcpy(out.rsdp, payload, len < sizeof(out.rsdp) ? len : sizeof(out.rsdp));
                out.rsdp_revision = revision;
            }
            break;
        }
        default:
            break;
        }
        offset += align_up(tag->size, 8);
    }
    return true;
}

void log_boot_info(const BootInfo& b)
{
    static const char* const type_names[] = { "?", "usable", "reserved", "ACPI reclaimable", "ACPI NVS",
                                              "bad" };
    log_info("boot: loader \"%s\", command line \"%s\"", b.bootloader, b.cmdline);
    log_info("boot: multiboot2 info at 0x%lx, %lu bytes", b.info_phys, b.info_size);
    for (u32 i = 0; i < b.region_count; i++) {
        const MemoryRegion& r = b.regions[i];
        log_info("boot: memory %016lx-%016lx %s", r.base, r.base + r.length - 1,
                 type_names[static_cast<u32>(r.type)]);
    }
    for (u32 i = 0; i < b.module_count; i++)
        log_info("boot: module %lx-%lx \"%s\"", b.modules[i].start, b.modules[i].end, b.modules[i].cmdline);
    if (b.rsdp_revision)
        log_info("boot: ACPI RSDP (%s) from the loader", b.rsdp_revision == 2 ? "2.0+" : "1.0");
    else
        log_info("boot: no ACPI RSDP from the loader");
    if (b.has_framebuffer)
        log_info("boot: framebuffer %ux%u, %u bpp, type %u at %lx", b.framebuffer.width, b.framebuffer.height,
                 b.framebuffer.bpp, b.framebuffer.type, b.framebuffer.address);
}

} // namespace boot
