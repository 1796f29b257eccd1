#pragma once
// QEMU's firmware configuration device (docs/specs/fw_cfg.rst), I/O port
// interface: the harness passes per-run kernel arguments through it.
#include <lib/types.hpp>

namespace fw_cfg {
bool present();
// Copies the named file into buf; returns its length (0 when absent).
size_t read_file(const char* name, void* buf, size_t size);
} // namespace fw_cfg
