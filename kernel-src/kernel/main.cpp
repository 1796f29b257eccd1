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
#include <fs/vfs.hpp>
#include <kernel/time.hpp>
#include <mm/heap.hpp>
#include <mm/pmm.hpp>
#include <mm/vmm.hpp>
#include <lib/string.hpp>
#include <proc/process.hpp>
#include <proc/sched.hpp>
#include <tty/tty.hpp>
#include <mm/page_ref.hpp>
#include <mm/stack_area.hpp>
#include <syscall/dispatch.hpp>

size_t run_global_constructors();
extern "C" char boot_stack_top[];

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

void run_tests_and_exit();
void start_init();

// What the kernel does once it is up: tests, a benchmark, a deliberate
// crash, or (later) start init.
void after_boot(void*)
{
    // crash= first: with ktest as well, it stands for a kernel that dies
    // mid-run (the harness's CRASHED path is tested that way).
    char crash_kind[16];
    if (cmdline::get("crash", crash_kind, sizeof(crash_kind)))
        crash::trigger(crash_kind);
    if (cmdline::has("ktest"))
        run_tests_and_exit();
    bench::run_from_cmdline();
    start_init();
}

// PID 1: init=PATH from the command line (default /sbin/init), with the
// words after ` -- ` as its arguments. If it cannot run, the kernel says
// why and leaves (a kit has nothing else to do without it).
void start_init()
{
    static char path[256];
    if (!cmdline::get("init", path, sizeof(path)))
        strlcpy(path, "/sbin/init", sizeof(path));
    static char arg_storage[1024];
    static const char* argv[33];
    size_t argc = 0;
    argv[argc++] = path;
    argc += cmdline::init_arguments(arg_storage, sizeof(arg_storage), argv + argc, 31);
    argv[argc] = nullptr;
    static const char* const envp[] = { "HOME=/", "TERM=linux", "PATH=/bin:/sbin:/usr/bin:/usr/sbin", nullptr };
    auto started = proc::start_init(path, argv, envp);
    if (started.is_error()) {
        log_error("init: cannot execute %s: %s (%s)", path, errno_description(started.error().code()),
                  started.error().name());
        arch::exit_emulator(EXIT_INIT_FAILED);
    }
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
    time::init_realtime();
    console::init();
    log_info("oskit %s (x86_64) starting", config::version);

    Cpu& boot_cpu = percpu::boot_cpu();
    boot_cpu.id = 0;
    boot_cpu.online = true;
    boot_cpu.kernel_stack_top = reinterpret_cast<u64>(boot_stack_top);
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
    page_ref::init();
    size_t constructors = run_global_constructors();
    // Stacks for every process there may be, kernel threads and idle CPUs.
    stack_area::init(proc::process_limit() + 256);
    // From here on the boot flow is CPU 0's idle thread.
    sched::init_this_cpu();
    log_info("heap: ready, up to %lu MiB; %lu global constructors run", config::kernel_heap_size / MiB,
             constructors);

    syscall::init();
    acpi::init();
    arch::start_timer(config::timer_hz);
    log_info("timer: %s at %u Hz", arch::timer_source(), config::timer_hz);
    fs::vfs::init(boot);
    tty::init();
    smp::init();

    pmm::Stats mem = pmm::stats();
    log_info("oskit ready: %u CPUs, %lu MiB free", percpu::count(), mem.free_pages * PAGE_SIZE / MiB);

    // The rest runs in a thread of its own (it sleeps and waits), and this
    // boot flow becomes CPU 0's idle thread.
    auto kinit = thread::create_kernel("kinit", after_boot, nullptr);
    if (kinit.is_error())
        panic("no memory for the kinit thread");
    kinit.value()->affinity = 0; // the tests expect to start on the boot CPU
    sched::start(kinit.value());
    sched::idle_loop();
}
