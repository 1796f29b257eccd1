#pragma once
// Values written to isa-debug-exit; QEMU exits with value * 2 + 1
// (DESIGN.md, "Exit status"). Never 0: status 1 is also QEMU's own error.
#include <lib/types.hpp>

constexpr u8 EXIT_SUCCESS_CODE = 0x10; // QEMU status 33
constexpr u8 EXIT_TESTS_FAILED = 0x11; // 35
constexpr u8 EXIT_PANIC = 0x12;        // 37
constexpr u8 EXIT_INIT_FAILED = 0x13;  // 39: init= could not be executed
