#include <arch/arch.hpp>
#include <kernel/bench.hpp>
#include <kernel/cmdline.hpp>
#include <kernel/exit_codes.hpp>
#include <kernel/log.hpp>
#include <kernel/parallel_sum.hpp>
#include <kernel/smp.hpp>
#include <lib/string.hpp>

namespace bench {
namespace {

// The distributed sum of 1..10,000,000 on 1..N CPUs, `runs` times each:
// "bench smp: cpus=K run=R ns=T sum=S" per run.
void smp_speedup(u32 runs)
{
    u32 cpus = smp::online_count();
    log_info("bench: smp, distributed sum of 1..10000000 on 1..%u CPUs, %u runs each", cpus, runs);
    for (u32 k = 1; k <= cpus; k++) {
        for (u32 r = 1; r <= runs; r++) {
            parallel_sum::Result res = parallel_sum::run(10000000, k, nullptr);
            kprint("bench smp: cpus=%u run=%u ns=%lu sum=%lu\n", k, r, res.elapsed_ns, res.total);
        }
    }
    kprint("bench smp: done\n");
}

} // namespace

bool run_from_cmdline()
{
    char name[32];
    if (!cmdline::get("bench", name, sizeof(name)))
        return false;
    u32 runs;
    if (!cmdline::get_u32("bench_runs", &runs) || runs == 0 || runs > 1000)
        runs = 5;
    if (!strcmp(name, "smp")) {
        smp_speedup(runs);
        arch::exit_emulator(EXIT_SUCCESS_CODE);
    }
    log_error("bench: unknown benchmark \"%s\" (known: smp)", name);
    arch::exit_emulator(EXIT_TESTS_FAILED);
}

} // namespace bench
