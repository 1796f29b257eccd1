#include <arch/x86_64/gdt.hpp>
#include <config.hpp>
#include <lib/string.hpp>

namespace x86 {
namespace {

struct alignas(16) Gdt {
    u64 entries[8];
};

struct [[gnu::packed]] DescriptorPointer {
    u16 limit;
    u64 base;
};

Gdt s_gdt[config::max_cpus];
Tss s_tss[config::max_cpus];
u64 s_ist_tops[config::max_cpus][3];

// Flat 64-bit descriptors (Intel SDM vol. 3A, 3.4.5): only P, DPL, S, type,
// L and D matter in long mode. Accessed bits preset (no descriptor writes).
constexpr u64 KERNEL_CODE64 = 0x00AF9B000000FFFF;
constexpr u64 KERNEL_DATA = 0x00CF93000000FFFF;
constexpr u64 USER_CODE32 = 0x00CFFB000000FFFF;
constexpr u64 USER_DATA = 0x00CFF3000000FFFF;
constexpr u64 USER_CODE64 = 0x00AFFB000000FFFF;

} // namespace

void gdt_init_cpu(u32 id, const u64 ist_tops[3])
{
    Gdt& gdt = s_gdt[id];
    Tss& tss = s_tss[id];
    memset(&tss, 0, sizeof(tss));
    for (int i = 0; i < 3; i++) {
        tss.ist[i] = ist_tops[i];
        s_ist_tops[id][i] = ist_tops[i];
    }
    tss.iomap_base = sizeof(Tss); // no I/O permission bitmap

    gdt.entries[0] = 0;
    gdt.entries[1] = KERNEL_CODE64;
    gdt.entries[2] = KERNEL_DATA;
    gdt.entries[3] = USER_CODE32;
    gdt.entries[4] = USER_DATA;
    gdt.entries[5] = USER_CODE64;
    // 64-bit TSS descriptor, 16 bytes (Intel SDM vol. 3A, 8.2.3): type 9
    // (available 64-bit TSS), present.
    u64 base = reinterpret_cast<u64>(&tss);
    u64 limit = sizeof(Tss) - 1;
    gdt.entries[6] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) |
                     (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    gdt.entries[7] = base >> 32;

    DescriptorPointer gdtr { sizeof(Gdt) - 1, reinterpret_cast<u64>(&gdt) };
    asm volatile("lgdt %0\n"
                 "mov %1, %%ds\n"
                 "mov %1, %%es\n"
                 "mov %1, %%ss\n"
                 "pushq %2\n"
                 "leaq 1f(%%rip), %%rax\n"
                 "pushq %%rax\n"
                 "lretq\n"
                 "1:\n"
                 :
                 : "m"(gdtr), "r"(static_cast<u64>(KERNEL_DS)), "i"(KERNEL_CS)
                 : "rax", "memory");
    // FS and GS keep their null selectors (set by the boot code): their
    // bases come from MSRs, and reloading them here could clear GS base.
    asm volatile("ltr %0" : : "r"(TSS_SELECTOR));
}

void tss_set_kernel_stack(u32 id, u64 rsp0) { s_tss[id].rsp[0] = rsp0; }

bool ist_contains(u32 id, u64 address, u8* ist_out)
{
    for (u8 i = 0; i < 3; i++) {
        u64 top = s_ist_tops[id][i];
        if (address <= top && address > top - IST_STACK_SIZE) {
            *ist_out = i + 1;
            return true;
        }
    }
    return false;
}

} // namespace x86
