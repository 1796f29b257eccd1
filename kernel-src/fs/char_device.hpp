#pragma once
// Character devices: a driver registers its FileOps under a device number
// (Linux's major:minor) and a name; the node /dev/<name> appears in devfs,
// and opening any character-device inode with that number (on any file
// system) gives an open file using the driver's operations.
//
//   class Console final : public fs::FileOps { ... read, write, ioctl ... };
//   TRY(fs::register_char_device({ 5, 1 }, "console", s_console, 0600));
//
// Device numbers in use: 1:3 null, 1:5 zero, 1:7 full, 1:8 random,
// 1:9 urandom (drivers/mem_devices.cpp); the TTY layer adds 5:0 tty,
// 5:1 console and 4:64 ttyS0.
#include <fs/abi.hpp>
#include <fs/open_file.hpp>

namespace fs {

// EEXIST when the number or the name is taken; ENOSPC when the table is full.
// `name` may contain '/' (e.g. "pts/0"): devfs creates the directories.
ErrorOr<void> register_char_device(DeviceNumber number, const char* name, FileOps& ops, u32 mode = 0666);
// The driver for `number`; ENXIO when none is registered (as Linux's open).
ErrorOr<FileOps*> char_device_ops(DeviceNumber number);

struct CharDeviceEntry {
    DeviceNumber number;
    char name[32];
    u32 mode;
    FileOps* ops;
};
// Copies up to `max` registered devices into out; returns how many exist.
size_t list_char_devices(CharDeviceEntry* out, size_t max);

} // namespace fs
