// sched: kernel threads, sleeping and waking (also across CPUs), timeouts,
// preemption and fairness, migration to idle CPUs, the Mutex.
#include <kernel/ktest.hpp>
#include <kernel/percpu.hpp>
#include <kernel/time.hpp>
#include <mm/accounting.hpp>
#include <mm/kernel_vm.hpp>
#include <mm/pmm.hpp>
#include <proc/mutex.hpp>
#include <proc/sched.hpp>
#include <proc/wait_queue.hpp>

namespace {

// A group of test threads and a way to wait until all of them have ended.
struct Group {
    Atomic<u32> running { 0 };
    WaitQueue done;

    template <typename F> bool spawn(const char* name, F* fn, i32 cpu = -1, bool pin = false)
    {
        auto t = thread::create_kernel(
            name,
            [](void* p) {
                auto* f = static_cast<F*>(p);
                (*f)();
            },
            fn);
        if (t.is_error())
            return false;
        running.fetch_add(1);
        if (pin)
            t.value()->affinity = cpu;
        if (cpu >= 0)
            sched::start_on(t.value(), static_cast<u32>(cpu));
        else
            sched::start(t.value());
        return true;
    }
    void finished()
    {
        if (running.fetch_sub(1) == 1)
            done.wake_all();
    }
    bool wait(u64 timeout_ms)
    {
        u64 deadline = time::since_boot_ns() + timeout_ms * 1000000;
        return !done.wait_until([this] { return running.load() == 0; }, false, deadline).is_error();
    }
};

void threads_run_and_exit(KTest& t)
{
    constexpr u32 N = 16;
    Group g;
    Atomic<u64> sum { 0 };
    struct Body {
        Group* g;
        Atomic<u64>* sum;
        u64 value;
        void operator()()
        {
            sum->fetch_add(value);
            g->finished();
        }
    } bodies[N];
    for (u32 i = 0; i < N; i++) {
        bodies[i] = { &g, &sum, i + 1 };
        KASSERT_TRUE(t, g.spawn("t-sum", &bodies[i]));
    }
    KASSERT_TRUE(t, g.wait(10000));
    KEXPECT_EQ(t, sum.load(), static_cast<u64>(N * (N + 1) / 2));
}

void run_short_threads(KTest& t, int rounds)
{
    for (int round = 0; round < rounds; round++) {
        Group g;
        struct Body {
            Group* g;
            void operator()() { g->finished(); }
        } body { &g };
        for (int i = 0; i < 8; i++)
            KASSERT_TRUE(t, g.spawn("t-free", &body));
        KASSERT_TRUE(t, g.wait(10000));
    }
    // A dead thread's stack is freed by the next thread to run on its CPU:
    // give every CPU time to switch.
    sched::sleep_ns(50 * 1000000ull, false);
}

void stacks_are_freed(KTest& t)
{
    run_short_threads(t, 1); // warm the heap's caches
    u64 pages = pmm::stats().free_pages;
    u64 stacks = accounting::kernel_stacks.pages();
    u64 window = kernel_vm::stats().free_bytes;
    run_short_threads(t, 4);
    KEXPECT_EQ(t, accounting::kernel_stacks.pages(), stacks);
    KEXPECT_EQ(t, kernel_vm::stats().free_bytes, window);
    KEXPECT_EQ(t, pmm::stats().free_pages, pages);
}

void sleep_and_wake(KTest& t)
{
    Group g;
    WaitQueue queue;
    Atomic<bool> flag { false };
    Atomic<bool> woke { false };
    struct Body {
        Group* g;
        WaitQueue* q;
        Atomic<bool>* flag;
        Atomic<bool>* woke;
        void operator()()
        {
            auto r = q->wait_until([this] { return flag->load(); }, false);
            woke->store(!r.is_error() && flag->load());
            g->finished();
        }
    } body { &g, &queue, &flag, &woke };
    // On the last CPU (another one when there are several): the wake-up
    // crosses CPUs with an IPI.
    i32 cpu = static_cast<i32>(percpu::count() - 1);
    KASSERT_TRUE(t, g.spawn("t-sleeper", &body, cpu, true));
    // Let it go to sleep first.
    for (int i = 0; i < 1000 && !queue.has_waiters(); i++)
        sched::sleep_ns(1000000, false);
    KEXPECT(t, queue.has_waiters());
    KEXPECT(t, !woke.load());
    flag.store(true);
    queue.wake_all();
    KASSERT_TRUE(t, g.wait(10000));
    KEXPECT(t, woke.load());
}

void sleep_lasts_at_least_the_time_asked(KTest& t)
{
    u64 start = time::since_boot_ns();
    KEXPECT(t, sched::sleep_ns(30 * 1000000ull, false));
    u64 slept = time::since_boot_ns() - start;
    KEXPECT_GE(t, slept, 30 * 1000000ull);
}

void wait_times_out(KTest& t)
{
    WaitQueue queue;
    u64 start = time::since_boot_ns();
    auto r = queue.wait_until([] { return false; }, false, start + 20 * 1000000ull);
    KEXPECT(t, r.is_error() && r.error().code() == ETIMEDOUT);
    KEXPECT_GE(t, time::since_boot_ns() - start, 20 * 1000000ull);
}

// Busy threads that never yield: preemption alone shares the CPU.
struct Spinner {
    Group* g;
    Atomic<bool>* stop;
    Thread* self = nullptr;
    u64 ticks = 0;
    u64 cpus_seen = 0; // bit per CPU it ran on
    void operator()()
    {
        self = sched::current();
        while (!stop->load(__ATOMIC_RELAXED)) {
            cpus_seen |= 1ull << (this_cpu()->id % 64);
            arch::cpu_relax();
        }
        ticks = self->system_ticks;
        g->finished();
    }
};

void fair_on_one_cpu(KTest& t)
{
    constexpr u32 N = 3;
    Group g;
    Atomic<bool> stop { false };
    Spinner s[N];
    i32 cpu = static_cast<i32>(percpu::count() - 1);
    for (u32 i = 0; i < N; i++) {
        s[i] = { &g, &stop };
        KASSERT_TRUE(t, g.spawn("t-spin", &s[i], cpu, true));
    }
    sched::sleep_ns(600 * 1000000ull, false);
    stop.store(true);
    KASSERT_TRUE(t, g.wait(10000));
    u64 total = 0;
    for (auto& x : s)
        total += x.ticks;
    u64 mean = total / N;
    t.note("CPU %d: ticks %lu %lu %lu (tolerance: each within 35%% of the mean %lu)", cpu, s[0].ticks, s[1].ticks,
           s[2].ticks, mean);
    KEXPECT_GE(t, total, 10u);
    for (auto& x : s) {
        KEXPECT_GE(t, x.ticks * 100, mean * 65);
        KEXPECT_LE(t, x.ticks * 100, mean * 135);
    }
}

void fair_on_all_cpus(KTest& t)
{
    u32 cpus = percpu::count();
    u32 n = min<u32>(2 * cpus, 32);
    Group g;
    Atomic<bool> stop { false };
    Spinner s[32];
    for (u32 i = 0; i < n; i++) {
        s[i] = { &g, &stop };
        KASSERT_TRUE(t, g.spawn("t-spin", &s[i]));
    }
    sched::sleep_ns(800 * 1000000ull, false);
    stop.store(true);
    KASSERT_TRUE(t, g.wait(20000));
    u64 total = 0, lo = ~0ull, hi = 0;
    for (u32 i = 0; i < n; i++) {
        total += s[i].ticks;
        lo = min(lo, s[i].ticks);
        hi = max(hi, s[i].ticks);
    }
    u64 mean = total / n;
    // vCPUs are host threads: the host may give some more time than others,
    // so the bound is looser than on one CPU.
    t.note("%u threads on %u CPUs: ticks min %lu, mean %lu, max %lu (tolerance: each within 60%% of the mean)", n, cpus,
           lo, mean, hi);
    KEXPECT_GE(t, lo * 100, mean * 40);
    KEXPECT_LE(t, hi * 100, mean * 160);
}

void idle_cpus_take_waiting_threads(KTest& t)
{
    if (percpu::count() < 2) {
        t.skip("needs 2 CPUs");
        return;
    }
    // Four busy threads all queued on CPU 0: the idle CPUs must pull some.
    constexpr u32 N = 4;
    Group g;
    Atomic<bool> stop { false };
    Spinner s[N];
    for (u32 i = 0; i < N; i++) {
        s[i] = { &g, &stop };
        KASSERT_TRUE(t, g.spawn("t-migrate", &s[i], 0, false));
    }
    sched::sleep_ns(300 * 1000000ull, false);
    stop.store(true);
    KASSERT_TRUE(t, g.wait(10000));
    u64 seen = 0;
    for (auto& x : s)
        seen |= x.cpus_seen;
    u32 distinct = __builtin_popcountll(seen);
    t.note("threads queued on CPU 0 ran on %u CPUs (mask 0x%lx)", distinct, seen);
    KEXPECT_GE(t, distinct, 2u);
}

void mutex_excludes(KTest& t)
{
    constexpr u32 N = 6;
    constexpr u32 ROUNDS = 2000;
    Group g;
    Mutex mutex;
    u64 counter = 0;
    Atomic<u32> inside { 0 };
    Atomic<u32> overlap { 0 };
    struct Body {
        Group* g;
        Mutex* m;
        u64* counter;
        Atomic<u32>* inside;
        Atomic<u32>* overlap;
        void operator()()
        {
            for (u32 i = 0; i < ROUNDS; i++) {
                MutexGuard guard(*m);
                if (inside->fetch_add(1) != 0)
                    overlap->fetch_add(1);
                u64 v = *counter;
                if (i % 64 == 0)
                    sched::yield(); // sleeping holders: waiters must sleep too
                *counter = v + 1;
                inside->fetch_sub(1);
            }
            g->finished();
        }
    } body { &g, &mutex, &counter, &inside, &overlap };
    for (u32 i = 0; i < N; i++)
        KASSERT_TRUE(t, g.spawn("t-mutex", &body));
    KASSERT_TRUE(t, g.wait(60000));
    KEXPECT_EQ(t, counter, static_cast<u64>(N * ROUNDS));
    KEXPECT_EQ(t, overlap.load(), 0u);
    KEXPECT(t, !mutex.is_locked());
}

} // namespace

KTEST_SUITE(sched, KTEST_CASE(threads_run_and_exit), KTEST_CASE(stacks_are_freed), KTEST_CASE(sleep_and_wake),
            KTEST_CASE(sleep_lasts_at_least_the_time_asked), KTEST_CASE(wait_times_out), KTEST_CASE(fair_on_one_cpu),
            KTEST_CASE(fair_on_all_cpus), KTEST_CASE(idle_cpus_take_waiting_threads), KTEST_CASE(mutex_excludes));
