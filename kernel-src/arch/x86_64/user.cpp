// User-mode registers on x86-64: frames, system-call registers, and Linux's
// signal frame (arch/x86/include/asm/sigframe.h, uapi/asm/sigcontext.h,
// arch/x86/kernel/signal.c describe the layout user programs rely on).
#include <arch/user.hpp>
#include <arch/x86_64/fpu.hpp>
#include <arch/x86_64/gdt.hpp>
#include <arch/x86_64/interrupt_frame.hpp>
#include <arch/x86_64/interrupts.hpp>
#include <arch/x86_64/syscall.hpp>
#include <kernel/uaccess.hpp>
#include <lib/string.hpp>
#include <proc/signal.hpp>
#include <proc/thread.hpp>

namespace arch {
namespace {

// RFLAGS bits (Intel SDM vol. 1, 3.4.3).
constexpr u64 FLAG_CF = 1 << 0, FLAG_PF = 1 << 2, FLAG_AF = 1 << 4, FLAG_ZF = 1 << 6, FLAG_SF = 1 << 7,
              FLAG_TF = 1 << 8, FLAG_IF = 1 << 9, FLAG_DF = 1 << 10, FLAG_OF = 1 << 11, FLAG_RF = 1 << 16,
              FLAG_AC = 1 << 18;
// What user code may set (Linux's FIX_EFLAGS).
constexpr u64 USER_FLAGS = FLAG_AC | FLAG_OF | FLAG_DF | FLAG_TF | FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF | FLAG_CF | FLAG_RF;

struct SigContext {
    u64 r8, r9, r10, r11, r12, r13, r14, r15;
    u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    u16 cs, gs, fs, ss;
    u64 err, trapno, oldmask, cr2;
    u64 fpstate;
    u64 reserved1[8];
};
static_assert(sizeof(SigContext) == 256);

struct StackT {
    u64 ss_sp;
    i32 ss_flags;
    i32 pad;
    u64 ss_size;
};
static_assert(sizeof(StackT) == 24);

struct UContext {
    u64 uc_flags;
    u64 uc_link;
    StackT uc_stack;
    SigContext uc_mcontext;
    u64 uc_sigmask;
};
static_assert(sizeof(UContext) == 304);

struct RtSigFrame {
    u64 pretcode;
    UContext uc;
    SigInfo info;
};
static_assert(sizeof(RtSigFrame) == 440);

constexpr u64 UC_FP_XSTATE = 0x1, UC_SIGCONTEXT_SS = 0x2, UC_STRICT_RESTORE_SS = 0x4;
constexpr u32 FP_XSTATE_MAGIC1 = 0x46505853, FP_XSTATE_MAGIC2 = 0x46505845;
constexpr u64 RED_ZONE = 128;
constexpr u64 NOT_A_SYSCALL = ~0ull;

// struct _fpx_sw_bytes, in the fxsave area's software-available bytes 464..511.
struct FpxSwBytes {
    u32 magic1;
    u32 extended_size;
    u64 xfeatures;
    u32 xstate_size;
    u32 padding[7];
};
static_assert(sizeof(FpxSwBytes) == 48);

bool canonical_user(u64 v) { return v < uaccess::USER_SPACE_END; }

} // namespace

void init_user_frame(TrapFrame& f, u64 entry, u64 sp)
{
    memset(&f, 0, sizeof(f));
    f.rip = entry;
    f.rsp = sp;
    f.cs = x86::USER_CS;
    f.ss = x86::USER_DS;
    f.rflags = FLAG_IF | (1 << 1); // bit 1 always reads as 1
    f.vector = x86::VECTOR_SYSCALL_INSTRUCTION;
    f.error_code = NOT_A_SYSCALL;
}

void copy_user_frame(TrapFrame& to, const TrapFrame& from)
{
    memcpy(&to, &from, sizeof(to));
    to.rax = 0;
    to.error_code = NOT_A_SYSCALL;
}

void set_stack_pointer(TrapFrame& f, u64 sp) { f.rsp = sp; }
u64 instruction_pointer(const TrapFrame& f) { return f.rip; }
u64 stack_pointer(const TrapFrame& f) { return f.rsp; }

bool is_syscall_frame(const TrapFrame& f)
{
    return (f.vector == x86::VECTOR_SYSCALL_INSTRUCTION || f.vector == x86::VECTOR_SYSCALL) &&
           f.error_code != NOT_A_SYSCALL;
}
u64 syscall_number(const TrapFrame& f) { return f.error_code; }
void syscall_arguments(const TrapFrame& f, u64 out[6])
{
    out[0] = f.rdi;
    out[1] = f.rsi;
    out[2] = f.rdx;
    out[3] = f.r10;
    out[4] = f.r8;
    out[5] = f.r9;
}
i64 syscall_result(const TrapFrame& f) { return static_cast<i64>(f.rax); }
void set_syscall_result(TrapFrame& f, i64 v) { f.rax = static_cast<u64>(v); }
void restart_syscall(TrapFrame& f)
{
    // Both `syscall` (0f 05) and `int $0x80` (cd 80) are two bytes long.
    f.rip -= 2;
    f.rax = f.error_code;
}
void forget_syscall(TrapFrame& f) { f.error_code = NOT_A_SYSCALL; }

bool push_signal_frame(TrapFrame& f, Thread& t, i32 sig, const SigInfo& info, const KernelSigaction& action,
                       u64 saved_mask)
{
    u32 fp_size = x86::fpu::area_size();
    bool xsave = x86::fpu::uses_xsave();
    u64 sp = f.rsp - RED_ZONE;
    u64 fp_area = align_down(sp - fp_size - 4, 64);
    u64 frame_addr = align_down(fp_area - sizeof(RtSigFrame), 16) - 8;
    if (frame_addr >= f.rsp || !uaccess::range_ok(frame_addr, f.rsp - frame_addr))
        return false;

    // The FPU state as the thread left it, in fxsave/xsave format, with
    // Linux's software bytes so that user code can recognise it.
    fpu_save_current(t);
    if (copy_to_user(fp_area, t.fpu_area, fp_size).is_error())
        return false;
    FpxSwBytes sw {};
    if (xsave) {
        sw.magic1 = FP_XSTATE_MAGIC1;
        sw.extended_size = fp_size + 4;
        sw.xfeatures = *reinterpret_cast<const u64*>(static_cast<const u8*>(t.fpu_area) + 512); // XSTATE_BV
        sw.xstate_size = fp_size;
        u32 magic2 = FP_XSTATE_MAGIC2;
        if (copy_to_user(fp_area + 464, &sw, sizeof(sw)).is_error() ||
            copy_to_user(fp_area + fp_size, &magic2, 4).is_error())
            return false;
    }

    RtSigFrame frame {};
    frame.pretcode = action.restorer;
    frame.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS | (xsave ? UC_FP_XSTATE : 0);
    frame.uc.uc_stack.ss_flags = 2; // SS_DISABLE: no alternate stack
    SigContext& sc = frame.uc.uc_mcontext;
    sc.r8 = f.r8, sc.r9 = f.r9, sc.r10 = f.r10, sc.r11 = f.r11, sc.r12 = f.r12, sc.r13 = f.r13, sc.r14 = f.r14,
    sc.r15 = f.r15;
    sc.rdi = f.rdi, sc.rsi = f.rsi, sc.rbp = f.rbp, sc.rbx = f.rbx, sc.rdx = f.rdx, sc.rax = f.rax, sc.rcx = f.rcx;
    sc.rsp = f.rsp, sc.rip = f.rip, sc.eflags = f.rflags;
    sc.cs = static_cast<u16>(f.cs);
    sc.ss = static_cast<u16>(f.ss);
    sc.trapno = f.vector < 32 ? f.vector : 0;
    sc.err = f.vector < 32 ? f.error_code : 0;
    sc.cr2 = (sig == SIGSEGV || sig == SIGBUS) ? info.fault.addr : 0;
    sc.oldmask = saved_mask;
    sc.fpstate = fp_area;
    frame.uc.uc_sigmask = saved_mask;
    frame.info = info;
    if (copy_to_user(frame_addr, &frame, sizeof(frame)).is_error())
        return false;

    f.rsp = frame_addr;
    f.rip = action.handler;
    f.rdi = static_cast<u64>(sig);
    f.rsi = frame_addr + __builtin_offsetof(RtSigFrame, info);
    f.rdx = frame_addr + __builtin_offsetof(RtSigFrame, uc);
    f.rax = 0;
    f.rflags &= ~(FLAG_DF | FLAG_RF | FLAG_TF);
    f.cs = x86::USER_CS;
    f.ss = x86::USER_DS;
    return true;
}

bool pop_signal_frame(TrapFrame& f, Thread& t, u64* mask)
{
    // The handler's `ret` popped pretcode: the frame starts 8 bytes below.
    u64 frame_addr = f.rsp - 8;
    RtSigFrame frame;
    if (copy_from_user(&frame, frame_addr, sizeof(frame)).is_error())
        return false;
    const SigContext& sc = frame.uc.uc_mcontext;
    if (!canonical_user(sc.rip) || !canonical_user(sc.rsp))
        return false;
    f.r8 = sc.r8, f.r9 = sc.r9, f.r10 = sc.r10, f.r11 = sc.r11, f.r12 = sc.r12, f.r13 = sc.r13, f.r14 = sc.r14,
    f.r15 = sc.r15;
    f.rdi = sc.rdi, f.rsi = sc.rsi, f.rbp = sc.rbp, f.rbx = sc.rbx, f.rdx = sc.rdx, f.rax = sc.rax, f.rcx = sc.rcx;
    f.rsp = sc.rsp, f.rip = sc.rip;
    f.rflags = (f.rflags & ~USER_FLAGS) | (sc.eflags & USER_FLAGS) | FLAG_IF;
    f.cs = x86::USER_CS;
    f.ss = x86::USER_DS;
    forget_syscall(f);
    *mask = frame.uc.uc_sigmask;

    if (sc.fpstate) {
        u32 fp_size = x86::fpu::area_size();
        if (!is_aligned(sc.fpstate, 64) || copy_from_user(t.fpu_area, sc.fpstate, fp_size).is_error())
            return false;
        // Reserved MXCSR bits set would fault in the kernel's fxrstor/xrstor:
        // treat such a state as corrupt (Linux does the same check).
        u32 mxcsr = *reinterpret_cast<u32*>(static_cast<u8*>(t.fpu_area) + 24);
        if (mxcsr & ~0xFFFFu)
            return false;
        if (x86::fpu::uses_xsave()) {
            // Only the features we enabled, and a standard-format header.
            u8* header = static_cast<u8*>(t.fpu_area) + 512;
            u64* xstate_bv = reinterpret_cast<u64*>(header);
            u64* xcomp_bv = reinterpret_cast<u64*>(header + 8);
            *xstate_bv &= x86::fpu::enabled_features();
            *xcomp_bv = 0;
            for (int i = 16; i < 64; i++)
                header[i] = 0;
        }
    } else {
        x86::fpu::init_area(t.fpu_area);
    }
    fpu_load_current(t);
    return true;
}

} // namespace arch
