// CPU identification for /proc/cpuinfo and the CPU's random number
// generator. Feature names and their order follow Linux's
// arch/x86/include/asm/cpufeatures.h (the words /proc/cpuinfo walks).
#include <arch/arch.hpp>
#include <arch/x86_64/cpu.hpp>
#include <lib/string.hpp>

namespace arch {
namespace {

// One CPUID register's named bits; nullptr entries are not shown.
struct FeatureWord {
    u32 leaf;
    u32 subleaf;
    char reg; // 'b', 'c', 'd'
    const char* names[32];
};

// Linux's word order: 0 (1:EDX), 1 (80000001:EDX), 4 (1:ECX), 6 (80000001:ECX),
// 9 (7:EBX), 16 (7:ECX), 18 (7:EDX). Synthetic words (3, 7, 8, ...) are
// left out except the few added by hand below.
const FeatureWord s_words[] = {
    { 1, 0, 'd', { "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", nullptr, "sep", "mtrr",
                   "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", nullptr, "dts", "acpi", "mmx", "fxsr",
                   "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe" } },
    { 0x80000001, 0, 'd', { nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                            nullptr, nullptr, "syscall", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                            nullptr, "mp", "nx", nullptr, "mmxext", nullptr, nullptr, "fxsr_opt", "pdpe1gb",
                            "rdtscp", nullptr, "lm", "3dnowext", "3dnow" } },
    { 1, 0, 'c', { "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3", "cid",
                   "sdbg", "fma", "cx16", "xtpr", "pdcm", nullptr, "pcid", "dca", "sse4_1", "sse4_2", "x2apic",
                   "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", nullptr, "avx", "f16c", "rdrand",
                   "hypervisor" } },
    { 0x80000001, 0, 'c', { "lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse",
                            "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", nullptr, "lwp", "fma4", "tce",
                            nullptr, "nodeid_msr", nullptr, "tbm", "topoext", "perfctr_core", "perfctr_nb",
                            nullptr, "bpext", "ptsc", "perfctr_llc", "mwaitx", nullptr, nullptr } },
    { 7, 0, 'b', { "fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", nullptr, "smep", "bmi2", "erms",
                   "invpcid", "rtm", "cqm", nullptr, "mpx", "rdt_a", "avx512f", "avx512dq", "rdseed", "adx",
                   "smap", "avx512ifma", nullptr, "clflushopt", "clwb", "intel_pt", "avx512pf", "avx512er",
                   "avx512cd", "sha_ni", "avx512bw", "avx512vl" } },
    { 7, 0, 'c', { nullptr, "avx512vbmi", "umip", "pku", "ospke", "waitpkg", "avx512_vbmi2", nullptr, "gfni",
                   "vaes", "vpclmulqdq", "avx512_vnni", "avx512_bitalg", "tme", "avx512_vpopcntdq", nullptr,
                   "la57", nullptr, nullptr, nullptr, nullptr, nullptr, "rdpid", nullptr, "bus_lock_detect",
                   "cldemote", nullptr, "movdiri", "movdir64b", "enqcmd", "sgx_lc", nullptr } },
    { 7, 0, 'd', { nullptr, nullptr, "avx512_4vnniw", "avx512_4fmaps", "fsrm", nullptr, nullptr, nullptr,
                   "avx512_vp2intersect", nullptr, "md_clear", nullptr, nullptr, nullptr, "serialize", nullptr,
                   "tsxldtrk", nullptr, "pconfig", "arch_lbr", nullptr, nullptr, "amx_bf16", "avx512_fp16",
                   "amx_tile", "amx_int8", nullptr, nullptr, "flush_l1d", "arch_capabilities", nullptr,
                   nullptr } },
};

void append_flag(char* out, size_t size, const char* name)
{
    size_t len = strlen(out);
    size_t n = strlen(name);
    if (len + n + 2 > size)
        return;
    if (len)
        out[len++] = ' ';
    memcpy(out + len, name, n + 1);
}

u32 reg_of(const x86::CpuidResult& r, char reg) { return reg == 'b' ? r.ebx : reg == 'c' ? r.ecx : r.edx; }

} // namespace

void describe_cpu(CpuDescription& out)
{
    memset(&out, 0, sizeof(out));
    auto v = x86::cpuid(0);
    out.cpuid_level = v.eax;
    memcpy(out.vendor + 0, &v.ebx, 4);
    memcpy(out.vendor + 4, &v.edx, 4);
    memcpy(out.vendor + 8, &v.ecx, 4);
    auto f1 = x86::cpuid(1);
    u32 family = (f1.eax >> 8) & 0xf;
    u32 model = (f1.eax >> 4) & 0xf;
    if (family == 0xf)
        family += (f1.eax >> 20) & 0xff;
    if (family >= 6)
        model += ((f1.eax >> 16) & 0xf) << 4;
    out.family = family;
    out.model = model;
    out.stepping = f1.eax & 0xf;
    out.clflush_size = ((f1.ebx >> 8) & 0xff) * 8;
    u32 max_ext = x86::cpuid(0x80000000).eax;
    if (max_ext >= 0x80000004) {
        char brand[49];
        strlcpy(out.model_name, x86::brand_string(brand), sizeof(out.model_name));
    }
    if (max_ext >= 0x80000006) {
        auto c = x86::cpuid(0x80000006);
        u32 l2 = c.ecx >> 16;
        u32 l3 = (c.edx >> 18) * 512;
        out.cache_kb = l3 > l2 ? l3 : l2;
    }
    if (max_ext >= 0x80000007)
        out.power_flags = x86::cpuid(0x80000007).edx;
    if (max_ext >= 0x80000008) {
        auto a = x86::cpuid(0x80000008);
        out.phys_bits = a.eax & 0xff;
        out.virt_bits = (a.eax >> 8) & 0xff;
    } else {
        out.phys_bits = 36;
        out.virt_bits = 48;
    }
    out.has_1g_pages = max_ext >= 0x80000001 && (x86::cpuid(0x80000001).edx & (1u << 26));

    for (const FeatureWord& w : s_words) {
        u32 max_leaf = w.leaf >= 0x80000000 ? max_ext : out.cpuid_level;
        if (w.leaf > max_leaf)
            continue;
        u32 bits = reg_of(x86::cpuid(w.leaf, w.subleaf), w.reg);
        for (u32 i = 0; i < 32; i++) {
            if ((bits & (1u << i)) && w.names[i])
                append_flag(out.flags, sizeof(out.flags), w.names[i]);
        }
        // Linux's synthetic word 3 comes after word 1; add its common names.
        if (w.leaf == 0x80000001 && w.reg == 'd') {
            if (out.power_flags & (1u << 8)) {
                append_flag(out.flags, sizeof(out.flags), "constant_tsc");
                append_flag(out.flags, sizeof(out.flags), "nonstop_tsc");
            }
            append_flag(out.flags, sizeof(out.flags), "cpuid");
        }
    }
}

bool hardware_random(u64& out)
{
    auto f7 = x86::cpuid(7);
    auto f1 = x86::cpuid(1);
    bool has_rdseed = x86::cpuid(0).eax >= 7 && (f7.ebx & (1u << 18));
    bool has_rdrand = f1.ecx & (1u << 30);
    // Both may transiently fail (CF clear); Intel recommends a few retries.
    for (int attempt = 0; attempt < 10; attempt++) {
        u8 ok = 0;
        if (has_rdseed) {
            asm volatile("rdseed %0; setc %1" : "=r"(out), "=qm"(ok));
            if (ok)
                return true;
        }
        if (has_rdrand) {
            asm volatile("rdrand %0; setc %1" : "=r"(out), "=qm"(ok));
            if (ok)
                return true;
        }
        if (!has_rdseed && !has_rdrand)
            return false;
    }
    return false;
}

} // namespace arch

namespace x86 {

const char* brand_string(char (&buf)[49])
{
    memset(buf, 0, sizeof(buf));
    if (cpuid(0x80000000).eax >= 0x80000004) {
        for (u32 i = 0; i < 3; i++) {
            auto r = cpuid(0x80000002 + i);
            memcpy(buf + i * 16 + 0, &r.eax, 4);
            memcpy(buf + i * 16 + 4, &r.ebx, 4);
            memcpy(buf + i * 16 + 8, &r.ecx, 4);
            memcpy(buf + i * 16 + 12, &r.edx, 4);
        }
    }
    const char* b = buf;
    while (*b == ' ')
        b++;
    return b;
}

} // namespace x86
