#pragma once
// Recovering from an expected CPU exception in kernel code.
//
// fault_catch(fn, arg, info) runs fn(arg); if it raises an exception (a page
// fault, #UD, #GP, ...), the exception handler unwinds to the catch point
// instead of reporting a crash, and fault_catch returns true with the fault
// described in *info. Tests use it to prove faults are raised (NX, unmapped
// pages, ud2); the user-memory copy routines use it to turn a bad user pointer
// into EFAULT. Calls do not nest on one thread.
#include <lib/types.hpp>

struct FaultInfo {
    u64 vector;
    u64 error_code;
    u64 rip;
    u64 cr2;
};

struct FaultCatch {
    u64 saved_rsp; // written by fault_catch_call (asm); must stay first
    FaultInfo info;
};

bool fault_catch(void (*fn)(void*), void* arg, FaultInfo* info);
// Where the running thread's (or, before threads exist, the CPU's) armed
// catch is kept; the exception handler reads it.
FaultCatch** fault_catch_slot();

template <typename F> bool fault_catch(F& f, FaultInfo* info)
{
    return fault_catch([](void* p) { (*static_cast<F*>(p))(); }, &f, info);
}
