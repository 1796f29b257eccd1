// The scheduler (see sched.hpp).
//
// Run queues hold only threads waiting for a CPU; the running thread is
// cpu->current and is on no queue. Two locks per decision:
//
//   - Thread::sched_lock guards a thread's state and `leaving`. schedule()
//     decides under it whether the current thread stays runnable (Running or
//     already woken: requeue) or leaves (Sleeping, Stopped, Dead: `leaving`).
//     wake() changes Sleeping to Runnable under it, and then either lets the
//     thread find that out itself (it is still on its CPU and has not decided
//     yet) or, once the thread is off its CPU (on_cpu == 0), queues it.
//   - RunQueue::lock guards one CPU's queue. It is held across the switch and
//     released by the next thread (finish_switch), which also clears the
//     previous thread's on_cpu.
//
// Lock order: a WaitQueue's or the timer list's lock, then a thread's
// sched_lock, then a run queue lock; never two run queue locks at once.
#include <arch/arch.hpp>
#include <config.hpp>
#include <kernel/cpu_stats.hpp>
#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <kernel/percpu.hpp>
#include <kernel/smp.hpp>
#include <kernel/time.hpp>
#include <lib/string.hpp>
#include <proc/sched.hpp>
#include <proc/timer.hpp>
#include <mm/address_space.hpp>

namespace sched {
namespace {

struct RunQueue {
    Spinlock lock;
    IntrusiveList<Thread, &Thread::run_node> queue;
    Atomic<u32> queued { 0 };
    Thread* idle = nullptr;
    Thread* switching_from = nullptr; // the thread finish_switch completes
    Atomic<bool> idle_now { false };  // halted in the idle loop
};

RunQueue s_rq[config::max_cpus];
Thread s_boot_idle; // CPU 0's idle thread (before the heap exists)
u32 s_slice_ticks = 1;

RunQueue& rq_of(u32 cpu) { return s_rq[cpu]; }

bool cpu_is_idle(u32 cpu)
{
    Cpu* c = percpu::cpu(cpu);
    return c && c->online && c->current && c->current->is_idle && s_rq[cpu].queued.load(__ATOMIC_RELAXED) == 0;
}

// Where a thread that becomes runnable should run: its last CPU if that is
// idle, else any idle CPU, else the least loaded (its last CPU on a tie).
u32 choose_cpu(const Thread* t)
{
    u32 n = percpu::count();
    if (t->affinity >= 0 && static_cast<u32>(t->affinity) < n)
        return static_cast<u32>(t->affinity);
    u32 last = t->cpu < n ? t->cpu : 0;
    if (cpu_is_idle(last))
        return last;
    u32 here = this_cpu()->id;
    for (u32 k = 0; k < n; k++) {
        u32 c = (here + k) % n;
        if (cpu_is_idle(c))
            return c;
    }
    u32 best = last;
    u32 best_load = s_rq[last].queued.load(__ATOMIC_RELAXED) + 1;
    for (u32 c = 0; c < n; c++) {
        Cpu* cpu = percpu::cpu(c);
        if (!cpu || !cpu->online)
            continue;
        u32 load = s_rq[c].queued.load(__ATOMIC_RELAXED) + (cpu->current && !cpu->current->is_idle ? 1 : 0);
        if (load < best_load) {
            best = c;
            best_load = load;
        }
    }
    return best;
}

// A sync wake-up's placement: the waker's CPU when the waker runs there
// alone and the thread may run there (it will have the CPU as soon as the
// waker sleeps), else as any wake-up.
u32 choose_cpu_sync(const Thread* t)
{
    Cpu* cpu = this_cpu();
    Thread* waker = cpu->current;
    bool alone = waker && !waker->is_idle && s_rq[cpu->id].queued.load(__ATOMIC_RELAXED) == 0;
    if (alone && (t->affinity < 0 || static_cast<u32>(t->affinity) == cpu->id))
        return cpu->id;
    return choose_cpu(t);
}

// Puts a runnable thread that is on no CPU and no queue on `cpu`'s queue
// and makes sure that CPU notices.
void enqueue_on(u32 cpu, Thread* t)
{
    RunQueue& rq = rq_of(cpu);
    {
        SpinlockGuard guard(rq.lock);
        t->cpu = cpu;
        rq.queue.push_back(*t);
        rq.queued.fetch_add(1, __ATOMIC_RELAXED);
    }
    Cpu* target = percpu::cpu(cpu);
    if (target == this_cpu()) {
        if (target->current && target->current->is_idle)
            target->need_resched.store(true);
    } else if (target && target->current && target->current->is_idle) {
        target->need_resched.store(true);
        arch::send_reschedule_interrupt(*target);
    }
}

// The thread the idle CPU `cpu` takes from the busiest other queue, or nullptr.
Thread* steal_for(u32 cpu)
{
    u32 n = percpu::count();
    u32 victim = cpu;
    u32 most = 0;
    for (u32 c = 0; c < n; c++) {
        u32 q = s_rq[c].queued.load(__ATOMIC_RELAXED);
        if (c != cpu && q > most) {
            most = q;
            victim = c;
        }
    }
    if (victim == cpu)
        return nullptr;
    RunQueue& rq = rq_of(victim);
    SpinlockGuard guard(rq.lock);
    // The most recently queued thread that may run here.
    Thread* t = rq.queue.back();
    while (t && t->affinity >= 0)
        t = rq.queue.prev(*t);
    if (!t)
        return nullptr;
    rq.queue.remove(*t);
    rq.queued.fetch_sub(1, __ATOMIC_RELAXED);
    return t;
}

} // namespace

// Runs on the thread that was just switched to, with the run queue lock
// held and interrupts off: lets the previous thread go.
void finish_switch()
{
    RunQueue& rq = rq_of(this_cpu()->id);
    Thread* prev = rq.switching_from;
    rq.switching_from = nullptr;
    bool dead = prev->state.load() == ThreadState::Dead;
    prev->on_cpu.store(0, __ATOMIC_RELEASE);
    rq.lock.unlock();
    if (dead) {
        Atomic<bool>* released = prev->released_flag;
        thread::destroy(prev);
        if (released)
            released->store(true, __ATOMIC_RELEASE);
    }
}

void kernel_thread_entry(void* arg)
{
    finish_switch();
    arch::irq_enable();
    auto* t = static_cast<Thread*>(arg);
    t->entry(t->entry_arg);
    exit_current_thread();
}

Thread* current() { return this_cpu()->current; }

void init_this_cpu()
{
    Cpu* cpu = this_cpu();
    Thread* idle = cpu->id == 0 ? &s_boot_idle : new (std::nothrow) Thread {};
    if (!idle)
        panic("sched: no memory for CPU %u's idle thread", cpu->id);
    idle->is_idle = true;
    idle->stack_owned = false;
    idle->stack_top = cpu->kernel_stack_top;
    idle->state.store(ThreadState::Running);
    idle->on_cpu.store(1);
    idle->cpu = cpu->id;
    format(idle->name, sizeof(idle->name), "idle/%u", cpu->id);
    rq_of(cpu->id).idle = idle;
    cpu->current = idle;
    if (cpu->id == 0) {
        s_slice_ticks = max<u32>(1, config::sched_quantum_ms * config::timer_hz / 1000);
        log_info("sched: round robin, %u ms slices (%u ticks), per-CPU run queues", config::sched_quantum_ms,
                 s_slice_ticks);
    }
}

void start(Thread* t)
{
    t->state.store(ThreadState::Runnable);
    t->slice_left = s_slice_ticks;
    enqueue_on(choose_cpu(t), t);
}

void start_on(Thread* t, u32 cpu)
{
    t->state.store(ThreadState::Runnable);
    t->slice_left = s_slice_ticks;
    enqueue_on(cpu < percpu::count() ? cpu : 0, t);
}

void schedule()
{
    u64 flags = arch::irq_save();
    Cpu* cpu = this_cpu();
    RunQueue& rq = rq_of(cpu->id);
    Thread* prev = cpu->current;
    if (prev->preempt_disabled)
        panic("sched: schedule() with preemption disabled in %s", prev->name);

    bool requeue;
    {
        prev->sched_lock.lock();
        ThreadState st = prev->state.load();
        requeue = st == ThreadState::Running || st == ThreadState::Runnable;
        if (requeue)
            prev->state.store(ThreadState::Runnable);
        else
            prev->leaving = true;
        prev->sched_lock.unlock();
    }

    rq.lock.lock();
    cpu->need_resched.store(false);
    if (requeue && !prev->is_idle) {
        rq.queue.push_back(*prev);
        rq.queued.fetch_add(1, __ATOMIC_RELAXED);
    }
    Thread* next = rq.queue.pop_front();
    if (next)
        rq.queued.fetch_sub(1, __ATOMIC_RELAXED);
    else
        next = rq.idle;
    if (next == prev) {
        prev->state.store(ThreadState::Running);
        rq.lock.unlock();
        arch::irq_restore(flags);
        return;
    }
    // A thread that requeued itself on its CPU may have been taken by
    // another CPU before it finished switching away: wait until its
    // registers are saved.
    while (next->on_cpu.load(__ATOMIC_ACQUIRE))
        arch::cpu_relax();
    next->state.store(ThreadState::Running);
    next->leaving = false;
    next->on_cpu.store(1, __ATOMIC_RELAXED);
    next->cpu = cpu->id;
    if (next->slice_left == 0)
        next->slice_left = s_slice_ticks;
    rq.switching_from = prev;
    cpu_stats::note_context_switch(cpu->id);
    if (prev->aspace != next->aspace)
        vm::switch_address_space(prev->aspace, next->aspace, cpu->id);
    arch::switch_threads(*prev, *next);
    // Back on prev, switched to by some other thread on this CPU.
    finish_switch();
    arch::irq_restore(flags);
}

void yield()
{
    current()->slice_left = 0;
    schedule();
}

void prepare_to_sleep(bool interruptible)
{
    Thread* t = current();
    SpinlockGuard guard(t->sched_lock);
    t->interruptible = interruptible;
    t->state.store(ThreadState::Sleeping);
}

void cancel_sleep()
{
    Thread* t = current();
    SpinlockGuard guard(t->sched_lock);
    // Sleeping: nobody woke us. Runnable: woken before schedule() decided,
    // so nobody queued us either (see wake()). Either way we keep running.
    t->state.store(ThreadState::Running);
}

bool wake(Thread* t, Wake how)
{
    SpinlockGuard guard(t->sched_lock);
    if (t->state.load() != ThreadState::Sleeping)
        return false;
    t->state.store(ThreadState::Runnable);
    if (t->on_cpu.load(__ATOMIC_ACQUIRE) && !t->leaving) {
        // Still running and not yet in schedule()'s decision: it will see
        // Runnable and stay (or cancel_sleep).
        return true;
    }
    // Leaving or gone: wait until its registers are saved, then queue it.
    while (t->on_cpu.load(__ATOMIC_ACQUIRE))
        arch::cpu_relax();
    t->leaving = false;
    enqueue_on(how == Wake::Sync ? choose_cpu_sync(t) : choose_cpu(t), t);
    return true;
}

bool resume_stopped(Thread* t)
{
    SpinlockGuard guard(t->sched_lock);
    if (t->state.load() != ThreadState::Stopped)
        return false;
    t->state.store(ThreadState::Runnable);
    if (t->on_cpu.load(__ATOMIC_ACQUIRE) && !t->leaving)
        return true;
    while (t->on_cpu.load(__ATOMIC_ACQUIRE))
        arch::cpu_relax();
    t->leaving = false;
    enqueue_on(choose_cpu(t), t);
    return true;
}

void kick_for_signal(Thread* t)
{
    {
        SpinlockGuard guard(t->sched_lock);
        ThreadState st = t->state.load();
        if (st == ThreadState::Sleeping && t->interruptible) {
            t->state.store(ThreadState::Runnable);
            if (!(t->on_cpu.load(__ATOMIC_ACQUIRE) && !t->leaving)) {
                while (t->on_cpu.load(__ATOMIC_ACQUIRE))
                    arch::cpu_relax();
                t->leaving = false;
                enqueue_on(choose_cpu(t), t);
            }
            return;
        }
        if (st != ThreadState::Running)
            return;
    }
    // Running on another CPU (perhaps in user mode): interrupt it so it
    // passes through the return-to-user path and sees the signal.
    Cpu* target = percpu::cpu(t->cpu);
    if (target && target != this_cpu() && target->current == t) {
        target->need_resched.store(true);
        arch::send_reschedule_interrupt(*target);
    }
}

bool sleep_ns(u64 ns, bool interruptible)
{
    Thread* t = current();
    u64 deadline = time::since_boot_ns() + ns;
    for (;;) {
        if (time::since_boot_ns() >= deadline)
            return true;
        if (interruptible && thread::has_unblocked_signal(*t))
            return false;
        u64 flags = arch::irq_save();
        timer::arm(t, deadline);
        prepare_to_sleep(interruptible);
        if (interruptible && thread::has_unblocked_signal(*t))
            cancel_sleep();
        else
            schedule();
        timer::cancel(t);
        arch::irq_restore(flags);
    }
}

void exit_current_thread()
{
    arch::irq_disable();
    Thread* t = current();
    {
        SpinlockGuard guard(t->sched_lock);
        t->state.store(ThreadState::Dead);
    }
    schedule();
    panic("sched: a dead thread ran again");
}

void tick(bool from_user)
{
    Cpu* cpu = this_cpu();
    Thread* t = cpu->current;
    if (!t)
        return;
    RunQueue& rq = rq_of(cpu->id);
    constexpr u64 tick_ns = 1000000000ull / config::timer_hz;
    if (t->is_idle) {
        cpu_stats::account_tick(cpu->id, cpu_stats::TickKind::Idle, tick_ns);
    } else if (from_user) {
        t->user_ticks++;
        cpu_stats::account_tick(cpu->id, cpu_stats::TickKind::User, tick_ns);
    } else {
        t->system_ticks++;
        cpu_stats::account_tick(cpu->id, cpu_stats::TickKind::System, tick_ns);
    }
    if (cpu->id == 0 && cpu->ticks.load(__ATOMIC_RELAXED) % cpu_stats::load_interval_ticks() == 0)
        cpu_stats::fold_load(runnable_count());
    timer::run_expired();
    if (t->is_idle) {
        if (rq.queued.load(__ATOMIC_RELAXED))
            cpu->need_resched.store(true);
        return;
    }
    if (t->slice_left > 0)
        t->slice_left--;
    if (t->slice_left == 0 && rq.queued.load(__ATOMIC_RELAXED))
        cpu->need_resched.store(true);
    else if (t->slice_left == 0)
        t->slice_left = s_slice_ticks; // alone on this CPU: keep going
}

void preempt_if_needed()
{
    Cpu* cpu = this_cpu();
    Thread* t = cpu->current;
    if (!t || t->preempt_disabled || !cpu->need_resched.load(__ATOMIC_RELAXED))
        return;
    schedule();
}

void on_reschedule_ipi() { this_cpu()->need_resched.store(true); }

void idle_loop()
{
    Cpu* cpu = this_cpu();
    RunQueue& rq = rq_of(cpu->id);
    for (;;) {
        arch::irq_disable();
        if (rq.queued.load(__ATOMIC_RELAXED) || cpu->need_resched.load()) {
            arch::irq_enable();
            schedule();
            continue;
        }
        if (Thread* stolen = steal_for(cpu->id)) {
            stolen->cpu = cpu->id;
            {
                SpinlockGuard guard(rq.lock);
                rq.queue.push_back(*stolen);
                rq.queued.fetch_add(1, __ATOMIC_RELAXED);
            }
            arch::irq_enable();
            schedule();
            continue;
        }
        rq.idle_now.store(true, __ATOMIC_RELAXED);
        arch::enable_interrupts_and_halt();
        rq.idle_now.store(false, __ATOMIC_RELAXED);
    }
}

u32 runnable_count()
{
    u32 sum = 0;
    for (u32 c = 0; c < percpu::count(); c++) {
        sum += s_rq[c].queued.load(__ATOMIC_RELAXED);
        Cpu* cpu = percpu::cpu(c);
        if (cpu && cpu->current && !cpu->current->is_idle)
            sum++;
    }
    return sum;
}

} // namespace sched
