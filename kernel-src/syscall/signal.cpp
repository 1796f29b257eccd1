// Signal system calls: rt_sigaction, rt_sigprocmask, rt_sigreturn,
// rt_sigpending, rt_sigsuspend, sigaltstack, pause, kill, tkill, tgkill.
#include <arch/user.hpp>
#include <proc/process.hpp>
#include <proc/sched.hpp>
#include <proc/signal.hpp>
#include <proc/wait_queue.hpp>
#include <syscalls.hpp>

namespace {
constexpr u64 KERNEL_SIGSET_SIZE = 8;
} // namespace

ErrorOr<i64> sys_rt_sigaction(i32 sig, UserAddr act, UserAddr oldact, u64 sigsetsize)
{
    if (sigsetsize != KERNEL_SIGSET_SIZE || sig < 1 || sig > NSIG)
        return Error::from_errno(EINVAL);
    KernelSigaction fresh {};
    if (act) {
        if (sig == SIGKILL || sig == SIGSTOP)
            return Error::from_errno(EINVAL);
        TRY(copy_from_user(&fresh, act, sizeof(fresh)));
        fresh.mask &= ~UNBLOCKABLE;
    }
    Process* p = proc::current_process();
    KernelSigaction old;
    {
        SpinlockGuard guard(p->handlers.lock);
        old = p->handlers.actions[sig - 1];
        if (act)
            p->handlers.actions[sig - 1] = fresh;
    }
    if (act && (fresh.handler == SIG_IGN || (fresh.handler == SIG_DFL && signal::default_action(sig) ==
                                                                            signal::Default::Ignore))) {
        // POSIX: setting a pending signal to be ignored discards it.
        sched::current()->sig_pending.fetch_and(~sigbit(sig));
    }
    if (oldact)
        TRY(copy_to_user(oldact, &old, sizeof(old)));
    return 0;
}

ErrorOr<i64> sys_rt_sigprocmask(i32 how, UserAddr set, UserAddr oldset, u64 sigsetsize)
{
    constexpr i32 SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    if (sigsetsize != KERNEL_SIGSET_SIZE)
        return Error::from_errno(EINVAL);
    Thread* t = sched::current();
    u64 old = t->sig_blocked;
    if (set) {
        u64 mask = TRY(get_user<u64>(set));
        switch (how) {
        case SIG_BLOCK:
            t->sig_blocked |= mask;
            break;
        case SIG_UNBLOCK:
            t->sig_blocked &= ~mask;
            break;
        case SIG_SETMASK:
            t->sig_blocked = mask;
            break;
        default:
            return Error::from_errno(EINVAL);
        }
        t->sig_blocked &= ~UNBLOCKABLE;
    }
    if (oldset)
        TRY(put_user<u64>(oldset, old));
    return 0;
}

ErrorOr<i64> sys_rt_sigreturn(TrapFrame& frame) { return signal::sigreturn(frame); }

ErrorOr<i64> sys_rt_sigpending(UserAddr set, u64 sigsetsize)
{
    if (sigsetsize > KERNEL_SIGSET_SIZE)
        return Error::from_errno(EINVAL);
    Thread* t = sched::current();
    u64 pending = t->sig_pending.load() & t->sig_blocked;
    TRY(copy_to_user(set, &pending, sigsetsize));
    return 0;
}

ErrorOr<i64> sys_rt_sigsuspend(UserAddr mask, u64 sigsetsize)
{
    if (sigsetsize != KERNEL_SIGSET_SIZE)
        return Error::from_errno(EINVAL);
    u64 temporary = TRY(get_user<u64>(mask));
    Thread* t = sched::current();
    // The handler runs with the temporary mask; the old one comes back
    // when it returns (the signal frame records it).
    t->sig_saved_mask = t->sig_blocked;
    t->sig_restore_mask = true;
    t->sig_blocked = temporary & ~UNBLOCKABLE;
    WaitQueue never;
    (void)never.wait_until([] { return false; }, true);
    return Error::from_errno(EINTR);
}

ErrorOr<i64> sys_pause()
{
    WaitQueue never;
    (void)never.wait_until([] { return false; }, true);
    return Error::from_errno(EINTR);
}

ErrorOr<i64> sys_sigaltstack(UserAddr ss, UserAddr old_ss)
{
    // No alternate signal stacks: report one that is disabled, refuse to set.
    if (old_ss) {
        struct {
            u64 sp;
            i32 flags;
            i32 pad;
            u64 size;
        } old { 0, 2 /* SS_DISABLE */, 0, 0 };
        TRY(copy_to_user(old_ss, &old, sizeof(old)));
    }
    if (ss) {
        struct {
            u64 sp;
            i32 flags;
            i32 pad;
            u64 size;
        } fresh;
        TRY(copy_from_user(&fresh, ss, sizeof(fresh)));
        if (fresh.flags & 2)
            return 0; // disabling it is what it already is
        return Error::from_errno(ENOMEM);
    }
    return 0;
}

ErrorOr<i64> sys_kill(i32 pid, i32 sig)
{
    TRY(signal::kill(pid, sig));
    return 0;
}

ErrorOr<i64> sys_tkill(i32 tid, i32 sig)
{
    if (tid <= 0)
        return Error::from_errno(EINVAL);
    TRY(signal::kill(tid, sig));
    return 0;
}

ErrorOr<i64> sys_tgkill(i32 tgid, i32 tid, i32 sig)
{
    if (tgid <= 0 || tid <= 0)
        return Error::from_errno(EINVAL);
    if (tgid != tid)
        return Error::from_errno(ESRCH); // one thread per process: tid == tgid
    TRY(signal::kill(tid, sig));
    return 0;
}
