#include <fs/char_device.hpp>
#include <fs/devfs/devfs.hpp>
#include <fs/tmpfs/tmpfs.hpp>
#include <lib/string.hpp>
#include <proc/mutex.hpp>

namespace fs::devfs {
namespace {
Mutex s_lock; // guards s_root's creation and node insertion
RefPtr<Inode> s_root;

ErrorOr<void> add_node_locked(const char* name, DeviceNumber number, u32 mode)
{
    RefPtr<Inode> dir = s_root;
    const char* p = name;
    for (;;) {
        const char* slash = p;
        while (*slash && *slash != '/')
            slash++;
        StringView component(p, static_cast<size_t>(slash - p));
        if (component.empty() || component.length() > NAME_MAX)
            return Error::from_errno(EINVAL);
        if (!*slash) {
            auto r = dir->create(component, S_IFCHR | (mode & MODE_PERMS), number, 0, 0);
            if (r.is_error() && r.error().code() != EEXIST)
                return r.release_error();
            return {};
        }
        auto sub = dir->lookup(component);
        if (sub.is_error())
            sub = dir->create(component, S_IFDIR | 0755, {}, 0, 0);
        dir = TRY(move(sub));
        p = slash + 1;
    }
}
} // namespace

ErrorOr<RefPtr<Inode>> create()
{
    MutexGuard guard(s_lock);
    if (s_root)
        return s_root;
    TmpfsOptions options;
    options.type_name = "devtmpfs";
    options.root_mode = 0755;
    constexpr size_t MAX = 64;
    auto* devices = new (std::nothrow) CharDeviceEntry[MAX];
    if (!devices)
        return Error::from_errno(ENOMEM);
    auto root = TmpFs::create(options);
    if (root.is_error()) {
        delete[] devices;
        return root.release_error();
    }
    s_root = root.release_value();
    size_t count = min(list_char_devices(devices, MAX), MAX);
    ErrorOr<void> result;
    for (size_t i = 0; i < count && !result.is_error(); i++)
        result = add_node_locked(devices[i].name, devices[i].number, devices[i].mode);
    delete[] devices;
    if (result.is_error()) {
        s_root = nullptr;
        return result.release_error();
    }
    return s_root;
}

ErrorOr<void> add_node(const char* name, DeviceNumber number, u32 mode)
{
    MutexGuard guard(s_lock);
    if (!s_root)
        return {};
    return add_node_locked(name, number, mode);
}

} // namespace fs::devfs
