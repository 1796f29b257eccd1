#pragma once
// A thread: a kernel stack, saved registers, and its place in the scheduler.
// Kernel threads run kernel code only; user threads belong to a Process and
// enter ring 3 from the frame at the top of their kernel stack.
#include <arch/arch.hpp>
#include <kernel/uaccess.hpp>
#include <lib/atomic.hpp>
#include <lib/error_or.hpp>
#include <lib/list.hpp>
#include <lib/spinlock.hpp>
#include <lib/types.hpp>

struct FaultCatch;
struct Process;
class WaitQueue;
namespace vm {
class AddressSpace;
}

enum class ThreadState : u8 {
    Running,   // on a CPU
    Runnable,  // on a run queue
    Sleeping,  // on a wait queue (or a timer); woken by wake()
    Stopped,   // job-control stop (SIGSTOP and friends); SIGCONT resumes
    Dead,      // finished; its stack is freed by the next thread to run
};

struct Thread {
    u64 saved_rsp = 0;               // switch_context's save slot
    i32 tid = 0;
    char name[16] = {};
    Process* process = nullptr;      // nullptr: a kernel thread
    vm::AddressSpace* aspace = nullptr; // user address space it runs in; nullptr: kernel only

    // state, leaving: guarded by sched_lock (see proc/sched.cpp for the
    // wake-up protocol).
    Spinlock sched_lock;
    Atomic<ThreadState> state { ThreadState::Runnable };
    bool leaving = false;            // schedule() decided it leaves its CPU
    // Still executing on a CPU (its registers not saved yet). A thread must
    // not run on a second CPU until this clears.
    Atomic<u32> on_cpu { 0 };
    u32 cpu = 0;                     // the run queue it is on, or the CPU it last ran on
    i32 affinity = -1;               // the only CPU it may run on, -1: any
    ListNode run_node;               // run queue (guarded by that queue's lock)
    ListNode wait_node;              // wait queue (guarded by that queue's lock)
    bool interruptible = false;      // a signal ends its sleep (EINTR)
    ListNode timer_node;             // sleeping with a deadline (proc/timer)
    u64 wake_at_ns = 0;
    bool timed_out = false;

    // Kernel stack: [stack_base, stack_top), a guard page below.
    u64 stack_base = 0;
    u64 stack_top = 0;
    bool stack_owned = true;         // false for a CPU's boot stack (idle threads)

    void* fpu_area = nullptr;        // user threads: saved FPU/SSE state
    i32 fpu_loaded_on = -1;          // CPU whose registers hold this state, -1: none
    u64 fs_base = 0;                 // user TLS base (arch_prctl ARCH_SET_FS)

    FaultCatch* fault_catch = nullptr;
    u32 slice_left = 0;              // ticks left in the time slice
    u32 preempt_disabled = 0;        // > 0: the tick does not preempt

    // CPU time, in timer ticks.
    u64 user_ticks = 0;
    u64 system_ticks = 0;

    // Signals (Linux numbering, bit n-1 for signal n).
    Atomic<u64> sig_pending { 0 };
    u64 sig_blocked = 0;
    u64 sig_saved_mask = 0;          // restored after rt_sigsuspend's handler
    bool sig_restore_mask = false;
    // What siginfo says about each pending signal (standard signals do not
    // queue: the last sender's).
    struct SignalOrigin {
        i32 code;
        i32 pid;    // sender (kill) or child (SIGCHLD)
        u32 uid;
        i32 status; // SIGCHLD: exit code or signal
        u64 addr;   // faults
        bool fault; // raised by an exception (logged if fatal)
    };
    SignalOrigin sig_origin[64] = {};

    // Kernel threads: the function and its argument.
    void (*entry)(void*) = nullptr;
    void* entry_arg = nullptr;

    UserAddr clear_child_tid = 0;    // set_tid_address / CLONE_CHILD_CLEARTID
    Atomic<bool>* released_flag = nullptr; // set once the dead thread is freed (its zombie process waits)
    ListNode process_node;           // the process's thread list
    bool is_idle = false;

    // The user registers saved at the top of the kernel stack on entry from
    // ring 3 (valid for user threads).
    TrapFrame* user_frame() const;
};

namespace thread {
// A signal the thread does not block is waiting (SIGKILL and SIGSTOP are
// never in sig_blocked).
inline bool has_unblocked_signal(const Thread& t) { return (t.sig_pending.load(__ATOMIC_ACQUIRE) & ~t.sig_blocked) != 0; }

// Kernel stack size for every thread (4 pages; a guard page below).
constexpr u64 STACK_SIZE = 16 * 1024;
// Creates a thread that will run fn(arg) in the kernel when scheduled. It is
// not queued yet (sched::start does that). ENOMEM.
ErrorOr<Thread*> create_kernel(const char* name, void (*fn)(void*), void* arg);
// A thread whose first return is to user mode through the frame at the top
// of its stack (filled in by the caller: exec, fork). ENOMEM.
ErrorOr<Thread*> create_user(Process* process, const char* name);
// Frees the stack and the object. Only for threads that never ran or are Dead.
void destroy(Thread* t);
void set_name(Thread* t, const char* name);
} // namespace thread
