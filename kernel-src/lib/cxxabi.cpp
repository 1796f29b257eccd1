// The little C++ runtime support a freestanding kernel needs.
#include <kernel/panic.hpp>
#include <lib/types.hpp>

extern "C" {

void* __dso_handle = nullptr;

// Kernel objects with static storage live forever: destructors registered at
// start-up are never run.
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }

[[noreturn]] void __cxa_pure_virtual() { panic("pure virtual function called"); }

[[noreturn]] void __stack_chk_fail() { panic("stack smashing detected"); }
}

using Constructor = void (*)();
extern "C" Constructor __init_array_start[], __init_array_end[];

// Runs global constructors (the .init_array the linker script collects).
size_t run_global_constructors()
{
    size_t n = 0;
    for (Constructor* c = __init_array_start; c < __init_array_end; c++, n++)
        (*c)();
    return n;
}
