// Signals (see signal.hpp). A process has one thread, so a signal for the
// process is pending on that thread. Handlers live in the process
// (handlers.lock); pending and blocked masks in the thread (pending is
// atomic: any CPU may post; blocked is written by the thread itself).
#include <arch/user.hpp>
#include <kernel/log.hpp>
#include <kernel/percpu.hpp>
#include <lib/string.hpp>
#include <proc/process.hpp>
#include <proc/sched.hpp>
#include <proc/signal.hpp>

namespace signal {
namespace {

struct SignalName {
    const char* name;
    const char* description; // as strsignal(3) and shells print them
};

constexpr SignalName NAMES[32] = {
    { "SIG0", "Unknown signal 0" },
    { "SIGHUP", "Hangup" },
    { "SIGINT", "Interrupt" },
    { "SIGQUIT", "Quit" },
    { "SIGILL", "Illegal instruction" },
    { "SIGTRAP", "Trace/breakpoint trap" },
    { "SIGABRT", "Aborted" },
    { "SIGBUS", "Bus error" },
    { "SIGFPE", "Floating point exception" },
    { "SIGKILL", "Killed" },
    { "SIGUSR1", "User defined signal 1" },
    { "SIGSEGV", "Segmentation fault" },
    { "SIGUSR2", "User defined signal 2" },
    { "SIGPIPE", "Broken pipe" },
    { "SIGALRM", "Alarm clock" },
    { "SIGTERM", "Terminated" },
    { "SIGSTKFLT", "Stack fault" },
    { "SIGCHLD", "Child exited" },
    { "SIGCONT", "Continued" },
    { "SIGSTOP", "Stopped (signal)" },
    { "SIGTSTP", "Stopped" },
    { "SIGTTIN", "Stopped (tty input)" },
    { "SIGTTOU", "Stopped (tty output)" },
    { "SIGURG", "Urgent I/O condition" },
    { "SIGXCPU", "CPU time limit exceeded" },
    { "SIGXFSZ", "File size limit exceeded" },
    { "SIGVTALRM", "Virtual timer expired" },
    { "SIGPROF", "Profiling timer expired" },
    { "SIGWINCH", "Window changed" },
    { "SIGIO", "I/O possible" },
    { "SIGPWR", "Power failure" },
    { "SIGSYS", "Bad system call" },
};

// Posts a signal to the thread (no permission checks). Caller makes sure
// the thread stays alive (table lock or the thread itself).
void post(Thread* t, i32 sig, const SigInfo& info)
{
    {
        SpinlockGuard guard(t->sched_lock);
        Thread::SignalOrigin& o = t->sig_origin[sig - 1];
        o.code = info.code;
        o.pid = sig == SIGCHLD ? info.child.pid : info.kill.pid;
        o.uid = sig == SIGCHLD ? info.child.uid : info.kill.uid;
        o.status = sig == SIGCHLD ? info.child.status : 0;
        o.addr = 0;
        o.fault = false;
    }
    t->sig_pending.fetch_or(sigbit(sig), __ATOMIC_RELEASE);
    sched::kick_for_signal(t);
}

bool is_stop_signal(i32 sig) { return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU; }

// Job control: the current process stops until SIGCONT (or SIGKILL).
void stop_current(i32 sig)
{
    Process* p = proc::current_process();
    Thread* t = sched::current();
    {
        SpinlockGuard guard(proc::table_lock());
        p->stopped = true;
        p->stop_reported = false;
        p->stop_signal = sig;
        p->continued = false;
        if (Process* parent = p->parent) {
            bool notify = true;
            {
                SpinlockGuard h(parent->handlers.lock);
                notify = !(parent->handlers.actions[SIGCHLD - 1].flags & SA_NOCLDSTOP);
            }
            if (notify) {
                SigInfo info {};
                info.signo = SIGCHLD;
                info.code = CLD_STOPPED;
                info.child.pid = p->pid;
                info.child.status = sig;
                send(parent, SIGCHLD, info);
            }
            parent->child_event.wake_all();
        }
        SpinlockGuard s(t->sched_lock);
        t->state.store(ThreadState::Stopped);
    }
    sched::schedule();
}

} // namespace

const char* name(i32 sig) { return sig >= 0 && sig < 32 ? NAMES[sig].name : "SIGRT"; }
const char* description(i32 sig) { return sig >= 0 && sig < 32 ? NAMES[sig].description : "Real-time signal"; }

Default default_action(i32 sig)
{
    switch (sig) {
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE: case SIGSEGV:
    case SIGXCPU: case SIGXFSZ: case SIGSYS:
        return Default::Core;
    case SIGCHLD: case SIGURG: case SIGWINCH:
        return Default::Ignore;
    case SIGCONT:
        return Default::Continue;
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
        return Default::Stop;
    default:
        return Default::Terminate;
    }
}

void send(Process* p, i32 sig, const SigInfo& info)
{
    Thread* t = p->thread;
    if (!t || p->state != ProcessState::Alive)
        return;
    if (sig == SIGCONT || sig == SIGKILL) {
        // Resumes a stopped process, and discards pending stop signals.
        t->sig_pending.fetch_and(~(sigbit(SIGSTOP) | sigbit(SIGTSTP) | sigbit(SIGTTIN) | sigbit(SIGTTOU)));
        if (p->stopped) {
            p->stopped = false;
            p->continued = sig == SIGCONT;
            if (p->parent)
                p->parent->child_event.wake_all();
        }
        sched::resume_stopped(t);
    }
    if (is_stop_signal(sig))
        t->sig_pending.fetch_and(~sigbit(SIGCONT));
    {
        // A signal whose action is to ignore it is dropped at once (but
        // SIGCHLD's default "ignore" still wakes a waiting parent, done by
        // the exit path itself).
        SpinlockGuard guard(p->handlers.lock);
        const KernelSigaction& a = p->handlers.actions[sig - 1];
        bool ignored = a.handler == SIG_IGN || (a.handler == SIG_DFL && default_action(sig) == Default::Ignore);
        if (ignored && sig != SIGKILL && sig != SIGSTOP && !(t->sig_blocked & sigbit(sig)))
            return;
        if (sig == SIGCONT && a.handler == SIG_DFL)
            return;
    }
    post(t, sig, info);
}

void send_fault(i32 sig, i32 code, u64 address)
{
    Process* p = proc::current_process();
    Thread* t = sched::current();
    {
        SpinlockGuard guard(p->handlers.lock);
        KernelSigaction& a = p->handlers.actions[sig - 1];
        if (a.handler == SIG_IGN || (t->sig_blocked & sigbit(sig))) {
            // Blocked or ignored faults cannot be survived: default action.
            a.handler = SIG_DFL;
            t->sig_blocked &= ~sigbit(sig);
        }
    }
    {
        SpinlockGuard guard(t->sched_lock);
        t->sig_origin[sig - 1] = { code, 0, 0, 0, address, true };
    }
    t->sig_pending.fetch_or(sigbit(sig));
}

ErrorOr<void> send_to_group(i32 pgid, i32 sig)
{
    if (sig < 0 || sig > NSIG)
        return Error::from_errno(EINVAL);
    bool found = false;
    Process* self = proc::current_process();
    SpinlockGuard guard(proc::table_lock());
    for (Process& p : proc::table_locked()) {
        if (p.pgid != pgid || p.state != ProcessState::Alive)
            continue;
        found = true;
        if (sig) {
            SigInfo info {};
            info.signo = sig;
            info.code = SI_USER;
            info.kill.pid = self ? self->pid : 0;
            send(&p, sig, info);
        }
    }
    return found ? ErrorOr<void>() : ErrorOr<void>(Error::from_errno(ESRCH));
}

ErrorOr<void> kill(i32 pid, i32 sig)
{
    if (sig < 0 || sig > NSIG)
        return Error::from_errno(EINVAL);
    Process* self = proc::current_process();
    SigInfo info {};
    info.signo = sig;
    info.code = SI_USER;
    info.kill.pid = self ? self->pid : 0;
    if (pid > 0) {
        SpinlockGuard guard(proc::table_lock());
        Process* p = proc::find_locked(pid);
        if (!p)
            return Error::from_errno(ESRCH);
        if (sig && p->state == ProcessState::Alive)
            send(p, sig, info);
        return {};
    }
    if (pid == 0)
        return send_to_group(self ? self->pgid : 0, sig);
    if (pid < -1)
        return send_to_group(-pid, sig);
    // -1: every process but init and the caller.
    bool found = false;
    SpinlockGuard guard(proc::table_lock());
    for (Process& p : proc::table_locked()) {
        if (p.pid == 1 || &p == self || p.state != ProcessState::Alive)
            continue;
        found = true;
        if (sig)
            send(&p, sig, info);
    }
    return found ? ErrorOr<void>() : ErrorOr<void>(Error::from_errno(ESRCH));
}

void reset_for_exec(Process* p)
{
    SpinlockGuard guard(p->handlers.lock);
    for (KernelSigaction& a : p->handlers.actions) {
        if (a.handler != SIG_IGN)
            a = KernelSigaction {};
        a.flags = 0;
        a.restorer = 0;
        a.mask = 0;
    }
}

void deliver(TrapFrame& frame)
{
    Thread* t = sched::current();
    Process* p = t->process;
    u64 deliverable = t->sig_pending.load() & ~t->sig_blocked;
    if (!deliverable)
        return;
    // SIGKILL first, then faults (synchronous), then the lowest number.
    i32 sig = (deliverable & sigbit(SIGKILL)) ? SIGKILL : __builtin_ctzll(deliverable) + 1;
    t->sig_pending.fetch_and(~sigbit(sig));

    Thread::SignalOrigin origin;
    {
        SpinlockGuard guard(t->sched_lock);
        origin = t->sig_origin[sig - 1];
    }
    KernelSigaction action;
    {
        SpinlockGuard guard(p->handlers.lock);
        action = p->handlers.actions[sig - 1];
        if (action.handler > SIG_IGN && (action.flags & SA_RESETHAND))
            p->handlers.actions[sig - 1].handler = SIG_DFL;
    }
    if (sig == SIGKILL || sig == SIGSTOP)
        action.handler = SIG_DFL;

    bool in_syscall = arch::is_syscall_frame(frame);
    i64 result = arch::syscall_result(frame);
    bool restartable = in_syscall && (result == -ERESTARTSYS || result == -ERESTARTNOINTR);

    if (action.handler == SIG_IGN) {
        if (restartable)
            arch::restart_syscall(frame);
        return;
    }
    if (action.handler == SIG_DFL) {
        switch (default_action(sig)) {
        case Default::Ignore:
        case Default::Continue:
            if (restartable)
                arch::restart_syscall(frame);
            return;
        case Default::Stop:
            if (restartable)
                arch::restart_syscall(frame);
            stop_current(sig);
            return;
        case Default::Terminate:
        case Default::Core:
            break;
        }
        // Faults get one line on the console (Linux prints a similar
        // "segfault at ..." line); signals sent by others do not.
        if (origin.fault) {
            log_info("%s[%d]: killed by %s (%s) at rip 0x%lx, address 0x%lx", p->comm, p->pid, name(sig),
                     description(sig), arch::instruction_pointer(frame), origin.addr);
        }
        proc::exit_process(sig); // no core dumps: RLIMIT_CORE is 0
    }

    // A handler: restart or EINTR for an interrupted call, then the frame.
    if (restartable) {
        if (result == -ERESTARTNOINTR || (action.flags & SA_RESTART))
            arch::restart_syscall(frame);
        else
            arch::set_syscall_result(frame, -EINTR);
    }
    SigInfo info {};
    info.signo = sig;
    info.code = origin.code;
    if (origin.fault) {
        info.fault.addr = origin.addr;
    } else if (sig == SIGCHLD) {
        info.child.pid = origin.pid;
        info.child.uid = origin.uid;
        info.child.status = origin.status;
    } else {
        info.kill.pid = origin.pid;
        info.kill.uid = origin.uid;
    }
    u64 old_mask = t->sig_restore_mask ? t->sig_saved_mask : t->sig_blocked;
    t->sig_restore_mask = false;
    if (!arch::push_signal_frame(frame, *t, sig, info, action, old_mask)) {
        // No room for the frame: as Linux, a SIGSEGV the process cannot catch.
        log_info("%s[%d]: cannot deliver %s: bad user stack 0x%lx", p->comm, p->pid, name(sig),
                 arch::stack_pointer(frame));
        proc::exit_process(SIGSEGV);
    }
    arch::forget_syscall(frame);
    u64 mask = t->sig_blocked | action.mask;
    if (!(action.flags & SA_NODEFER))
        mask |= sigbit(sig);
    t->sig_blocked = mask & ~UNBLOCKABLE;
}

i64 sigreturn(TrapFrame& frame)
{
    Thread* t = sched::current();
    u64 mask;
    if (!arch::pop_signal_frame(frame, *t, &mask)) {
        Process* p = t->process;
        log_info("%s[%d]: bad signal frame in rt_sigreturn at sp 0x%lx", p->comm, p->pid, arch::stack_pointer(frame));
        proc::exit_process(SIGSEGV);
    }
    t->sig_blocked = mask & ~UNBLOCKABLE;
    return arch::syscall_result(frame);
}

} // namespace signal
