// kernel_main: the boot sequence after boot.S has entered the higher half.
#include <arch/arch.hpp>
#include <config.hpp>
#include <drivers/console.hpp>
#include <kernel/bench.hpp>
#include <kernel/boot_info.hpp>
#include <kernel/cmdline.hpp>
#include <kernel/crash.hpp>
#include <kernel/exit_codes.hpp>
#include <kernel/ktest.hpp>
#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <kernel/percpu.hpp>
#include <kernel/smp.hpp>
#include <drivers/acpi/acpi.hpp>
#include <kernel/time.hpp>
#include <mm/heap.hpp>
#include <mm/pmm.hpp>
#include <mm/vmm.hpp>
#include <lib/string.hpp>

size_t run_global_constructors();

namespace {
// Fair (ticket) locks on bare metal; test-and-set under a hypervisor, where
// a descheduled vCPU next in line would stall every handoff (see
// lib/spinlock.hpp). Decided before any other CPU runs.
void choose_spinlock_mode()
{
    char forced[16];
    bool fair = !arch::under_hypervisor();
    const char* why = fair ? "bare metal" : "running under a hypervisor without paravirtual spinlocks";
    if (cmdline::get("spinlock", forced, sizeof(forced))) {
        fair = strcmp(forced, "tas") != 0;
        why = "forced on the command line";
    }
    Spinlock::set_fair_by_default(fair);
    log_info("spinlock: %s (%s)", fair ? "ticket, fair" : "test-and-set", why);
}

void run_tests_and_exit()
{
    char glob[128];
    bool has_glob = cmdline::get("ktest", glob, sizeof(glob)) && glob[0];
    log_info("ktest: running %s", has_glob ? glob : "all suites");
    bool ok = ktest::run(has_glob ? glob : nullptr);
    arch::exit_emulator(ok ? EXIT_SUCCESS_CODE : EXIT_TESTS_FAILED);
}
} // namespace

extern "C" [[noreturn]] void kernel_main(u32 magic, u64 boot_info_phys)
{
    time::init();
    console::init();
    log_info("oskit %s (x86_64) starting", config::version);

    Cpu& boot_cpu = percpu::boot_cpu();
    boot_cpu.id = 0;
    boot_cpu.online = true;
    percpu::install(boot_cpu);
    arch::init_boot_cpu(boot_cpu);
    log_info("cpu: GDT (kernel, user, TSS) and IDT (256 vectors) loaded");
    arch::log_cpu_identity();

    BootInfo& boot = boot::mutable_info();
    if (!boot::parse_multiboot2(magic, boot_info_phys, boot))
        panic("not started by a Multiboot2 loader (magic 0x%x)", magic);
    cmdline::init(boot.cmdline);
    boot::log_boot_info(boot);
    log_info("boot: kernel command line \"%s\"", cmdline::full());
    choose_spinlock_mode();

    pmm::init(boot);
    vmm::init(boot);
    size_t constructors = run_global_constructors();
    log_info("heap: ready, up to %lu MiB; %lu global constructors run", config::kernel_heap_size / MiB,
             constructors);

    acpi::init();
    arch::start_timer(config::timer_hz);
    log_info("timer: %s at %u Hz", arch::timer_source(), config::timer_hz);
    smp::init();

    pmm::Stats mem = pmm::stats();
    log_info("oskit ready: %u CPUs, %lu MiB free", percpu::count(), mem.free_pages * PAGE_SIZE / MiB);

    // crash= first: with ktest as well, it stands for a kernel that dies
    // mid-run (the harness's CRASHED path is tested that way).
    char crash_kind[16];
    if (cmdline::get("crash", crash_kind, sizeof(crash_kind)))
        crash::trigger(crash_kind);
    if (cmdline::has("ktest"))
        run_tests_and_exit();
    bench::run_from_cmdline();

    for (;;)
        arch::halt();
}
