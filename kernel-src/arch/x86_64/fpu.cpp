#include <arch/x86_64/cpu.hpp>
#include <arch/x86_64/fpu.hpp>
#include <kernel/log.hpp>
#include <lib/string.hpp>

namespace x86::fpu {
namespace {
constexpr u64 CR4_OSFXSR = 1ull << 9;
constexpr u64 CR4_OSXMMEXCPT = 1ull << 10;
constexpr u64 CR4_OSXSAVE = 1ull << 18;
constexpr u64 XCR0_X87 = 1 << 0, XCR0_SSE = 1 << 1, XCR0_AVX = 1 << 2;

bool s_xsave;
u64 s_xcr0;
u32 s_size = 512;
alignas(64) u8 s_initial[4096];

void xsetbv(u32 reg, u64 v) { asm volatile("xsetbv" : : "c"(reg), "a"(static_cast<u32>(v)), "d"(static_cast<u32>(v >> 32))); }

void enable_on_this_cpu()
{
    // CR0: clear EM (bit 2) and TS (bit 3), set MP (bit 1) and NE (bit 5).
    write_cr0((read_cr0() & ~((1ull << 2) | (1ull << 3))) | (1ull << 1) | (1ull << 5));
    u64 cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
    if (s_xsave)
        cr4 |= CR4_OSXSAVE;
    write_cr4(cr4);
    if (s_xsave)
        xsetbv(0, s_xcr0);
}
} // namespace

void init_boot_cpu()
{
    s_xsave = cpuid(1).ecx & (1u << 26);
    if (s_xsave) {
        // Enable what the CPU supports of x87, SSE and AVX (leaf 0xD, sub-leaf 0).
        auto d = cpuid(0xD, 0);
        u64 supported = (static_cast<u64>(d.edx) << 32) | d.eax;
        s_xcr0 = supported & (XCR0_X87 | XCR0_SSE | XCR0_AVX);
    }
    enable_on_this_cpu();
    if (s_xsave) {
        // EBX of leaf 0xD reports the area size for the features now in XCR0.
        s_size = static_cast<u32>(align_up(cpuid(0xD, 0).ebx, 64));
        if (s_size > sizeof(s_initial)) {
            s_xcr0 &= XCR0_X87 | XCR0_SSE;
            xsetbv(0, s_xcr0);
            s_size = static_cast<u32>(align_up(cpuid(0xD, 0).ebx, 64));
        }
    }
    // The initial image: a clean x87 (fninit: control word 0x37f), MXCSR
    // 0x1f80 with every exception masked, zeroed registers.
    u32 mxcsr = 0x1f80;
    asm volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
    memset(s_initial, 0, sizeof(s_initial));
    save(s_initial);
    log_info("fpu: %s, %u-byte save area%s", s_xsave ? "xsave" : "fxsave", s_size,
             (s_xcr0 & XCR0_AVX) ? ", AVX state" : "");
}

void init_this_cpu() { enable_on_this_cpu(); }

u32 area_size() { return s_size; }
bool uses_xsave() { return s_xsave; }
u64 enabled_features() { return s_xsave ? s_xcr0 : 3; }

void save(void* area)
{
    if (s_xsave)
        asm volatile("xsave64 (%0)" : : "r"(area), "a"(static_cast<u32>(s_xcr0)), "d"(static_cast<u32>(s_xcr0 >> 32)) : "memory");
    else
        asm volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void restore(const void* area)
{
    if (s_xsave)
        asm volatile("xrstor64 (%0)" : : "r"(area), "a"(static_cast<u32>(s_xcr0)), "d"(static_cast<u32>(s_xcr0 >> 32)) : "memory");
    else
        asm volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

void init_area(void* area) { memcpy(area, s_initial, s_size); }

} // namespace x86::fpu
