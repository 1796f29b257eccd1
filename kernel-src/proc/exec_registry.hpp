#pragma once
// Programs held in kernel memory under a path, found by exec before the
// file system is asked (the kernel's own tests build small ELF images and
// run them as processes).
#include <mm/page_source.hpp>

namespace proc::exec_registry {
// Registers (or, with nullptr, removes) the program at `path`.
void set(const char* path, RefPtr<PageSource> program);
RefPtr<PageSource> find(const char* path);
} // namespace proc::exec_registry
