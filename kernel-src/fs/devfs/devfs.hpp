#pragma once
// devtmpfs: the /dev file system. One tmpfs instance (type "devtmpfs",
// root mode 0755) shared by every mount of it, as Linux's devtmpfs is,
// holding a node for each registered character device (fs/char_device.hpp).
// It is writable like any tmpfs (mkdir /dev/pts, symlinks, mknod).
#include <fs/abi.hpp>
#include <fs/inode.hpp>

namespace fs::devfs {
// The instance's root (created on first use, with nodes for the devices
// registered so far).
ErrorOr<RefPtr<Inode>> create();
// Adds the node /dev/<name> (directories in `name` are created) when the
// instance exists; it picks up devices registered before it on creation.
ErrorOr<void> add_node(const char* name, DeviceNumber number, u32 mode);
} // namespace fs::devfs
