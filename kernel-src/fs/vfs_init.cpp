#include <drivers/mem_devices.hpp>
#include <fs/devfs/devfs.hpp>
#include <fs/fs_context.hpp>
#include <fs/initrd/initrd.hpp>
#include <fs/procfs/procfs.hpp>
#include <fs/tmpfs/tmpfs.hpp>
#include <fs/vfs.hpp>
#include <kernel/boot_info.hpp>
#include <kernel/crng.hpp>
#include <kernel/log.hpp>
#include <kernel/panic.hpp>
#include <kernel/time.hpp>

namespace fs::vfs {
namespace {

// Mounts a fresh instance of `type` on `path` and logs it.
void mount_at(const char* path, const char* type, const char* source, const char* data, u64 flags)
{
    u64 started = time::since_boot_ns();
    PathStart start = start_at_cwd(kernel_fs_context());
    auto r = mount(start, source, path, type, flags, data);
    if (r.is_error()) {
        log_error("vfs: %s not mounted at %s: %s", type, path, r.error().name());
        return;
    }
    log_info("vfs: %s mounted at %s (%lu us)", type, path, (time::since_boot_ns() - started) / 1000);
}

} // namespace

void init(const BootInfo& boot)
{
    crng::init();
    log_info("random: ChaCha20 generator seeded from %s", crng::hardware_seeded() ? "RDSEED/RDRAND and TSC jitter"
                                                                                  : "TSC jitter (no RDRAND)");
    mem_devices::init();

    u64 started = time::since_boot_ns();
    initrd::LoadReport report;
    auto root = initrd::build_root(boot, report);
    if (root.is_error())
        panic("vfs: cannot build the root file system: %s", root.error().name());
    RefPtr<FileSystem> root_fs(&root.value()->fs());
    auto mounted = MountTable::mount(move(root_fs), root.value(), {}, MS_RDONLY | MS_RELATIME, "rootfs");
    if (mounted.is_error())
        panic("vfs: cannot mount /: %s", mounted.error().name());
    FsContext& kernel = kernel_fs_context();
    kernel.set_root(MountTable::root());
    kernel.set_cwd(MountTable::root());
    u64 ms = (time::since_boot_ns() - started) / 1000000;
    if (report.archives)
        log_info("vfs: initrd mounted at / read-only (%u files, %lu KiB, %u archive%s, %lu ms)", report.totals.files,
                 report.totals.bytes / KiB, report.archives, report.archives == 1 ? "" : "s", ms);
    else
        log_info("vfs: empty rootfs mounted at / read-only (%lu ms)", ms);

    mount_at("/dev", "devtmpfs", "devtmpfs", "mode=755", MS_NOSUID);
    mount_at("/proc", "proc", "proc", nullptr, MS_NOSUID | MS_NODEV | MS_NOEXEC);
    mount_at("/tmp", "tmpfs", "tmpfs", "mode=1777", MS_NOSUID | MS_NODEV);
}

} // namespace fs::vfs
