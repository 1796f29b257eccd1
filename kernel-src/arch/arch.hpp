#pragma once
// The arch boundary: everything generic code may ask of the CPU. The x86-64
// implementation lives in arch/x86_64/; nothing outside arch/ includes
// arch/x86_64 headers except drivers for x86 platform devices.
#include <lib/types.hpp>

// The registers a thread saved on entering the kernel (an interrupt,
// exception or system call). Its layout is the arch's; generic code only
// hands it to arch functions.
struct InterruptFrame;
using TrapFrame = InterruptFrame;

namespace arch {

inline void cpu_relax() { asm volatile("pause" ::: "memory"); }
inline void halt() { asm volatile("hlt" ::: "memory"); }
inline void irq_enable() { asm volatile("sti" ::: "memory"); }
inline void irq_disable() { asm volatile("cli" ::: "memory"); }

// Disables interrupts and returns the previous state for irq_restore().
inline u64 irq_save()
{
    u64 flags;
    asm volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return flags;
}
inline void irq_restore(u64 flags)
{
    if (flags & (1 << 9))
        irq_enable();
}
inline bool irq_enabled()
{
    u64 flags;
    asm volatile("pushfq; popq %0" : "=r"(flags));
    return flags & (1 << 9);
}

inline u64 read_timestamp()
{
    u32 lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (static_cast<u64>(hi) << 32) | lo;
}

// Cycles per second of read_timestamp(): as the CPU or hypervisor states
// it, else measured against a fixed clock.
u64 measure_timestamp_hz();
// Where measure_timestamp_hz() got its answer, for the boot log.
const char* timestamp_hz_source();

// Interrupts off and halt forever (this CPU only).
[[noreturn]] void stop_cpu();

// Leave the emulator with the given status (isa-debug-exit on QEMU); halts
// when there is no such device.
[[noreturn]] void exit_emulator(u8 code);

// The CPU feature word user programs get as AT_HWCAP.
u64 user_hwcap();

// Return addresses from the frame-pointer chain starting at rbp.
size_t backtrace(u64 rbp, u64* out, size_t max);

// User-memory copies that survive faults (kernel/uaccess.hpp checks the
// ranges first). user_copy and user_clear return the bytes NOT done (0 on
// success); user_strncpy returns the string length when a NUL comes within
// `limit` bytes, `limit` when none does, -1 on a fault.
extern "C" size_t arch_user_copy(void* dst, const void* src, size_t n);
extern "C" size_t arch_user_clear(void* dst, size_t n);
extern "C" i64 arch_user_strncpy(char* dst, const char* src, size_t limit);
inline size_t user_copy(void* dst, const void* src, size_t n) { return arch_user_copy(dst, src, n); }
inline size_t user_clear(void* dst, size_t n) { return arch_user_clear(dst, n); }
inline i64 user_strncpy(char* dst, const char* src, size_t limit) { return arch_user_strncpy(dst, src, limit); }

} // namespace arch

namespace arch {
// The per-CPU block of the running CPU (GS base on x86-64; its first word
// points at itself so one load finds it).
inline void* percpu_base()
{
    void* p;
    asm volatile("mov %%gs:0, %0" : "=r"(p));
    return p;
}
void set_percpu_base(void* base);
} // namespace arch

struct Cpu;
struct Thread;
namespace arch {
// Threads (arch/x86_64/thread.cpp).
//
// Lays out a new thread's stack below `stack_pointer` so that its first
// switch calls fn(arg) (fn never returns).
void prepare_thread_stack(Thread& t, void (*fn)(void*), void* arg, u64 stack_pointer);
// Saves prev's CPU state (callee-saved registers, FPU when it is a user
// thread) and continues next where it left off. Interrupts off, run queue
// locked (see proc/sched.cpp).
void switch_threads(Thread& prev, Thread& next);
// The frame a user thread's registers occupy at the top of its kernel stack.
TrapFrame* user_frame_at(u64 stack_top);
// Leaves the kernel for ring 3 with the registers in `frame` (at the top of
// the current thread's stack).
[[noreturn]] void enter_user(TrapFrame* frame);
// FPU state areas of user threads.
u32 fpu_area_size();
void fpu_init_area(void* area);
// Makes the current thread's FPU area hold its live registers (before the
// kernel reads it), or loads the registers from it (after the kernel wrote it).
void fpu_save_current(Thread& t);
void fpu_load_current(Thread& t);
// Sets the user FS base of the running thread (and remembers it in t).
void set_user_fs_base(Thread& t, u64 base);
// Page-table root switch (CR3).
void load_page_table_root(u64 root_phys);
// Enables interrupts and halts until one arrives (atomically: sti; hlt).
inline void enable_interrupts_and_halt() { asm volatile("sti; hlt" ::: "memory"); }
// Raises the reschedule interrupt on `target`.
void send_reschedule_interrupt(const Cpu& target);

// Descriptor tables, exception handling and the per-CPU base for the boot
// CPU; FPU/SSE enabled for the user programs to come.
void init_boot_cpu(Cpu& cpu);
// Sets up the interrupt controllers and starts the periodic tick at `hz` on
// the boot CPU, then enables interrupts. With ACPI tables: local APIC timer
// (its rate stated by CPUID or measured against the TSC), I/O APIC for legacy IRQs, 8259 masked.
// Without: PIT through the 8259 (one CPU).
void start_timer(u32 hz);
// Starts the calling AP's periodic tick (same rate as the boot CPU's).
void start_local_timer();
// One line describing the tick source.
const char* timer_source();

struct SmpStart {
    u32 online;   // CPUs running, the boot CPU included
    u32 expected; // CPUs the firmware lists, capped
    u32 cap;      // the cap: config::max_cpus, or maxcpus= when lower
};
// Starts every other CPU the firmware lists; each runs ap_main(its Cpu)
// once its descriptor tables and interrupt controller are set up, and must
// set cpu.online. A CPU that does not start within its timeout is reported
// and skipped.
SmpStart start_secondary_cpus(void (*ap_main)(Cpu&));
// Routes legacy ISA IRQ `irq` (1: keyboard, 4: COM1) to `handler`, which
// runs in interrupt context; the interrupt is acknowledged after it.
void install_isa_irq(u8 irq, void (*handler)());
// Raises the "run queued calls" interrupt on `target`.
void send_call_interrupt(const Cpu& target);
// Non-maskable stop for every other CPU (panic).
void stop_other_cpus();
void flush_tlb_page(u64 virt);
// One line naming the CPU (vendor, model, features that matter to us).
void log_cpu_identity();
// True when the CPU says it runs under a hypervisor (CPUID.1:ECX bit 31).
bool under_hypervisor();
} // namespace arch

namespace arch {
// What /proc/cpuinfo shows about a CPU (Linux's struct cpuinfo_x86 subset).
struct CpuDescription {
    char vendor[16];       // "GenuineIntel", "AuthenticAMD", ...
    u32 family, model, stepping;
    char model_name[64];   // the brand string, leading spaces trimmed
    u32 cpuid_level;       // highest basic CPUID leaf
    u32 cache_kb;          // largest cache, 0 when unknown
    u32 clflush_size;
    u32 phys_bits, virt_bits;
    u32 power_flags;       // CPUID 0x80000007 EDX
    bool has_1g_pages;
    char flags[2048];      // Linux's feature names, space separated
};
// Describes the calling CPU.
void describe_cpu(CpuDescription& out);

// A random 64-bit value from the CPU's generator (RDSEED, else RDRAND);
// false when it has none or it keeps failing.
bool hardware_random(u64& out);
} // namespace arch
