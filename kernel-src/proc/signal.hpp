#pragma once
// POSIX signals as Linux x86-64 has them: numbers, default actions,
// handlers with the rt_sigframe Linux lays out on the user stack, masks,
// and the faults that raise SIGSEGV, SIGILL, SIGFPE, SIGBUS and SIGTRAP.
#include <arch/arch.hpp>
#include <kernel/uaccess.hpp>
#include <lib/spinlock.hpp>
#include <lib/types.hpp>

struct Thread;
struct Process;

enum Signal : i32 {
    SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8,
    SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15,
    SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22,
    SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29,
    SIGPWR = 30, SIGSYS = 31, SIGRTMIN = 32, NSIG = 64,
};

constexpr u64 sigbit(i32 sig) { return 1ull << (sig - 1); }
// Signals that can be neither caught, blocked nor ignored.
constexpr u64 UNBLOCKABLE = sigbit(SIGKILL) | sigbit(SIGSTOP);

// sa_flags (include/uapi/asm-generic/signal.h, x86).
constexpr u64 SA_NOCLDSTOP = 0x1, SA_NOCLDWAIT = 0x2, SA_SIGINFO = 0x4, SA_ONSTACK = 0x08000000,
              SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000,
              SA_RESTORER = 0x04000000;
constexpr u64 SIG_DFL = 0, SIG_IGN = 1;

// The kernel's struct sigaction for rt_sigaction on x86-64.
struct KernelSigaction {
    u64 handler;
    u64 flags;
    u64 restorer;
    u64 mask;
};
static_assert(sizeof(KernelSigaction) == 32);

// Linux's siginfo_t (128 bytes) with the fields we fill.
struct SigInfo {
    i32 signo;
    i32 errno_;
    i32 code;
    i32 pad;
    union {
        struct {
            i32 pid;
            u32 uid;
            i32 status;
            i32 pad2;
            i64 utime;
            i64 stime;
        } child;
        struct {
            u64 addr;
        } fault;
        struct {
            i32 pid;
            u32 uid;
        } kill;
        u8 raw[112];
    };
};
static_assert(sizeof(SigInfo) == 128);

// si_code values.
constexpr i32 SI_USER = 0, SI_KERNEL = 0x80, SI_TKILL = -6;
constexpr i32 SEGV_MAPERR = 1, SEGV_ACCERR = 2;
constexpr i32 ILL_ILLOPN = 2, ILL_PRVOPC = 5;
constexpr i32 FPE_INTDIV = 1, FPE_FLTINV = 7;
constexpr i32 BUS_ADRERR = 2;
constexpr i32 TRAP_BRKPT = 1;
constexpr i32 CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_STOPPED = 5, CLD_CONTINUED = 6;

// A process's handlers (no CLONE_SIGHAND sharing).
struct SignalHandlers {
    Spinlock lock;
    KernelSigaction actions[NSIG] = {};
};

// Error returned by an interrupted system call that may be restarted when
// the signal's handler has SA_RESTART (or no handler runs): Linux's
// ERESTARTSYS. Never seen by user programs.
constexpr int ERESTARTSYS = 512;
// Restart always, after any handler (nanosleep-style calls use EINTR instead).
constexpr int ERESTARTNOINTR = 513;

namespace signal {

const char* name(i32 sig);            // "SIGSEGV"
const char* description(i32 sig);     // "Segmentation fault"

// Queues `sig` for process p (its thread) and wakes it if it sleeps
// interruptibly. SIGCONT resumes a stopped process; SIGKILL also does.
void send(Process* p, i32 sig, const SigInfo& info);
// A synchronous fault signal for the current thread: if it is blocked or
// ignored, the default action is forced (as Linux's force_sig).
void send_fault(i32 sig, i32 code, u64 address);
// kill(2) semantics: pid > 0, 0 (own group), -1 (everyone but init), < -1 (a group).
ErrorOr<void> kill(i32 pid, i32 sig);
// Sends `sig` to every member of process group `pgid`.
ErrorOr<void> send_to_group(i32 pgid, i32 sig);

// Called on the way back to ring 3 with a pending, unblocked signal:
// performs its action (may not return when the process dies or stops and
// is killed meanwhile).
void deliver(TrapFrame& frame);

// rt_sigreturn: restores the registers, mask and FPU state saved by
// deliver(). A corrupt frame kills the process with SIGSEGV.
i64 sigreturn(TrapFrame& frame);

// Resets handlers at exec (caught signals back to default; ignored stay).
void reset_for_exec(Process* p);

// Linux's default action of a signal.
enum class Default { Terminate, Core, Ignore, Stop, Continue };
Default default_action(i32 sig);

} // namespace signal
