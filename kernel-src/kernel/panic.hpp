#pragma once
// panic(): report and stop the machine. Exception reports share its ending.
#include <lib/format.hpp>
#include <lib/types.hpp>

enum class PanicKind { Panic, Exception };

[[noreturn]] void panic(const char* fmt, ...) PRINTF_FORMAT(1, 2);

// For reports built elsewhere (exceptions): panic_begin() quiets the other
// outputs and stops other CPUs; panic_end() prints the trailer and leaves.
void panic_begin();
[[noreturn]] void panic_end(PanicKind kind);
// True once some CPU has begun a panic report.
bool panicking();
// Prints "backtrace:" and one "  #N 0x..." line per return address.
void print_backtrace(u64 rip, u64 rbp);


#define KASSERT(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__);                     \
    } while (0)
