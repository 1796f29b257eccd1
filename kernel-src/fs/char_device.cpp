#include <fs/char_device.hpp>
#include <fs/devfs/devfs.hpp>
#include <lib/spinlock.hpp>
#include <lib/string.hpp>

namespace fs {
namespace {
constexpr size_t MAX_DEVICES = 64;
Spinlock s_lock;
CharDeviceEntry s_devices[MAX_DEVICES];
size_t s_count;
} // namespace

ErrorOr<void> register_char_device(DeviceNumber number, const char* name, FileOps& ops, u32 mode)
{
    if (!name || !*name || strlen(name) >= sizeof(s_devices[0].name))
        return Error::from_errno(EINVAL);
    {
        SpinlockGuard guard(s_lock);
        for (size_t i = 0; i < s_count; i++) {
            if (s_devices[i].number == number || strcmp(s_devices[i].name, name) == 0)
                return Error::from_errno(EEXIST);
        }
        if (s_count == MAX_DEVICES)
            return Error::from_errno(ENOSPC);
        CharDeviceEntry& e = s_devices[s_count++];
        e.number = number;
        strlcpy(e.name, name, sizeof(e.name));
        e.mode = mode & MODE_PERMS;
        e.ops = &ops;
    }
    // The node appears now when devfs is mounted, else when it is.
    return devfs::add_node(name, number, mode & MODE_PERMS);
}

ErrorOr<FileOps*> char_device_ops(DeviceNumber number)
{
    SpinlockGuard guard(s_lock);
    for (size_t i = 0; i < s_count; i++) {
        if (s_devices[i].number == number)
            return s_devices[i].ops;
    }
    return Error::from_errno(ENXIO);
}

size_t list_char_devices(CharDeviceEntry* out, size_t max)
{
    SpinlockGuard guard(s_lock);
    for (size_t i = 0; i < s_count && i < max; i++)
        out[i] = s_devices[i];
    return s_count;
}

} // namespace fs
