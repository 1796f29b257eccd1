#include <kernel/fault_catch.hpp>
#include <kernel/percpu.hpp>
#include <lib/string.hpp>
#include <proc/thread.hpp>

FaultCatch** fault_catch_slot()
{
    // Per thread once threads exist (a thread may be preempted and resumed
    // elsewhere inside the caught function); per CPU before.
    Cpu* cpu = this_cpu();
    return cpu->current ? &cpu->current->fault_catch : &cpu->fault_catch;
}

extern "C" int fault_catch_call(void (*fn)(void*), void* arg, FaultCatch* slot);

bool fault_catch(void (*fn)(void*), void* arg, FaultInfo* info)
{
    FaultCatch slot {};
    FaultCatch** armed = fault_catch_slot();
    *armed = &slot;
    int faulted = fault_catch_call(fn, arg, &slot);
    *armed = nullptr;
    if (info)
        *info = faulted ? slot.info : FaultInfo {};
    return faulted;
}
