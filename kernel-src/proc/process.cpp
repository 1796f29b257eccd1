// The process table, creation (init, fork/vfork/clone), exit and wait.
//
// Locking: table_lock() (a spinlock) guards the table, pids, the family
// links (parent, children, pgid, sid), states and wait statuses. A parent
// sleeps on its own child_event queue; children wake it when they exit,
// stop or continue. Lock order: table lock, then a WaitQueue's lock, then a
// thread's sched_lock.
#include <arch/arch.hpp>
#include <arch/user.hpp>
#include <config.hpp>
#include <kernel/cpu_stats.hpp>
#include <kernel/exit_codes.hpp>
#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <kernel/percpu.hpp>
#include <kernel/time.hpp>
#include <lib/new.hpp>
#include <lib/string.hpp>
#include <mm/pmm.hpp>
#include <proc/exec.hpp>
#include <proc/process.hpp>
#include <proc/process_files.hpp>
#include <proc/process_info.hpp>
#include <proc/sched.hpp>
#include <tty/tty.hpp>

namespace proc {
namespace {

constexpr i32 PID_MAX = 32768; // Linux's default pid_max
constexpr i32 PID_WRAP_TO = 300; // after wrapping, low pids stay for daemons (RESERVED_PIDS)

Spinlock s_table_lock;
IntrusiveList<Process, &Process::table_node> s_table;
u64 s_pid_bitmap[PID_MAX / 64];
i32 s_next_pid = 1;
u32 s_count = 0;
u32 s_process_limit = 0; // total processes (pids and memory bound it); set at first use
char s_init_path[128];
Process* s_init; // PID 1 once start_init ran; orphans go to it

// Caller holds the table lock.
ErrorOr<i32> allocate_pid()
{
    for (i32 tries = 0; tries < PID_MAX; tries++) {
        i32 pid = s_next_pid;
        s_next_pid = s_next_pid + 1 >= PID_MAX ? PID_WRAP_TO : s_next_pid + 1;
        if (!(s_pid_bitmap[pid / 64] & (1ull << (pid % 64)))) {
            s_pid_bitmap[pid / 64] |= 1ull << (pid % 64);
            cpu_stats::forks.fetch_add(1, __ATOMIC_RELAXED);
            cpu_stats::last_pid.store(pid, __ATOMIC_RELAXED);
            return pid;
        }
    }
    return Error::from_errno(EAGAIN);
}

void free_pid(i32 pid) { s_pid_bitmap[pid / 64] &= ~(1ull << (pid % 64)); }

// A zombie's thread may still be finishing its last switch on another CPU:
// its stack is freed then (microseconds). Wait for it before the process
// object goes, so a reaped child has given back everything.
void wait_thread_released(Process* p)
{
    while (!p->thread_released.load(__ATOMIC_ACQUIRE))
        arch::cpu_relax();
}

} // namespace

u32 process_limit()
{
    if (!s_process_limit) {
        // As Linux sizes threads-max: about one process per 64 pages of
        // RAM (each needs a kernel stack, page tables, ...), at least 64.
        s_process_limit = static_cast<u32>(max<u64>(64, min<u64>(PID_MAX - PID_WRAP_TO, pmm::stats().managed_pages / 64)));
    }
    return s_process_limit;
}

namespace {

void default_limits(Process* p)
{
    for (auto& l : p->limits)
        l = { RLIM_INFINITY, RLIM_INFINITY };
    p->limits[RLIMIT_STACK] = { 8 * MiB, RLIM_INFINITY };
    p->limits[RLIMIT_CORE] = { 0, RLIM_INFINITY };
    p->limits[RLIMIT_NOFILE] = { 1024, 4096 };
    u64 nproc = process_limit() / 2;
    p->limits[RLIMIT_NPROC] = { nproc, nproc };
    p->limits[RLIMIT_SIGPENDING] = { nproc, nproc };
    p->limits[RLIMIT_MEMLOCK] = { 8 * MiB, 8 * MiB };
    p->limits[RLIMIT_MSGQUEUE] = { 819200, 819200 };
}

// A new Process in the table with a fresh pid (its thread comes later).
ErrorOr<Process*> create_process(Process* parent)
{
    auto* p = new (std::nothrow) Process {};
    if (!p)
        return Error::from_errno(ENOMEM);
    SpinlockGuard guard(s_table_lock);
    if (s_count >= process_limit() ||
        (parent && s_count >= parent->limits[RLIMIT_NPROC].cur)) {
        delete p;
        return Error::from_errno(EAGAIN);
    }
    auto pid = allocate_pid();
    if (pid.is_error()) {
        delete p;
        return pid.release_error();
    }
    p->pid = pid.value();
    p->start_ticks = time::ticks();
    if (parent) {
        p->parent = parent;
        p->pgid = parent->pgid;
        p->sid = parent->sid;
        p->uid = parent->uid;
        p->gid = parent->gid;
        p->ctty = parent->ctty;
        memcpy(p->comm, parent->comm, sizeof(p->comm));
        memcpy(p->exe, parent->exe, sizeof(p->exe));
        memcpy(p->limits, parent->limits, sizeof(p->limits));
        p->arg_start = parent->arg_start;
        p->arg_end = parent->arg_end;
        p->env_start = parent->env_start;
        p->env_end = parent->env_end;
        parent->children.push_back(*p);
    } else {
        p->pgid = p->sid = p->pid;
        default_limits(p);
    }
    s_table.push_back(*p);
    s_count++;
    return p;
}

// Removes a reaped (or never started) process. Caller holds the table lock.
void destroy_locked(Process* p)
{
    if (p->sibling_node.linked() && p->parent)
        p->parent->children.remove(*p);
    s_table.remove(*p);
    free_pid(p->pid);
    s_count--;
}

bool matches(Process* child, i32 pid, Process* waiter)
{
    if (pid > 0)
        return child->pid == pid;
    if (pid == -1)
        return true;
    if (pid == 0)
        return child->pgid == waiter->pgid;
    return child->pgid == -pid;
}


// Reports init's end and powers the machine off (as Linux panics, but a
// test kit wants the status).
[[noreturn]] void init_exited(i32 status)
{
    if ((status & 0x7f) == 0)
        log_info("init: %s exited with status %d", s_init_path, (status >> 8) & 0xff);
    else
        log_info("init: %s killed by signal %d (%s)", s_init_path, status & 0x7f, signal::name(status & 0x7f));
    arch::exit_emulator(EXIT_SUCCESS_CODE);
}

} // namespace

Spinlock& table_lock() { return s_table_lock; }

Process* current_process()
{
    Thread* t = this_cpu()->current;
    return t ? t->process : nullptr;
}

IntrusiveList<Process, &Process::table_node>& table_locked() { return s_table; }

Process* find_locked(i32 pid)
{
    for (Process& p : s_table) {
        if (p.pid == pid)
            return &p;
    }
    return nullptr;
}

bool process_group_exists(i32 pgid)
{
    SpinlockGuard guard(s_table_lock);
    for (Process& p : s_table) {
        if (p.pgid == pgid && p.state == ProcessState::Alive)
            return true;
    }
    return false;
}

u32 count()
{
    SpinlockGuard guard(s_table_lock);
    return s_count;
}

u64 file_limit()
{
    Process* p = current_process();
    return p ? p->limits[RLIMIT_NOFILE].cur : 1024;
}

void release_vfork_parent(Process* p)
{
    Process* parent = p->vfork_parent;
    if (!parent)
        return;
    p->vfork_parent = nullptr;
    // The parent is alive: it sleeps in vfork until this.
    parent->vfork_released.store(true);
    parent->vfork_wait.wake_all();
}

namespace {
WaitQueue s_spawned_event; // processes without a parent (spawn) ended

// Undoes create_process and whatever was set up after it (thread, files,
// address space) for a process that never ran; passes `e` on.
Error abandon(Process* p, Error e)
{
    if (p->thread)
        thread::destroy(p->thread);
    exit_files(p);
    p->aspace = nullptr;
    SpinlockGuard guard(s_table_lock);
    destroy_locked(p);
    delete p;
    return e;
}

// A parentless process running `path`: created, exec'd, not yet started.
ErrorOr<Process*> create_spawned(const char* path, const char* const* argv, const char* const* envp)
{
    Process* p = TRY(create_process(nullptr));
    strlcpy(p->comm, command_name(path), sizeof(p->comm));
    auto t = thread::create_user(p, p->comm);
    if (t.is_error())
        return abandon(p, t.release_error());
    p->thread = t.value();
    t.value()->tid = p->pid;
    auto files = init_files(p);
    if (files.is_error())
        return abandon(p, files.release_error());
    StringList args, env;
    for (size_t i = 0; argv && argv[i]; i++) {
        auto r = args.append(argv[i], strlen(argv[i]));
        if (r.is_error())
            return abandon(p, r.release_error());
    }
    for (size_t i = 0; envp && envp[i]; i++) {
        auto r = env.append(envp[i], strlen(envp[i]));
        if (r.is_error())
            return abandon(p, r.release_error());
    }
    auto exec = execve(p, path, args, env);
    if (exec.is_error())
        return abandon(p, exec.release_error());
    return p;
}
} // namespace

ErrorOr<void> start_init(const char* path, const char* const* argv, const char* const* envp)
{
    strlcpy(s_init_path, path, sizeof(s_init_path));
    Process* p = TRY(create_spawned(path, argv, envp));
    if (p->pid != 1)
        panic("init got pid %d", p->pid);
    s_init = p;
    log_info("init: running %s", path);
    sched::start(p->thread);
    return {};
}

ErrorOr<i32> spawn(const char* path, const char* const* argv, const char* const* envp)
{
    Process* p = TRY(create_spawned(path, argv, envp));
    p->kernel_waits = true;
    i32 pid = p->pid;
    sched::start(p->thread);
    return pid;
}

i32 wait_spawned(i32 pid)
{
    // The condition only looks (it runs with interrupts off); the reaping
    // happens after, with interrupts on, because the zombie's thread may
    // still need a cross-CPU call answered to free its stack.
    (void)s_spawned_event.wait_until(
        [pid] {
            SpinlockGuard guard(s_table_lock);
            Process* p = find_locked(pid);
            return p && !p->parent && p->state == ProcessState::Zombie;
        },
        false);
    Process* p;
    i32 status;
    {
        SpinlockGuard guard(s_table_lock);
        p = find_locked(pid);
        status = p->wait_status;
        destroy_locked(p);
    }
    wait_thread_released(p);
    delete p;
    return status;
}

ErrorOr<i64> clone(TrapFrame& frame, const CloneArgs& args)
{
    constexpr u64 CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
                  CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000, CLONE_SETTLS = 0x80000,
                  CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000;
    constexpr u64 SUPPORTED = 0xff | CLONE_VM | CLONE_VFORK | CLONE_SETTLS | CLONE_PARENT_SETTID |
                              CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_PARENT;
    if (args.flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_FS | CLONE_FILES)) {
        // Threads are not supported: one thread per process.
        static bool logged;
        if (!logged) {
            logged = true;
            log_warn("clone: flags 0x%lx (threads, shared files or handlers) are not supported: EINVAL", args.flags);
        }
        return Error::from_errno(EINVAL);
    }
    if (args.flags & ~SUPPORTED)
        return Error::from_errno(EINVAL);
    Process* parent = current_process();
    Thread* parent_thread = sched::current();

    Process* real_parent = (args.flags & CLONE_PARENT) && parent->parent ? parent->parent : parent;
    Process* child = TRY(create_process(real_parent));

    auto t = thread::create_user(child, parent_thread->name);
    if (t.is_error())
        return abandon(child, t.release_error());
    Thread* ct = t.value();
    child->thread = ct;
    ct->tid = child->pid;
    child->exit_signal = static_cast<i32>(args.flags & 0xff);

    if (args.flags & CLONE_VM) {
        child->aspace = parent->aspace;
    } else {
        auto forked = parent->aspace->fork();
        if (forked.is_error())
            return abandon(child, forked.release_error());
        child->aspace = forked.release_value();
    }
    ct->aspace = child->aspace.ptr();
    auto files = fork_files(parent, child);
    if (files.is_error())
        return abandon(child, files.release_error());
    {
        SpinlockGuard guard(parent->handlers.lock);
        memcpy(child->handlers.actions, parent->handlers.actions, sizeof(child->handlers.actions));
    }
    ct->sig_blocked = parent_thread->sig_blocked;
    ct->affinity = -1;
    ct->cpu = parent_thread->cpu;

    // Registers: the parent's, returning 0; FPU state and TLS as now.
    arch::copy_user_frame(*ct->user_frame(), frame);
    if (args.stack)
        arch::set_stack_pointer(*ct->user_frame(), args.stack);
    arch::fpu_save_current(*parent_thread);
    memcpy(ct->fpu_area, parent_thread->fpu_area, arch::fpu_area_size());
    ct->fs_base = (args.flags & CLONE_SETTLS) ? args.tls : parent_thread->fs_base;

    i32 pid = child->pid;
    if (args.flags & CLONE_PARENT_SETTID)
        (void)put_user<i32>(args.parent_tid, pid);
    if (args.flags & CLONE_CHILD_SETTID) {
        // In the child's memory (a copy-on-write page breaks for it).
        (void)child->aspace->copy_in(args.child_tid, &pid, sizeof(pid));
    }
    if (args.flags & CLONE_CHILD_CLEARTID)
        ct->clear_child_tid = args.child_tid;

    bool vfork = args.flags & CLONE_VFORK;
    if (vfork) {
        parent->vfork_released.store(false);
        child->vfork_parent = parent;
    }
    sched::start(ct);
    if (vfork) {
        // Until the child execs or exits (signals do not end the wait: the
        // parent must not run on the stack the child borrows).
        (void)parent->vfork_wait.wait_until([parent] { return parent->vfork_released.load(); }, false);
    }
    return static_cast<i64>(pid);
}

void exit_process(i32 status)
{
    Process* p = current_process();
    Thread* t = sched::current();
    if (!p)
        panic("exit_process outside a process");

    // CLONE_CHILD_CLEARTID: clear the tid word (futex wake-up has no
    // waiters here: no threads).
    if (t->clear_child_tid)
        (void)put_user<i32>(t->clear_child_tid, 0);
    release_vfork_parent(p);
    timer::cancel(p->real_timer);
    exit_files(p);
    {
        // Leave the address space: switch this CPU to the kernel's tables
        // before the last reference may free ours.
        u64 flags = arch::irq_save();
        RefPtr<vm::AddressSpace> old = move(p->aspace);
        vm::switch_address_space(old.ptr(), nullptr, this_cpu()->id);
        t->aspace = nullptr;
        arch::irq_restore(flags);
    }

    if (p == s_init)
        init_exited(status);
    // A session leader's end hangs up its terminal's foreground group.
    if (p->sid == p->pid && p->ctty)
        p->ctty->session_leader_exited(p->sid);

    // Orphans go to init; zombies among them are reaped by it. Without init
    // (kernel tests) nobody would: those zombies are reaped here, the others
    // when they exit. (Interrupts on while waiting for their threads.)
    {
        IntrusiveList<Process, &Process::sibling_node> unwanted;
        {
            SpinlockGuard guard(s_table_lock);
            bool gave_zombie = false;
            while (Process* child = p->children.pop_front()) {
                child->parent = s_init;
                if (s_init) {
                    s_init->children.push_back(*child);
                    gave_zombie |= child->state == ProcessState::Zombie;
                } else if (child->state == ProcessState::Zombie) {
                    s_table.remove(*child);
                    free_pid(child->pid);
                    s_count--;
                    unwanted.push_back(*child);
                }
            }
            if (s_init && gave_zombie)
                s_init->child_event.wake_all();
        }
        while (Process* child = unwanted.pop_front()) {
            wait_thread_released(child);
            delete child;
        }
    }

    // Everything about p happens under the table lock: once it is a zombie
    // and the lock is free, the parent may reap and free it at any moment.
    // From here on no preemption: a reaper waits (spinning) for this thread
    // to leave its CPU, so it must not be parked on a run queue meanwhile.
    arch::irq_disable();
    bool reap_now = false;
    {
        SpinlockGuard guard(s_table_lock);
        p->user_ticks += t->user_ticks;
        p->system_ticks += t->system_ticks;
        p->last_cpu = t->cpu;
        p->wait_status = status;
        p->thread = nullptr;
        Process* parent = p->parent;
        if (!parent && !p->kernel_waits)
            reap_now = true; // an orphan with no init to take it
        if (parent) {
            {
                // A parent that ignores SIGCHLD (or asked SA_NOCLDWAIT) leaves no zombie.
                SpinlockGuard sig(parent->handlers.lock);
                const KernelSigaction& a = parent->handlers.actions[SIGCHLD - 1];
                reap_now = a.handler == SIG_IGN || (a.flags & SA_NOCLDWAIT);
            }
            if (p->exit_signal > 0 && !reap_now) {
                SigInfo info {};
                info.signo = p->exit_signal;
                info.code = (status & 0x7f) ? CLD_KILLED : CLD_EXITED;
                info.child.pid = p->pid;
                info.child.status = (status & 0x7f) ? (status & 0x7f) : ((status >> 8) & 0xff);
                signal::send(parent, p->exit_signal, info);
            }
        }
        if (reap_now) {
            destroy_locked(p);
        } else {
            t->released_flag = &p->thread_released;
            p->state = ProcessState::Zombie;
            // Sync: this thread is about to leave its CPU for good, so a
            // waiting parent can have it (Linux's __wake_up_parent is sync too).
            if (parent)
                parent->child_event.wake_all(sched::Wake::Sync);
            else
                s_spawned_event.wake_all();
        }
    }
    // Not in the table any more and referenced by nobody: free it. (The
    // thread still points at it but never looks again.)
    if (reap_now)
        delete p;
    sched::exit_current_thread();
}

ErrorOr<void> put_rusage(UserAddr rusage, u64 user_ticks, u64 system_ticks)
{
    // struct rusage: ru_utime, ru_stime (timeval), then 14 longs.
    u64 buf[18] = {};
    u64 hz = config::timer_hz;
    buf[0] = user_ticks / hz;
    buf[1] = (user_ticks % hz) * 1000000 / hz;
    buf[2] = system_ticks / hz;
    buf[3] = (system_ticks % hz) * 1000000 / hz;
    return copy_to_user(rusage, buf, sizeof(buf));
}

ErrorOr<i64> wait(i32 pid, UserAddr status_addr, i32 options, UserAddr rusage)
{
    constexpr i32 WNOHANG = 1, WUNTRACED = 2, WCONTINUED = 8, WNOTHREAD = 0x20000000, WALL = 0x40000000,
                  WCLONE = (i32)0x80000000;
    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE))
        return Error::from_errno(EINVAL);
    if (pid == INT32_MIN)
        return Error::from_errno(ESRCH);
    Process* self = current_process();
    for (;;) {
        i32 found_pid = 0;
        i32 report = 0;
        u64 child_user = 0, child_system = 0;
        Process* reaped = nullptr;
        bool any = false;
        {
            SpinlockGuard guard(s_table_lock);
            for (Process& c : self->children) {
                if (!matches(&c, pid, self))
                    continue;
                any = true;
                if (c.state == ProcessState::Zombie) {
                    found_pid = c.pid;
                    report = c.wait_status;
                    child_user = c.user_ticks + c.child_user_ticks;
                    child_system = c.system_ticks + c.child_system_ticks;
                    self->child_user_ticks += child_user;
                    self->child_system_ticks += child_system;
                    destroy_locked(&c);
                    reaped = &c;
                    break;
                }
                if ((options & WUNTRACED) && c.stopped && !c.stop_reported) {
                    c.stop_reported = true;
                    found_pid = c.pid;
                    report = (c.stop_signal << 8) | 0x7f;
                    break;
                }
                if ((options & WCONTINUED) && c.continued) {
                    c.continued = false;
                    found_pid = c.pid;
                    report = 0xffff;
                    break;
                }
            }
        }
        if (found_pid) {
            if (reaped) {
                wait_thread_released(reaped);
                delete reaped;
            }
            if (status_addr)
                TRY(put_user<i32>(status_addr, report));
            if (rusage)
                (void)put_rusage(rusage, child_user, child_system);
            return static_cast<i64>(found_pid);
        }
        if (!any)
            return Error::from_errno(ECHILD);
        if (options & WNOHANG)
            return static_cast<i64>(0);
        // Sleep until a child changes state; a signal interrupts (and the
        // call restarts when the handler says SA_RESTART).
        auto r = self->child_event.wait_until(
            [&] {
                SpinlockGuard guard(s_table_lock);
                for (Process& c : self->children) {
                    if (!matches(&c, pid, self))
                        continue;
                    if (c.state == ProcessState::Zombie || ((options & WUNTRACED) && c.stopped && !c.stop_reported) ||
                        ((options & WCONTINUED) && c.continued))
                        return true;
                }
                return false;
            },
            true);
        if (r.is_error())
            return Error::from_errno(ERESTARTSYS);
    }
}

// ---- proc/process_info.hpp ----

ErrorOr<void> list_pids(Vector<i32>& out)
{
    out.clear();
    SpinlockGuard guard(s_table_lock);
    TRY(out.ensure_capacity(s_count));
    for (Process& p : s_table)
        TRY(out.append(p.pid));
    // Ascending (insertion sort: the table is nearly sorted already).
    for (size_t i = 1; i < out.size(); i++) {
        i32 v = out[i];
        size_t j = i;
        while (j > 0 && out[j - 1] > v) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = v;
    }
    return {};
}

ErrorOr<void> get_info(i32 pid, ProcessInfo& out)
{
    RefPtr<vm::AddressSpace> as;
    {
        SpinlockGuard guard(s_table_lock);
        Process* p = find_locked(pid);
        if (!p)
            return Error::from_errno(ESRCH);
        out = ProcessInfo {};
        out.pid = p->pid;
        out.ppid = p->parent ? p->parent->pid : 0;
        out.pgid = p->pgid;
        out.sid = p->sid;
        memcpy(out.comm, p->comm, sizeof(out.comm));
        memcpy(out.exe, p->exe, sizeof(out.exe));
        out.uid = p->uid;
        out.gid = p->gid;
        out.threads = 1;
        out.tty_nr = 0;
        out.tpgid = -1;
        out.start_ticks = p->start_ticks * 100 / config::timer_hz;
        out.cutime_ticks = p->child_user_ticks * 100 / config::timer_hz;
        out.cstime_ticks = p->child_system_ticks * 100 / config::timer_hz;
        out.arg_start = p->arg_start;
        out.arg_end = p->arg_end;
        out.env_start = p->env_start;
        out.env_end = p->env_end;
        out.start_code = p->start_code;
        out.end_code = p->end_code;
        out.start_stack = p->start_stack;
        if (p->state == ProcessState::Zombie) {
            out.state = 'Z';
            out.cpu = p->last_cpu;
            out.utime_ticks = p->user_ticks * 100 / config::timer_hz;
            out.stime_ticks = p->system_ticks * 100 / config::timer_hz;
            out.exit_code = p->wait_status;
            return {};
        }
        Thread* t = p->thread;
        ThreadState st = t ? t->state.load() : ThreadState::Dead;
        out.state = st == ThreadState::Running || st == ThreadState::Runnable ? 'R'
                    : st == ThreadState::Stopped                              ? 'T'
                    : st == ThreadState::Sleeping && !t->interruptible       ? 'D'
                                                                              : 'S';
        out.cpu = t ? t->cpu : p->last_cpu;
        out.utime_ticks = (p->user_ticks + (t ? t->user_ticks : 0)) * 100 / config::timer_hz;
        out.stime_ticks = (p->system_ticks + (t ? t->system_ticks : 0)) * 100 / config::timer_hz;
        as = p->aspace;
    }
    if (as) {
        out.vsize_bytes = as->virtual_size();
        out.rss_pages = as->resident_pages();
        out.minor_faults = as->minor_faults();
        out.start_brk = as->break_start();
        out.brk = as->break_end();
    }
    return {};
}

ErrorOr<size_t> read_cmdline(i32 pid, char* buf, size_t size)
{
    RefPtr<vm::AddressSpace> as;
    u64 start, end;
    {
        SpinlockGuard guard(s_table_lock);
        Process* p = find_locked(pid);
        if (!p)
            return Error::from_errno(ESRCH);
        if (p->state == ProcessState::Zombie || !p->aspace)
            return static_cast<size_t>(0);
        as = p->aspace;
        start = p->arg_start;
        end = p->arg_end;
    }
    size_t n = min<u64>(size, end - start);
    // Read the other process's memory through its page tables.
    TRY(as->copy_out(buf, start, n));
    return n;
}

i32 current_pid()
{
    Process* p = current_process();
    return p ? p->pid : 0;
}

} // namespace proc
