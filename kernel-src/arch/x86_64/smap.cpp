// SMEP and SMAP (Intel SDM vol. 3A, 4.6): the kernel may neither execute nor
// (outside the user-copy routines) touch user pages. The stac/clac sites in
// uaccess.S and the interrupt entry are NOPs until SMAP is known to exist;
// they are patched here, through the writable direct map of the kernel
// image, before CR4.SMAP is set.
#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/smap.hpp>
#include <kernel/log.hpp>
#include <lib/string.hpp>
#include <mm/layout.hpp>

extern "C" const u64 __smap_sites_start[], __smap_sites_end[];

namespace x86 {
namespace {
constexpr u64 CR4_SMEP = 1ull << 20;
constexpr u64 CR4_SMAP = 1ull << 21;
bool s_smep, s_smap;
} // namespace

void protect_kernel_from_user_pages_boot_cpu()
{
    auto leaf7 = cpuid(7);
    s_smep = leaf7.ebx & (1u << 7);
    s_smap = leaf7.ebx & (1u << 20);
    if (s_smap) {
        // Each site is {address, last byte of 0f 01 cb (stac) or 0f 01 ca (clac)}.
        for (const u64* site = __smap_sites_start; site < __smap_sites_end; site += 2) {
            auto* code = static_cast<u8*>(phys_to_virt(virt_to_phys(reinterpret_cast<void*>(site[0]))));
            code[0] = 0x0f;
            code[1] = 0x01;
            code[2] = static_cast<u8>(site[1]);
        }
        // The patched bytes were written through another mapping: serialise.
        cpuid(0);
    }
    protect_kernel_from_user_pages_this_cpu();
    log_info("cpu: SMEP %s, SMAP %s (%lu user-access sites)", s_smep ? "on" : "unsupported",
             s_smap ? "on" : "unsupported", static_cast<u64>(__smap_sites_end - __smap_sites_start) / 2);
}

void protect_kernel_from_user_pages_this_cpu()
{
    u64 cr4 = read_cr4();
    if (s_smep)
        cr4 |= CR4_SMEP;
    if (s_smap)
        cr4 |= CR4_SMAP;
    write_cr4(cr4);
}

bool smap_enabled() { return s_smap; }
bool smep_enabled() { return s_smep; }

} // namespace x86
