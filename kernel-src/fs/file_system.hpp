#pragma once
// A file system instance (Linux's super_block): a type name, a device
// number, inode numbers unique within it, and statfs figures. Created by
// each file system's own factory together with its root inode; kept alive
// by its inodes (see fs/inode.hpp for the lifetimes).
#include <fs/abi.hpp>
#include <lib/atomic.hpp>
#include <lib/error_or.hpp>
#include <lib/ref_ptr.hpp>

namespace fs {

class FileSystem : public RefCounted<FileSystem> {
public:
    virtual ~FileSystem() = default;

    // The name /proc/mounts and /proc/filesystems show: "tmpfs", "proc", ...
    virtual const char* type_name() const = 0;
    virtual ErrorOr<void> statfs(LinuxStatfs& out) const;
    // Options /proc/mounts shows after rw/ro (",mode=1777"), or "".
    virtual void mount_options(char* buf, size_t size) const;

    // Anonymous device number (major 0), as Linux gives in-memory file systems.
    DeviceNumber device() const { return m_device; }
    u64 allocate_ino() { return m_next_ino.fetch_add(1); }

protected:
    FileSystem();

private:
    DeviceNumber m_device;
    Atomic<u64> m_next_ino { 1 };
};

} // namespace fs
