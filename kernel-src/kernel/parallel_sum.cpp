#include <kernel/parallel_sum.hpp>
#include <kernel/percpu.hpp>
#include <kernel/smp.hpp>
#include <kernel/time.hpp>
#include <lib/atomic.hpp>

namespace parallel_sum {
namespace {
struct Job {
    u64 last;
    u32 cpus;
    u64* partials;
    Atomic<u64> total;
};

void run_slice(void* arg)
{
    auto* job = static_cast<Job*>(arg);
    u32 id = this_cpu()->id;
    if (id >= job->cpus)
        return;
    u64 first, last;
    slice(job->last, job->cpus, id, &first, &last);
    u64 sum = 0;
    for (u64 v = first; v <= last; v++)
        sum += v;
    if (job->partials)
        job->partials[id] = sum;
    job->total.fetch_add(sum);
}
} // namespace

void slice(u64 last, u32 cpus, u32 id, u64* first, u64* slice_last)
{
    u64 per = last / cpus;
    *first = id * per + 1;
    *slice_last = id + 1 == cpus ? last : *first + per - 1;
}

Result run(u64 last, u32 cpus, u64* partials)
{
    Job job { last, cpus, partials, 0 };
    u64 start = time::since_boot_ns();
    smp::call_on_all(run_slice, &job);
    return { job.total.load(), time::since_boot_ns() - start };
}

} // namespace parallel_sum
