// acpi: table validation and MADT parsing, on tables built in memory (good,
// corrupt and truncated) and on the machine's own.
#include <drivers/acpi/acpi.hpp>
#include <kernel/ktest.hpp>
#include <lib/string.hpp>
#include <mm/pmm.hpp>

namespace {

using acpi::Rsdp;
using acpi::SdtHeader;

// Sets the header's checksum byte so the table sums to zero.
void seal(SdtHeader* h)
{
    h->checksum = 0;
    u8 sum = 0;
    auto* b = reinterpret_cast<const u8*>(h);
    for (u32 i = 0; i < h->length; i++)
        sum = static_cast<u8>(sum + b[i]);
    h->checksum = static_cast<u8>(-sum);
}

void seal_rsdp(Rsdp* r)
{
    r->checksum = 0;
    u8 sum = 0;
    auto* b = reinterpret_cast<const u8*>(r);
    for (int i = 0; i < 20; i++)
        sum = static_cast<u8>(sum + b[i]);
    r->checksum = static_cast<u8>(-sum);
    if (r->revision >= 2) {
        r->extended_checksum = 0;
        sum = 0;
        for (u32 i = 0; i < sizeof(Rsdp); i++)
            sum = static_cast<u8>(sum + b[i]);
        r->extended_checksum = static_cast<u8>(-sum);
    }
}

// A page holding RSDP, RSDT and MADT:
//   RSDT -> MADT with two enabled CPUs (APIC ids 0 and 3), one disabled,
//   one x2APIC CPU (id 300), an I/O APIC at 0xFEC00000 (GSI base 0), an
//   override IRQ 0 -> GSI 2 and IRQ 9 -> GSI 9 active-low level, and an
//   NMI entry on LINT1 for all CPUs.
struct FakeTables {
    PhysAddr page;
    Rsdp* rsdp;
    SdtHeader* rsdt;
    SdtHeader* madt;
};


u8* put_bytes(u8* p, const u8* bytes, size_t n)
{
    memcpy(p, bytes, n);
    return p + n;
}

bool build(FakeTables& f)
{
    auto page = pmm::alloc_zeroed_page();
    if (page.is_error())
        return false;
    f.page = page.value();
    u8* base = phys_to_ptr<u8>(f.page);
    f.rsdp = reinterpret_cast<Rsdp*>(base);
    f.rsdt = reinterpret_cast<SdtHeader*>(base + 0x100);
    f.madt = reinterpret_cast<SdtHeader*>(base + 0x200);

    memcpy(f.rsdp->signature, "RSD PTR ", 8);
    memcpy(f.rsdp->oem_id, "OSKIT ", 6);
    f.rsdp->revision = 0;
    f.rsdp->rsdt_address = static_cast<u32>(f.page + 0x100);
    seal_rsdp(f.rsdp);

    memcpy(f.rsdt->signature, "RSDT", 4);
    f.rsdt->length = sizeof(SdtHeader) + 4;
    u32 madt_phys = static_cast<u32>(f.page + 0x200);
    memcpy(f.rsdt + 1, &madt_phys, 4);
    seal(f.rsdt);

    memcpy(f.madt->signature, "APIC", 4);
    u8* p = reinterpret_cast<u8*>(f.madt) + sizeof(SdtHeader);
    const u8 header[8] = { 0x00, 0x00, 0xE0, 0xFE, 0x01, 0, 0, 0 }; // LAPIC 0xFEE00000, PCAT_COMPAT
    p = put_bytes(p, header, 8);
    const u8 cpu0[8] = { 0, 8, 0, 0, 1, 0, 0, 0 };       // uid 0, APIC id 0, enabled
    const u8 cpu1[8] = { 0, 8, 1, 3, 1, 0, 0, 0 };       // uid 1, APIC id 3, enabled
    const u8 cpu2[8] = { 0, 8, 2, 5, 0, 0, 0, 0 };       // disabled
    const u8 x2cpu[16] = { 9, 16, 0, 0, 0x2C, 0x01, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0 }; // x2APIC id 300
    const u8 ioapic[12] = { 1, 12, 4, 0, 0x00, 0x00, 0xC0, 0xFE, 0, 0, 0, 0 };
    const u8 override0[10] = { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 };
    const u8 override9[10] = { 2, 10, 0, 9, 9, 0, 0, 0, 0x0F, 0 };  // active low, level
    const u8 nmi[6] = { 4, 6, 0xFF, 0x05, 0x00, 1 };                // all CPUs, LINT1, edge high
    p = put_bytes(p, cpu0, 8);
    p = put_bytes(p, cpu1, 8);
    p = put_bytes(p, cpu2, 8);
    p = put_bytes(p, x2cpu, 16);
    p = put_bytes(p, ioapic, 12);
    p = put_bytes(p, override0, 10);
    p = put_bytes(p, override9, 10);
    p = put_bytes(p, nmi, 6);
    f.madt->length = static_cast<u32>(p - reinterpret_cast<u8*>(f.madt));
    seal(f.madt);
    return true;
}

void checksums(KTest& t)
{
    u8 bytes[4] = { 1, 2, 3, static_cast<u8>(-6) };
    KEXPECT(t, acpi::checksum_ok(bytes, 4));
    bytes[0] ^= 1;
    KEXPECT(t, !acpi::checksum_ok(bytes, 4));
}

void rsdp_validation(KTest& t)
{
    FakeTables f;
    KASSERT_TRUE(t, build(f));
    KEXPECT(t, !acpi::validate_rsdp(*f.rsdp).is_error());
    f.rsdp->oem_id[0] ^= 0x20; // checksum no longer matches
    KEXPECT(t, acpi::validate_rsdp(*f.rsdp).is_error());
    seal_rsdp(f.rsdp);
    f.rsdp->signature[0] = 'X';
    seal_rsdp(f.rsdp);
    KEXPECT(t, acpi::validate_rsdp(*f.rsdp).is_error());
    // ACPI 2.0: the extended checksum covers all 36 bytes.
    memcpy(f.rsdp->signature, "RSD PTR ", 8);
    f.rsdp->revision = 2;
    f.rsdp->length = sizeof(Rsdp);
    seal_rsdp(f.rsdp);
    KEXPECT(t, !acpi::validate_rsdp(*f.rsdp).is_error());
    f.rsdp->reserved[0] = 1;
    KEXPECT(t, acpi::validate_rsdp(*f.rsdp).is_error());
    pmm::free_page(f.page);
}

void madt_parsed(KTest& t)
{
    FakeTables f;
    KASSERT_TRUE(t, build(f));
    static acpi::Tables out;
    out = {};
    KEXPECT(t, !acpi::parse(*f.rsdp, out).is_error());
    KASSERT_TRUE(t, out.has_madt);
    const acpi::Madt& m = out.madt;
    KEXPECT_EQ(t, m.local_apic_address, 0xFEE00000u);
    KEXPECT(t, m.has_8259);
    KEXPECT_EQ(t, m.cpu_count, 3u);
    KEXPECT_EQ(t, m.disabled_cpu_count, 1u);
    KEXPECT_EQ(t, m.cpus[0].apic_id, 0u);
    KEXPECT_EQ(t, m.cpus[1].apic_id, 3u);
    KEXPECT_EQ(t, m.cpus[2].apic_id, 300u);
    KEXPECT(t, m.cpus[2].x2apic_entry);
    KEXPECT_EQ(t, m.io_apic_count, 1u);
    KEXPECT_EQ(t, m.io_apics[0].id, 4u);
    KEXPECT_EQ(t, m.io_apics[0].address, 0xFEC00000u);
    KEXPECT_EQ(t, m.override_count, 2u);
    KEXPECT_EQ(t, m.overrides[0].gsi, 2u);
    KEXPECT(t, !m.overrides[0].active_low && !m.overrides[0].level_triggered);
    KEXPECT_EQ(t, m.overrides[1].isa_irq, 9u);
    KEXPECT(t, m.overrides[1].active_low && m.overrides[1].level_triggered);
    KEXPECT_EQ(t, m.nmi_count, 1u);
    KEXPECT_EQ(t, m.nmis[0].processor_uid, 0xFFFFFFFFu);
    KEXPECT_EQ(t, m.nmis[0].lint, 1u);
    pmm::free_page(f.page);
}

void corrupt_tables_rejected(KTest& t)
{
    FakeTables f;
    KASSERT_TRUE(t, build(f));
    static acpi::Tables out;

    // A corrupt MADT is skipped; the walk itself still succeeds.
    f.madt->oem_id[0] ^= 1;
    out = {};
    KEXPECT(t, !acpi::parse(*f.rsdp, out).is_error());
    KEXPECT(t, !out.has_madt);
    seal(f.madt);

    // A corrupt root table fails the whole parse.
    f.rsdt->oem_id[0] ^= 1;
    out = {};
    KEXPECT(t, acpi::parse(*f.rsdp, out).is_error());
    seal(f.rsdt);

    // A root table pointing at nonsense is skipped, not followed.
    u32 bogus = 0x10;
    memcpy(f.rsdt + 1, &bogus, 4);
    seal(f.rsdt);
    out = {};
    KEXPECT(t, !acpi::parse(*f.rsdp, out).is_error());
    KEXPECT(t, !out.has_madt);
    pmm::free_page(f.page);
}

void madt_bad_entry_length(KTest& t)
{
    FakeTables f;
    KASSERT_TRUE(t, build(f));
    // Make the third entry (the disabled CPU) claim length 0: parsing keeps
    // the two CPUs before it and stops, without looping or overrunning.
    u8* third = reinterpret_cast<u8*>(f.madt) + sizeof(SdtHeader) + 8 + 16;
    third[1] = 0;
    seal(f.madt);
    static acpi::Madt m;
    m = {};
    acpi::parse_madt(*f.madt, m);
    KEXPECT_EQ(t, m.cpu_count, 2u);
    KEXPECT_EQ(t, m.io_apic_count, 0u);
    pmm::free_page(f.page);
}

void machine_tables(KTest& t)
{
    const acpi::Tables& tables = acpi::tables();
    if (!tables.present) {
        t.skip("this machine has no ACPI tables");
        return;
    }
    KEXPECT(t, tables.has_madt);
    KEXPECT_GE(t, tables.madt.cpu_count, 1u);
    KEXPECT_GE(t, tables.madt.io_apic_count, 1u);
    KEXPECT_NE(t, tables.madt.local_apic_address, 0u);
}

} // namespace

KTEST_SUITE(acpi, KTEST_CASE(checksums), KTEST_CASE(rsdp_validation), KTEST_CASE(madt_parsed),
            KTEST_CASE(corrupt_tables_rejected), KTEST_CASE(madt_bad_entry_length), KTEST_CASE(machine_tables));
