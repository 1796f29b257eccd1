#pragma once
// QEMU's firmware configuration device (docs/specs/fw_cfg.rst): the harness
// passes per-run kernel arguments and an optional second initrd through it.
//
// Two ways to read an item: the traditional I/O port interface (selector
// 0x510, one byte per `in` from data port 0x511: every byte is a VM exit,
// slow for megabytes under TCG) and the DMA interface (port 0x514: the
// device copies a whole item into guest memory in one request), present
// when bit 1 of the FW_CFG_ID item is set.
#include <lib/error_or.hpp>
#include <lib/types.hpp>

namespace fw_cfg {
bool present();
// Copies the named file into buf; returns its length (0 when absent).
size_t read_file(const char* name, void* buf, size_t size);

struct FileInfo {
    u16 select; // the item's selector key
    u32 size;
};
// Looks the name up in the file directory (item 0x19).
bool find_file(const char* name, FileInfo& out);
bool dma_available();

// Reads `size` bytes of item `select` to physical memory at `dest` by DMA.
// With `from_start` the item is selected first (reading starts at its
// beginning); without, the read continues where the previous one stopped.
// EIO when the device reports an error, ENODEV without DMA.
ErrorOr<void> dma_read(u16 select, bool from_start, u64 dest_phys, u32 size);
// The same through the data port, into kernel memory.
void port_read(u16 select, bool from_start, void* dest, size_t size);
} // namespace fw_cfg
