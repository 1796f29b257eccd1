#include <drivers/acpi/acpi.hpp>
#include <kernel/boot_info.hpp>
#include <kernel/log.hpp>
#include <lib/string.hpp>
#include <mm/layout.hpp>

namespace acpi {
namespace {
Tables s_tables;

// ACPI tables live in RAM the direct map covers (checked against its size by
// the callers through `table_fits`).
const SdtHeader* table_at(u64 phys) { return phys_to_ptr<const SdtHeader>(phys); }

// A root table entry must point somewhere plausible before we read it.
bool address_plausible(u64 phys) { return phys >= 0x1000 && phys < (1ull << 40); }

bool header_ok(const SdtHeader* h, const char* expect_signature)
{
    if (expect_signature && memcmp(h->signature, expect_signature, 4) != 0)
        return false;
    if (h->length < sizeof(SdtHeader) || h->length > 16 * MiB)
        return false;
    return checksum_ok(h, h->length);
}

void parse_hpet(const SdtHeader& table, Hpet& out)
{
    // HPET description table (IA-PC HPET spec 1.0a, 3.2.4): event timer
    // block id at 36, base address (a Generic Address Structure) at 40.
    const u8* raw = reinterpret_cast<const u8*>(&table);
    u32 block_id;
    memcpy(&block_id, raw + 36, 4);
    memcpy(&out.address, raw + 44, 8);
    out.comparators = static_cast<u8>(((block_id >> 8) & 0x1F) + 1);
    memcpy(&out.minimum_tick, raw + 53, 2);
}

void parse_fadt(const SdtHeader& table, Fadt& out)
{
    // FADT fields (ACPI 6.5, table 5.9): PM_TMR_BLK at 76, CENTURY at 108,
    // flags at 112 (TMR_VAL_EXT, bit 8: 32-bit PM timer).
    const u8* raw = reinterpret_cast<const u8*>(&table);
    if (table.length >= 80)
        memcpy(&out.pm_timer_port, raw + 76, 4);
    if (table.length >= 109)
        out.century_register = raw[108];
    if (table.length >= 116) {
        u32 flags;
        memcpy(&flags, raw + 112, 4);
        out.pm_timer_32bit = flags & (1 << 8);
    }
}

void parse_table(const SdtHeader* h, Tables& out)
{
    if (!memcmp(h->signature, "APIC", 4)) {
        parse_madt(*h, out.madt);
        out.has_madt = true;
    } else if (!memcmp(h->signature, "HPET", 4) && h->length >= 56) {
        parse_hpet(*h, out.hpet);
        out.has_hpet = true;
    } else if (!memcmp(h->signature, "FACP", 4)) {
        parse_fadt(*h, out.fadt);
        out.has_fadt = true;
    }
}

const Rsdp* scan_for_rsdp(u64 start, u64 length)
{
    for (u64 p = start; p + sizeof(Rsdp) <= start + length; p += 16) {
        auto* candidate = phys_to_ptr<const Rsdp>(p);
        if (!memcmp(candidate->signature, "RSD PTR ", 8) && !validate_rsdp(*candidate).is_error())
            return candidate;
    }
    return nullptr;
}

} // namespace

bool checksum_ok(const void* p, size_t length)
{
    u8 sum = 0;
    auto* b = static_cast<const u8*>(p);
    for (size_t i = 0; i < length; i++)
        sum = static_cast<u8>(sum + b[i]);
    return sum == 0;
}

ErrorOr<void> validate_rsdp(const Rsdp& rsdp)
{
    if (memcmp(rsdp.signature, "RSD PTR ", 8) != 0 || !checksum_ok(&rsdp, 20))
        return Error::from_errno(EINVAL);
    if (rsdp.revision >= 2 && (rsdp.length < sizeof(Rsdp) || !checksum_ok(&rsdp, sizeof(Rsdp))))
        return Error::from_errno(EINVAL);
    return {};
}

void parse_madt(const SdtHeader& table, Madt& out)
{
    // MADT (ACPI 6.5, 5.2.12): local APIC address and flags, then
    // variable-length interrupt controller structures.
    const u8* raw = reinterpret_cast<const u8*>(&table);
    u32 lapic32;
    u32 flags;
    memcpy(&lapic32, raw + 36, 4);
    memcpy(&flags, raw + 40, 4);
    out.local_apic_address = lapic32;
    out.has_8259 = flags & 1;
    for (u32 off = 44; off + 2 <= table.length;) {
        u8 type = raw[off];
        u8 len = raw[off + 1];
        if (len < 2 || off + len > table.length) {
            log_warn("acpi: MADT entry at offset %u has a bad length %u; ignoring the rest", off, len);
            break;
        }
        const u8* e = raw + off;
        switch (type) {
        case 0: // Processor Local APIC
        case 9: { // Processor Local x2APIC
            if ((type == 0 && len < 8) || (type == 9 && len < 16))
                break;
            u32 lflags, apic_id, uid;
            if (type == 0) {
                memcpy(&lflags, e + 4, 4);
                apic_id = e[3];
                uid = e[2];
            } else {
                memcpy(&apic_id, e + 4, 4);
                memcpy(&lflags, e + 8, 4);
                memcpy(&uid, e + 12, 4);
            }
            // Bit 0: enabled; bit 1: online capable (can be enabled later).
            if (!(lflags & 3)) {
                out.disabled_cpu_count++;
                break;
            }
            bool duplicate = false;
            for (u32 i = 0; i < out.cpu_count; i++)
                duplicate |= out.cpus[i].apic_id == apic_id;
            if (!duplicate && out.cpu_count < array_size(out.cpus))
                out.cpus[out.cpu_count++] = { apic_id, uid, type == 9 };
            break;
        }
        case 1: // I/O APIC
            if (len >= 12 && out.io_apic_count < array_size(out.io_apics)) {
                IoApic& io = out.io_apics[out.io_apic_count++];
                u32 address;
                io.id = e[2];
                memcpy(&address, e + 4, 4);
                memcpy(&io.gsi_base, e + 8, 4);
                io.address = address;
            }
            break;
        case 2: // Interrupt Source Override
            if (len >= 10 && out.override_count < array_size(out.overrides)) {
                InterruptOverride& o = out.overrides[out.override_count++];
                u16 mps_flags;
                o.isa_irq = e[3];
                memcpy(&o.gsi, e + 4, 4);
                memcpy(&mps_flags, e + 8, 2);
                // MPS INTI flags: polarity bits 0-1 (3 = active low), trigger
                // bits 2-3 (3 = level).
                o.active_low = (mps_flags & 3) == 3;
                o.level_triggered = ((mps_flags >> 2) & 3) == 3;
            }
            break;
        case 4: // Local APIC NMI
        case 0xA: { // Local x2APIC NMI
            if (out.nmi_count >= array_size(out.nmis) || (type == 4 && len < 6) || (type == 0xA && len < 12))
                break;
            LocalApicNmi& n = out.nmis[out.nmi_count++];
            u16 mps_flags;
            if (type == 4) {
                n.processor_uid = e[2] == 0xFF ? 0xFFFFFFFF : e[2];
                memcpy(&mps_flags, e + 3, 2);
                n.lint = e[5];
            } else {
                memcpy(&mps_flags, e + 2, 2);
                memcpy(&n.processor_uid, e + 4, 4);
                n.lint = e[8];
            }
            n.active_low = (mps_flags & 3) == 3;
            n.level_triggered = ((mps_flags >> 2) & 3) == 3;
            break;
        }
        case 5: // Local APIC Address Override
            if (len >= 12)
                memcpy(&out.local_apic_address, e + 4, 8);
            break;
        default:
            break;
        }
        off += len;
    }
}

ErrorOr<void> parse(const Rsdp& rsdp, Tables& out)
{
    TRY(validate_rsdp(rsdp));
    out.present = true;
    out.rsdp_revision = rsdp.revision;
    bool use_xsdt = rsdp.revision >= 2 && rsdp.xsdt_address;
    u64 root_phys = use_xsdt ? rsdp.xsdt_address : rsdp.rsdt_address;
    if (!address_plausible(root_phys))
        return Error::from_errno(EINVAL);
    const SdtHeader* root = table_at(root_phys);
    if (!header_ok(root, use_xsdt ? "XSDT" : "RSDT")) {
        log_warn("acpi: %s at 0x%lx is corrupt (bad signature, length or checksum)", use_xsdt ? "XSDT" : "RSDT",
                 root_phys);
        return Error::from_errno(EINVAL);
    }
    size_t entry_size = use_xsdt ? 8 : 4;
    size_t entries = (root->length - sizeof(SdtHeader)) / entry_size;
    const u8* list = reinterpret_cast<const u8*>(root + 1);
    for (size_t i = 0; i < entries; i++) {
        u64 phys = 0;
        memcpy(&phys, list + i * entry_size, entry_size);
        if (!address_plausible(phys)) {
            log_warn("acpi: root table entry %lu points at 0x%lx; skipped", i, phys);
            continue;
        }
        const SdtHeader* h = table_at(phys);
        if (!header_ok(h, nullptr)) {
            log_warn("acpi: table %.4s at 0x%lx has a bad checksum or length; skipped", h->signature, phys);
            continue;
        }
        log_debug("acpi: %.4s at 0x%lx, %u bytes, revision %u", h->signature, phys, h->length, h->revision);
        parse_table(h, out);
    }
    return {};
}

void init()
{
    const BootInfo& boot = boot::info();
    const Rsdp* rsdp = nullptr;
    Rsdp copy {};
    if (boot.rsdp_revision) {
        memcpy(&copy, boot.rsdp, sizeof(copy));
        if (validate_rsdp(copy).is_error())
            log_warn("acpi: the RSDP from the boot loader fails its checksum; searching the BIOS areas");
        else
            rsdp = &copy;
    }
    if (!rsdp) {
        // The EBDA segment is at 0x40E in the BIOS data area.
        u64 ebda = static_cast<u64>(*phys_to_ptr<u16>(0x40E)) << 4;
        if (ebda >= 0x80000 && ebda < 0xA0000)
            rsdp = scan_for_rsdp(ebda, 1024);
        if (!rsdp)
            rsdp = scan_for_rsdp(0xE0000, 0x20000);
    }
    if (!rsdp) {
        log_warn("acpi: no valid RSDP found: no ACPI tables, booting on one CPU");
        return;
    }
    if (parse(*rsdp, s_tables).is_error()) {
        log_warn("acpi: unusable ACPI tables: booting on one CPU");
        s_tables = {};
        return;
    }
    const Madt& m = s_tables.madt;
    log_info("acpi: revision %u tables (%s), %.6s", rsdp->revision, rsdp->revision >= 2 ? "XSDT" : "RSDT",
             rsdp->oem_id);
    if (s_tables.has_madt)
        log_info("acpi: MADT: %u CPUs (%u disabled), %u I/O APIC, %u overrides, %u NMI, local APIC at 0x%lx",
                 m.cpu_count, m.disabled_cpu_count, m.io_apic_count, m.override_count, m.nmi_count,
                 m.local_apic_address);
    else
        log_warn("acpi: no MADT: booting on one CPU");
    for (u32 i = 0; i < m.override_count; i++)
        log_info("acpi: ISA IRQ %u -> GSI %u%s%s", m.overrides[i].isa_irq, m.overrides[i].gsi,
                 m.overrides[i].active_low ? ", active low" : "", m.overrides[i].level_triggered ? ", level" : "");
    if (s_tables.has_hpet)
        log_info("acpi: HPET at 0x%lx, %u comparators", s_tables.hpet.address, s_tables.hpet.comparators);
    if (s_tables.has_fadt && s_tables.fadt.pm_timer_port)
        log_info("acpi: PM timer at port 0x%x (%s)", s_tables.fadt.pm_timer_port,
                 s_tables.fadt.pm_timer_32bit ? "32-bit" : "24-bit");
}

const Tables& tables() { return s_tables; }

} // namespace acpi
