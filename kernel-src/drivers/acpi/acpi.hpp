#pragma once
// ACPI table discovery (ACPI 6.5 spec, chapter 5.2): the RSDP from the boot
// loader (or the BIOS areas), the RSDT/XSDT with checksums, and the tables we
// use: MADT (CPUs, I/O APICs, overrides, NMIs), HPET and FADT.
#include <lib/error_or.hpp>
#include <lib/types.hpp>

namespace acpi {

struct [[gnu::packed]] SdtHeader {
    char signature[4];
    u32 length;
    u8 revision;
    u8 checksum;
    char oem_id[6];
    char oem_table_id[8];
    u32 oem_revision;
    u32 creator_id;
    u32 creator_revision;
};
static_assert(sizeof(SdtHeader) == 36);

struct [[gnu::packed]] Rsdp {
    char signature[8]; // "RSD PTR "
    u8 checksum;       // over the first 20 bytes
    char oem_id[6];
    u8 revision;       // 0: ACPI 1.0 (RSDT only), 2: ACPI 2.0+ (XSDT)
    u32 rsdt_address;
    u32 length;        // ACPI 2.0+
    u64 xsdt_address;
    u8 extended_checksum; // over `length` bytes
    u8 reserved[3];
};
static_assert(sizeof(Rsdp) == 36);

struct LocalApic {
    u32 apic_id;
    u32 processor_uid;
    bool x2apic_entry;
};

struct IoApic {
    u32 id;
    u64 address;
    u32 gsi_base;
};

// An ISA IRQ delivered on another global system interrupt, with its
// polarity and trigger mode (MADT type 2).
struct InterruptOverride {
    u8 isa_irq;
    u32 gsi;
    bool active_low;
    bool level_triggered;
};

struct LocalApicNmi {
    u32 processor_uid; // 0xFF / 0xFFFFFFFF: all processors
    u8 lint;
    bool active_low;
    bool level_triggered;
};

struct Madt {
    u64 local_apic_address;
    bool has_8259;
    LocalApic cpus[256];
    u32 cpu_count;          // enabled (or online-capable) processors
    u32 disabled_cpu_count; // present in the table but unusable
    IoApic io_apics[8];
    u32 io_apic_count;
    InterruptOverride overrides[16];
    u32 override_count;
    LocalApicNmi nmis[16];
    u32 nmi_count;
};

struct Hpet {
    u64 address;
    u8 comparators;
    u16 minimum_tick;
};

struct Fadt {
    u32 pm_timer_port; // 0 when absent
    bool pm_timer_32bit;
    u8 century_register;
};

struct Tables {
    bool present;           // an RSDP with a valid checksum was found
    u8 rsdp_revision;
    bool has_madt, has_hpet, has_fadt;
    Madt madt;
    Hpet hpet;
    Fadt fadt;
};

// Byte sum over [p, p + length) is zero.
bool checksum_ok(const void* p, size_t length);

// Validates an RSDP (signature, checksums, revision-dependent length).
ErrorOr<void> validate_rsdp(const Rsdp& rsdp);

// Walks the RSDT/XSDT behind `rsdp` and parses the tables into `out`.
// Tables with a bad checksum or a length that does not fit are skipped with
// a log line. EINVAL when the RSDP or root table itself is bad.
ErrorOr<void> parse(const Rsdp& rsdp, Tables& out);

// Parses one MADT (its header already checked).
void parse_madt(const SdtHeader& table, Madt& out);

// Finds the RSDP: the copy the boot loader passed, else the BIOS areas
// (EBDA and 0xE0000-0xFFFFF, ACPI 5.2.5.1); then parses. Never fails
// loudly: without usable tables, `present` stays false.
void init();
const Tables& tables();

} // namespace acpi
