#include <kernel/percpu.hpp>
#include <proc/sched.hpp>
#include <proc/user_entry.hpp>

namespace proc {

void exit_to_user(TrapFrame&)
{
    // Interrupts are off here and stay off from the last check to the
    // return, so a wake-up or signal that arrives meanwhile raises an
    // interrupt that runs this again.
    for (;;) {
        Cpu* cpu = this_cpu();
        if (cpu->need_resched.load(__ATOMIC_RELAXED)) {
            sched::schedule();
            continue;
        }
        break;
    }
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
