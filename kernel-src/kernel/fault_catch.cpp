#include <kernel/fault_catch.hpp>
#include <kernel/percpu.hpp>
#include <lib/string.hpp>

extern "C" int fault_catch_call(void (*fn)(void*), void* arg, FaultCatch* slot);

bool fault_catch(void (*fn)(void*), void* arg, FaultInfo* info)
{
    FaultCatch slot {};
    Cpu* cpu = this_cpu();
    cpu->fault_catch = &slot;
    int faulted = fault_catch_call(fn, arg, &slot);
    cpu->fault_catch = nullptr;
    if (info)
        *info = faulted ? slot.info : FaultInfo {};
    return faulted;
}
