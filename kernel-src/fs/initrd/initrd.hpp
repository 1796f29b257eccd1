#pragma once
// The initrd: the root file system comes from cpio newc archives unpacked
// into a tmpfs instance ("rootfs") that is then mounted read-only at /.
//
// Sources, in order (later entries replace earlier ones):
//   1. the Multiboot2 module whose command line is "initrd";
//   2. the QEMU fw_cfg file "opt/oskit/initrd", when present, read by DMA
//      into pages from the PMM (byte-wise through the I/O port when the
//      device has no DMA interface, or with the kernel argument fw_cfg=pio).
// File data is not copied: regular files point into the archive's memory,
// which stays reserved for as long as the kernel runs.
#include <fs/inode.hpp>
#include <kernel/boot_info.hpp>

namespace initrd {

struct UnpackStats {
    u32 files, directories, symlinks, nodes;
    u64 bytes; // regular-file data
};

// Unpacks the archive into the tree under `root` (a tmpfs directory).
// Paths are relative to root ("./a", "/a" and "a" are the same); missing
// parent directories are created; an existing entry is replaced (a
// directory over a directory only takes its attributes). EINVAL with a log
// line naming `what` for a malformed archive, which leaves the tree as it
// was (everything is checked before anything is created).
ErrorOr<UnpackStats> unpack(const u8* data, size_t size, fs::Inode& root, const char* what);

struct LoadReport {
    u32 archives;     // archives unpacked
    UnpackStats totals;
    u64 archive_bytes;
    u64 fw_cfg_bytes; // size of the fw_cfg archive (0 when none)
    u64 fw_cfg_ns;    // time to read it
    bool fw_cfg_dma;  // read by DMA
};

// Builds the root file system from the boot sources above; an empty root
// (with /dev, /proc and /tmp to mount on) when there are none. Logs one
// line per source and one when there is none.
ErrorOr<RefPtr<fs::Inode>> build_root(const BootInfo& boot, LoadReport& report);

// Reads fw_cfg file `name` into freshly allocated pages (kept for good) and
// returns where it is in kernel memory; nullptr when absent. `dma` chooses
// the interface (false: byte-wise); `ns` receives the time taken.
ErrorOr<const u8*> load_fw_cfg_file(const char* name, bool dma, u32& size, u64& ns);

} // namespace initrd
