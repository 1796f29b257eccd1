#include <arch/user.hpp>
#include <kernel/log.hpp>
#include <kernel/percpu.hpp>
#include <mm/address_space.hpp>
#include <proc/process.hpp>
#include <proc/sched.hpp>
#include <proc/signal.hpp>
#include <proc/user_entry.hpp>

namespace proc {

void exit_to_user(TrapFrame& frame)
{
    // Interrupts are off at each check and stay off from the last check to
    // the return, so a wake-up or signal that arrives meanwhile raises an
    // interrupt that passes through here again.
    Thread* t = sched::current();
    for (;;) {
        if (this_cpu()->need_resched.load(__ATOMIC_RELAXED)) {
            sched::schedule();
            continue;
        }
        if (t->process && thread::has_unblocked_signal(*t)) {
            // Delivery writes the user stack (page faults may sleep).
            arch::irq_enable();
            signal::deliver(frame);
            arch::irq_disable();
            continue;
        }
        break;
    }
    // rt_sigsuspend's temporary mask ends when no handler took it over.
    if (t->sig_restore_mask) {
        t->sig_blocked = t->sig_saved_mask;
        t->sig_restore_mask = false;
    }
    // A call interrupted for a signal that needed no handler restarts.
    if (arch::is_syscall_frame(frame)) {
        i64 r = arch::syscall_result(frame);
        if (r == -ERESTARTSYS || r == -ERESTARTNOINTR)
            arch::restart_syscall(frame);
    }
}

vm::FaultResult handle_page_fault(u64 address, bool write, bool exec, bool user_mode)
{
    Thread* t = sched::current();
    if (!t || !t->aspace)
        return vm::FaultResult::Denied;
    vm::FaultResult r = t->aspace->handle_fault(address, write, exec);
    if (r == vm::FaultResult::OutOfMemory) {
        // As Linux's OOM killer, but only ever the process that faulted.
        Process* p = t->process;
        log_warn("out of memory: killed %s[%d] (a page fault at 0x%lx could not get a page)", p ? p->comm : "?",
                 p ? p->pid : 0, address);
        if (p)
            t->sig_pending.fetch_or(sigbit(SIGKILL));
        UNUSED(user_mode);
    }
    return r;
}

} // namespace proc

// First code of a new user thread (after fork or when a process starts):
// finish the switch, then leave for ring 3 through the frame its creator
// filled in. Interrupts stay off until the iretq.
void sched::user_thread_entry(void* arg)
{
    sched::finish_switch();
    auto* t = static_cast<Thread*>(arg);
    TrapFrame* frame = t->user_frame();
    proc::exit_to_user(*frame);
    arch::enter_user(frame);
}
