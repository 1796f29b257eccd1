// smp, parallel, spinlock, ipi: every CPU online and working together.
#include <arch/x86_64/apic.hpp>
#include <arch/x86_64/interrupts.hpp>
#include <arch/x86_64/ioapic.hpp>
#include <config.hpp>
#include <drivers/acpi/acpi.hpp>
#include <kernel/ktest.hpp>
#include <kernel/log.hpp>
#include <kernel/parallel_sum.hpp>
#include <kernel/smp.hpp>
#include <kernel/time.hpp>
#include <lib/barrier.hpp>
#include <lib/spinlock.hpp>
#include <mm/pmm.hpp>
#include <mm/vmm.hpp>

namespace {

constexpr u32 MAX = config::max_cpus;

// Per-CPU result slots, each on its own cache line.
struct alignas(64) Slot {
    volatile u64 value;
    const void* pointer;
    u32 id;
    u32 apic_id;
};
Slot s_slots[MAX];

void clear_slots()
{
    for (u32 i = 0; i < MAX; i++)
        s_slots[i] = {};
}

// Busy-waits until `done()` or `seconds` pass; false on timeout.
template <typename F> bool wait_until(F done, u64 seconds)
{
    u64 deadline = time::since_boot_ns() + seconds * 1000000000ull;
    while (!done()) {
        if (time::since_boot_ns() > deadline)
            return false;
        arch::cpu_relax();
    }
    return true;
}

// ---- smp ----

void all_cpus_online(KTest& t)
{
    u32 online = smp::online_count();
    KEXPECT_EQ(t, online, smp::expected_count());
    const acpi::Tables& tables = acpi::tables();
    KEXPECT_LE(t, smp::cpu_cap(), config::max_cpus);
    if (tables.has_madt)
        KEXPECT_EQ(t, smp::expected_count(), min(tables.madt.cpu_count, smp::cpu_cap()));
    for (u32 i = 0; i < online; i++) {
        Cpu* cpu = percpu::cpu(i);
        KASSERT_TRUE(t, cpu != nullptr);
        KEXPECT(t, cpu->online);
        KEXPECT_EQ(t, cpu->id, i);
    }
    t.note("%u of %u CPUs online (cap %u)", online, smp::expected_count(), smp::cpu_cap());
}

void record_identity(void*)
{
    Cpu* cpu = this_cpu();
    Slot& s = s_slots[cpu->id];
    s.pointer = cpu;
    s.id = cpu->id;
    s.apic_id = x86::lapic::active() ? x86::lapic::id() : 0;
    s.value = 1;
}

void apic_ids_unique(KTest& t)
{
    clear_slots();
    smp::call_on_all(record_identity, nullptr);
    u32 n = smp::online_count();
    for (u32 i = 0; i < n; i++) {
        KEXPECT_EQ(t, s_slots[i].value, 1u);
        // The id the CPU reads from its own APIC is the one we started it by.
        KEXPECT_EQ(t, s_slots[i].apic_id, percpu::cpu(i)->apic_id);
        for (u32 j = i + 1; j < n; j++)
            KEXPECT_NE(t, s_slots[i].apic_id, s_slots[j].apic_id);
    }
}

void percpu_data_distinct(KTest& t)
{
    clear_slots();
    smp::call_on_all(record_identity, nullptr);
    u32 n = smp::online_count();
    for (u32 i = 0; i < n; i++) {
        KEXPECT_EQ(t, s_slots[i].id, i);
        KEXPECT_EQ(t, s_slots[i].pointer, static_cast<const void*>(percpu::cpu(i)));
        for (u32 j = i + 1; j < n; j++)
            KEXPECT_NE(t, s_slots[i].pointer, s_slots[j].pointer);
    }
}

void timer_ticks_on_every_cpu(KTest& t)
{
    u32 n = smp::online_count();
    u64 before[MAX];
    for (u32 i = 0; i < n; i++)
        before[i] = percpu::cpu(i)->ticks.load();
    bool all = wait_until(
        [&] {
            for (u32 i = 0; i < n; i++) {
                if (percpu::cpu(i)->ticks.load() < before[i] + 5)
                    return false;
            }
            return true;
        },
        10);
    char line[256];
    size_t len = 0;
    for (u32 i = 0; i < n && len < sizeof(line); i++)
        len += format(line + len, sizeof(line) - len, "%s%u:%lu", i ? " " : "", i, percpu::cpu(i)->ticks.load());
    log_info("timer: ticks per CPU: %s", line);
    t.note("ticks per CPU: %s", line);
    KEXPECT(t, all);
}

void legacy_irq_routed_through_ioapic(KTest& t)
{
    if (!x86::lapic::active()) {
        t.skip("no I/O APIC (PIC mode)");
        return;
    }
    // The PIT runs at the tick rate; its IRQ 0 arrives on the GSI the MADT
    // override names (2 on PCs), only while unmasked.
    u64 before = x86::pit_interrupt_count();
    x86::ioapic::set_masked(0, false);
    bool arrived = wait_until([&] { return x86::pit_interrupt_count() >= before + 5; }, 10);
    x86::ioapic::set_masked(0, true);
    KEXPECT(t, arrived);
    t.note("PIT IRQ 0 on GSI %u", x86::ioapic::gsi_for_isa_irq(0));
    u64 after_mask = x86::pit_interrupt_count();
    time::delay_us(100000);
    KEXPECT_LE(t, x86::pit_interrupt_count(), after_mask + 1);
}

// ---- parallel: the seed kernel's three tests, on every CPU ----

void count_to_a_million(void*)
{
    Slot& s = s_slots[this_cpu()->id];
    for (u32 i = 0; i < 1000000; i++)
        s.value = s.value + 1;
}

void parallel_counters(KTest& t)
{
    clear_slots();
    smp::call_on_all(count_to_a_million, nullptr);
    u32 n = smp::online_count();
    for (u32 i = 0; i < n; i++) {
        if (s_slots[i].value != 1000000)
            t.fail(__FILE__, __LINE__, "CPU %u counted to %lu", i, s_slots[i].value);
    }
}

void distributed_sum(KTest& t)
{
    u32 cpus = smp::online_count();
    u64 partials[MAX] = {};
    parallel_sum::Result r = parallel_sum::run(10000000, cpus, partials);
    KEXPECT_EQ(t, r.total, 50000005000000ull);
    // Every CPU did its share: each partial sum matches the closed form.
    for (u32 i = 0; i < cpus; i++) {
        u64 first, last;
        parallel_sum::slice(10000000, cpus, i, &first, &last);
        KEXPECT_EQ(t, partials[i], (first + last) * (last - first + 1) / 2);
    }
}

struct BarrierJob {
    Barrier* barrier;
    u32 rounds;
    Atomic<u32> mismatches;
    KTest* test; // progress, from CPU 0
};

void barrier_rounds(void* arg)
{
    auto* job = static_cast<BarrierJob*>(arg);
    u32 id = this_cpu()->id;
    u32 n = smp::online_count();
    for (u32 round = 1; round <= job->rounds; round++) {
        s_slots[id].value = round;
        job->barrier->wait();
        // Nobody may be a round ahead or behind here.
        for (u32 i = 0; i < n; i++) {
            if (s_slots[i].value != round)
                job->mismatches.fetch_add(1);
        }
        job->barrier->wait();
        if (id == 0)
            job->test->progress("round %u of %u", round, job->rounds);
    }
}

void barrier_synchronisation(KTest& t)
{
    clear_slots();
    Barrier barrier(smp::online_count());
    BarrierJob job { &barrier, 200, 0, &t };
    smp::call_on_all(barrier_rounds, &job);
    KEXPECT_EQ(t, job.mismatches.load(), 0u);
    for (u32 i = 0; i < smp::online_count(); i++)
        KEXPECT_EQ(t, s_slots[i].value, 200u);
}

// ---- spinlock ----

struct LockJob {
    explicit LockJob(Spinlock::Mode mode, u32 increments_per_cpu, u32 cpus)
        : lock(mode), increments(increments_per_cpu), participants(cpus)
    {
    }
    Spinlock lock;
    volatile u64 counter = 0;
    u32 increments;
    u32 participants; // CPUs 0..participants-1 take part
};

void locked_increments(void* arg)
{
    auto* job = static_cast<LockJob*>(arg);
    if (this_cpu()->id >= job->participants)
        return;
    for (u32 i = 0; i < job->increments; i++) {
        SpinlockGuard guard(job->lock);
        // Read-modify-write in two steps: lost updates would show without
        // the lock.
        u64 v = job->counter;
        job->counter = v + 1;
    }
}

void contended_counter(KTest& t)
{
    // Every CPU, in the mode chosen at boot.
    LockJob job(Spinlock::Mode::Auto, 100000, smp::online_count());
    smp::call_on_all(locked_increments, &job);
    KEXPECT_EQ(t, job.counter, static_cast<u64>(job.participants) * job.increments);
    KEXPECT(t, !job.lock.is_locked());
    t.note("%u CPUs x %u increments, %s lock", job.participants, job.increments,
           job.lock.fair() ? "ticket" : "test-and-set");
}

void fair_lock_contended(KTest& t)
{
    // The ticket lock under contention from two CPUs, whatever the boot
    // mode (two vCPUs fit the host's cores, so no convoy).
    u32 cpus = min(smp::online_count(), 2u);
    LockJob job(Spinlock::Mode::Fair, 20000, cpus);
    smp::call_on_all(locked_increments, &job);
    KEXPECT_EQ(t, job.counter, static_cast<u64>(cpus) * job.increments);
    KEXPECT(t, !job.lock.is_locked());
}

void test_and_set_lock_contended(KTest& t)
{
    LockJob job(Spinlock::Mode::TestAndSet, 20000, smp::online_count());
    smp::call_on_all(locked_increments, &job);
    KEXPECT_EQ(t, job.counter, static_cast<u64>(job.participants) * job.increments);
    KEXPECT(t, !job.lock.is_locked());
}

void ticket_lock_serves_in_order(KTest& t)
{
    // One CPU, the algorithm itself: the lock is free only after as many
    // unlocks as locks, and a fair lock reports held while tickets wait.
    Spinlock lock(Spinlock::Mode::Fair);
    KEXPECT(t, lock.fair());
    KEXPECT(t, !lock.is_locked());
    lock.lock();
    KEXPECT(t, lock.is_locked());
    lock.unlock();
    KEXPECT(t, !lock.is_locked());
    for (int i = 0; i < 1000; i++) {
        lock.lock();
        lock.unlock();
    }
    KEXPECT(t, !lock.is_locked());
}

void guard_restores_interrupts(KTest& t)
{
    Spinlock lock;
    KASSERT_TRUE(t, arch::irq_enabled());
    {
        SpinlockGuard guard(lock);
        KEXPECT(t, !arch::irq_enabled());
        KEXPECT(t, lock.is_locked());
    }
    KEXPECT(t, arch::irq_enabled());
    KEXPECT(t, !lock.is_locked());
    arch::irq_disable();
    {
        SpinlockGuard guard(lock);
    }
    KEXPECT(t, !arch::irq_enabled()); // stays off when it was off
    arch::irq_enable();
}

// ---- ipi ----

struct PingPong {
    u32 home;
    Atomic<u32> pings;
    Atomic<u32> pongs;
};

void pong(void* arg) { static_cast<PingPong*>(arg)->pongs.fetch_add(1); }

void ping(void* arg)
{
    auto* game = static_cast<PingPong*>(arg);
    game->pings.fetch_add(1);
    smp::call_on(game->home, pong, game); // call back while answering a call
}

struct PairRun {
    u32 partner;
    u32 rounds;
    PingPong game;
};

void play_with_partner(void* arg)
{
    auto* run = static_cast<PairRun*>(arg);
    run->game.home = this_cpu()->id;
    for (u32 i = 0; i < run->rounds; i++)
        smp::call_on(run->partner, ping, &run->game);
}

void ping_pong_between_pairs(KTest& t)
{
    u32 n = smp::online_count();
    if (n < 2) {
        t.skip("needs 2 CPUs");
        return;
    }
    u32 pairs = 0;
    for (u32 a = 0; a < n; a++) {
        for (u32 b = 0; b < n; b++) {
            if (a == b)
                continue;
            PairRun run { b, 20, { 0, 0, 0 } };
            smp::call_on(a, play_with_partner, &run);
            if (run.game.pings.load() != 20 || run.game.pongs.load() != 20)
                t.fail(__FILE__, __LINE__, "CPU %u <-> %u: %u pings, %u pongs", a, b, run.game.pings.load(),
                       run.game.pongs.load());
            pairs++;
            t.progress("%u of %u ordered pairs", pairs, n * (n - 1));
        }
    }
    t.note("%u ordered pairs x 20 round trips", pairs);
}

struct ReadJob {
    VirtAddr address;
};

void read_mapping(void* arg)
{
    auto* job = static_cast<ReadJob*>(arg);
    s_slots[this_cpu()->id].value = *reinterpret_cast<volatile u64*>(job->address);
}

void tlb_shootdown(KTest& t)
{
    auto& as = vmm::kernel_space();
    VirtAddr va = KTRY(t, vmm::reserve_kernel_range(PAGE_SIZE, PAGE_SIZE));
    PhysAddr a = KTRY(t, pmm::alloc_zeroed_page());
    PhysAddr b = KTRY(t, pmm::alloc_zeroed_page());
    *phys_to_ptr<u64>(a) = 0xAAAA;
    *phys_to_ptr<u64>(b) = 0xBBBB;
    ReadJob job { va };
    u32 n = smp::online_count();

    // Every CPU reads through the mapping, so every TLB caches it.
    KTRY(t, vmm::map_page(as, va, a, 0));
    clear_slots();
    smp::call_on_all(read_mapping, &job);
    for (u32 i = 0; i < n; i++)
        KEXPECT_EQ(t, s_slots[i].value, 0xAAAAu);

    // Point it somewhere else from this CPU; the unmap shoots down the
    // other CPUs' entries, so they all see the new page.
    KTRY(t, vmm::unmap_page(as, va));
    KTRY(t, vmm::map_page(as, va, b, 0));
    clear_slots();
    smp::call_on_all(read_mapping, &job);
    for (u32 i = 0; i < n; i++) {
        if (s_slots[i].value != 0xBBBB)
            t.fail(__FILE__, __LINE__, "CPU %u still sees 0x%lx through the old mapping", i, s_slots[i].value);
    }
    KTRY(t, vmm::unmap_page(as, va));
    pmm::free_page(a);
    pmm::free_page(b);
}

} // namespace

KTEST_SUITE(smp, KTEST_CASE(all_cpus_online), KTEST_CASE(apic_ids_unique), KTEST_CASE(percpu_data_distinct),
            KTEST_CASE(timer_ticks_on_every_cpu), KTEST_CASE(legacy_irq_routed_through_ioapic));
KTEST_SUITE(parallel, KTEST_CASE(parallel_counters), KTEST_CASE(distributed_sum),
            KTEST_CASE(barrier_synchronisation));
KTEST_SUITE(spinlock, KTEST_CASE(contended_counter), KTEST_CASE(fair_lock_contended),
            KTEST_CASE(test_and_set_lock_contended), KTEST_CASE(ticket_lock_serves_in_order),
            KTEST_CASE(guard_restores_interrupts));
KTEST_SUITE(ipi, KTEST_CASE(ping_pong_between_pairs), KTEST_CASE(tlb_shootdown));
