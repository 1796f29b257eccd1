#pragma once
// The kernel command line: the boot loader's line followed by the per-run
// arguments QEMU passes as fw_cfg file opt/oskit/cmdline (DESIGN.md).
// Words are "key" or "key=value", separated by spaces.
#include <lib/types.hpp>

namespace cmdline {
void init(const char* loader_cmdline);
const char* full();
bool has(const char* key);
// Writes the value of key=value into out and returns true, else false.
bool get(const char* key, char* out, size_t size);
// Reads key=N (decimal digits only) into *out; false when absent or not a
// number.
bool get_u32(const char* key, u32* out);
// The words after ` -- ` (init's arguments, as on Linux). Words are
// separated by spaces; a word in double quotes may contain spaces, with \"
// and \\ for a quote and a backslash. Copies them into storage and points
// argv[0..] at them; returns how many (at most max).
size_t init_arguments(char* storage, size_t storage_size, const char** argv, size_t max);
} // namespace cmdline
