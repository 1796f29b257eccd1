#pragma once
// The scheduler: per-CPU run queues, round robin with a time slice of
// config::sched_quantum_ms, preemption from each CPU's timer tick, an idle
// thread per CPU that halts, wake-ups across CPUs with an IPI, and placement
// that spreads new and woken threads over idle CPUs (idle CPUs also pull
// waiting threads from busy ones).
#include <proc/thread.hpp>

namespace sched {

// The calling context (the boot flow on CPU 0, the start-up code of an AP)
// becomes that CPU's idle thread, running on its boot stack.
void init_this_cpu();
// Runs the idle loop of this CPU forever (after init_this_cpu and boot work).
[[noreturn]] void idle_loop();

Thread* current();

// Makes a new thread runnable on the CPU that suits it best.
void start(Thread* t);
// The same on a given CPU's queue (tests; idle CPUs may still take it
// unless its affinity forbids).
void start_on(Thread* t, u32 cpu);
// Gives up the CPU. The current thread stays runnable when its state is
// Running; when it is Sleeping, Stopped or Dead it leaves the CPU.
void schedule();
void yield();

// Sleeping protocol: prepare_to_sleep() marks the current thread Sleeping
// (after putting it where a waker will find it), then the caller checks its
// condition once more and calls schedule(), or cancel_sleep() when it no
// longer needs to sleep. wake() is safe against both orders.
void prepare_to_sleep(bool interruptible);
void cancel_sleep();
// Sleeping → Runnable; false when the thread was not sleeping.
//
// A sync wake-up (Linux's WF_SYNC) says the waker is about to sleep itself
// (a pipe writer that will read the answer): when the waker is alone on
// its CPU, the woken thread is queued there instead of on another CPU, so
// the pair hands over on one CPU without an IPI. If the waker does not
// sleep after all, an idle CPU takes the thread from the queue at its next
// tick (idle CPUs steal), or the waker's slice ends.
enum class Wake { Normal, Sync };
bool wake(Thread* t, Wake how = Wake::Normal);
// Wakes `t` only if its sleep is interruptible (a signal arrived), or makes
// it notice the signal if it is running on another CPU.
void kick_for_signal(Thread* t);
// Job control: Stopped → Runnable.
bool resume_stopped(Thread* t);

// Sleeps for `ns` nanoseconds (uninterruptible when !interruptible);
// returns true when the whole time passed, false when a signal ended it.
bool sleep_ns(u64 ns, bool interruptible);

// Ends the current thread; its stack is freed once another thread runs.
[[noreturn]] void exit_current_thread();

// The timer interrupt of this CPU (from_user: it interrupted ring 3).
void tick(bool from_user);
// At the end of an interrupt that interrupted code with interrupts enabled:
// switches threads when a reschedule is due.
void preempt_if_needed();

// Statistics for /proc and tests.
u32 runnable_count(); // threads running or queued, idle threads excluded

// Interrupt handler for the reschedule IPI.
void on_reschedule_ipi();

// Where new threads start (arch::prepare_thread_stack): the argument is the
// Thread. The kernel one runs t->entry(t->entry_arg) and exits; the user one
// leaves for ring 3 through the frame at the top of the stack.
[[noreturn]] void kernel_thread_entry(void* thread);
[[noreturn]] void user_thread_entry(void* thread);
// Completes a switch on the thread that was switched to (new threads call it
// first; schedule() does it for threads that resume).
void finish_switch();

} // namespace sched
