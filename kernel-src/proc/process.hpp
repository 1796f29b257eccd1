#pragma once
// Processes: an address space, open files, credentials, signal handlers,
// and the family tree (parent, children, process group, session). Every
// process has exactly one thread (its main thread, tid == pid); fork, vfork
// and clone without CLONE_THREAD make new processes.
#include <lib/error_or.hpp>
#include <lib/list.hpp>
#include <lib/ref_ptr.hpp>
#include <mm/address_space.hpp>
#include <proc/signal.hpp>
#include <proc/thread.hpp>
#include <proc/timer.hpp>
#include <proc/wait_queue.hpp>

namespace fs {
struct FsContext;
}
namespace tty {
class Tty;
}

// Linux's resource limits (include/uapi/asm-generic/resource.h).
enum Rlimit : u32 {
    RLIMIT_CPU = 0, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_RSS, RLIMIT_NPROC,
    RLIMIT_NOFILE, RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS, RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE,
    RLIMIT_NICE, RLIMIT_RTPRIO, RLIMIT_RTTIME, RLIMIT_COUNT
};
constexpr u64 RLIM_INFINITY = ~0ull;
struct ResourceLimit {
    u64 cur;
    u64 max;
};

enum class ProcessState : u8 { Alive, Zombie };

struct Process {
    i32 pid = 0;
    Process* parent = nullptr;
    i32 pgid = 0;
    i32 sid = 0;
    char comm[16] = {};
    char exe[256] = {};                  // absolute path of the running program (/proc/PID/exe)
    u32 uid = 0, gid = 0;

    Thread* thread = nullptr;            // the one thread (nullptr once it exited)
    RefPtr<vm::AddressSpace> aspace;
    fs::FsContext* fs = nullptr;         // files, cwd, umask (fs/fs_context.hpp)
    tty::Tty* ctty = nullptr;            // controlling terminal (inherited; setsid drops it)

    ProcessState state = ProcessState::Alive;
    // A zombie's thread is gone (its stack freed): set by the scheduler once
    // the thread is off its CPU, awaited by whoever reaps the zombie, so a
    // successful wait means every page of the child is back.
    Atomic<bool> thread_released { false };
    i32 wait_status = 0;                 // Linux wait status, set when it becomes a zombie
    bool stopped = false;                // job-control stopped (reported once to wait)
    bool stop_reported = true;
    i32 stop_signal = 0;
    bool continued = false;              // resumed by SIGCONT, not yet reported (WCONTINUED)
    i32 exit_signal = SIGCHLD;           // sent to the parent on exit (clone's low byte)

    // Family (under the process table lock).
    ListNode sibling_node;               // in the parent's children
    ListNode table_node;                 // in the process table
    IntrusiveList<Process, &Process::sibling_node> children;
    WaitQueue child_event;               // the parent waits here for children to change state

    SignalHandlers handlers;             // shared by nothing (no CLONE_SIGHAND)

    // vfork: the parent sleeps on its vfork_wait until the child (which has
    // vfork_parent set) execs or exits and sets vfork_released.
    Process* vfork_parent = nullptr;
    Atomic<bool> vfork_released { false };
    WaitQueue vfork_wait;

    ResourceLimit limits[RLIMIT_COUNT] = {};

    // ITIMER_REAL (setitimer/alarm): SIGALRM at the deadline, then every
    // interval (0: once).
    timer::Callback real_timer;
    u64 real_interval_ns = 0;

    // CPU time (ticks) of this process's exited thread and of waited-for children.
    u64 user_ticks = 0, system_ticks = 0;
    u64 child_user_ticks = 0, child_system_ticks = 0;
    u64 start_ticks = 0;                 // time::ticks() when created
    u32 last_cpu = 0;

    // Where exec put the arguments and environment (for /proc/PID/cmdline).
    u64 arg_start = 0, arg_end = 0, env_start = 0, env_end = 0;
    u64 start_code = 0, end_code = 0, start_stack = 0;

    bool kernel_waits = false;           // started by spawn(): wait_spawned() reaps it
};

namespace proc {

// The process of the running thread, or nullptr in a kernel thread.
Process* current_process();

// The process table lock: parent/child links, process groups, states.
Spinlock& table_lock();

// Creates the first user process (PID 1) from a kernel thread: it runs
// `path` with argv/envp (kernel strings, nullptr-terminated). Returns when
// the process is started; its exit is reported by the kernel (init_exited).
ErrorOr<void> start_init(const char* path, const char* const* argv, const char* const* envp);

// Terminates the current process with a Linux wait status (exit code << 8
// or the signal number). Never returns.
[[noreturn]] void exit_process(i32 wait_status);

// fork / vfork / clone (no CLONE_THREAD): returns the child's pid.
struct CloneArgs {
    u64 flags = 0;
    UserAddr stack = 0;
    UserAddr parent_tid = 0;
    UserAddr child_tid = 0;
    u64 tls = 0;
};
ErrorOr<i64> clone(TrapFrame& frame, const CloneArgs& args);

// A struct rusage with these CPU times (and zeros) at `rusage`: EFAULT.
ErrorOr<void> put_rusage(UserAddr rusage, u64 user_ticks, u64 system_ticks);
// wait4: EINTR, ECHILD, EINVAL.
ErrorOr<i64> wait(i32 pid, UserAddr status, i32 options, UserAddr rusage);

// Looks up a live or zombie process (under the table lock).
Process* find_locked(i32 pid);
// Every process (under the table lock).
IntrusiveList<Process, &Process::table_node>& table_locked();

// Processes the kernel starts itself (tests): no parent; the kernel waits
// for them with wait_spawned(). spawn() returns the pid.
ErrorOr<i32> spawn(const char* path, const char* const* argv, const char* const* envp);
// Waits until process `pid` from spawn() ends and returns its wait status.
i32 wait_spawned(i32 pid);

// Process groups: for kill(-pgrp), setpgid, the TTY.
bool process_group_exists(i32 pgid);

// Number of processes (zombies included), and the most there may be (about
// one per 64 pages of RAM, as Linux sizes threads-max).
u32 count();
u32 process_limit();

// The RLIMIT_NOFILE current limit of the calling process (1024 for kernel threads).
u64 file_limit();

} // namespace proc
