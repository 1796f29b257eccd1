#include <fs/anon.hpp>
#include <fs/tmpfs/tmpfs.hpp>
#include <proc/mutex.hpp>

namespace fs {
namespace {
Mutex s_lock;
RefPtr<Mount> s_mount; // created on first use, never in the mount table

ErrorOr<RefPtr<Mount>> anonymous_mount()
{
    MutexGuard guard(s_lock);
    if (!s_mount) {
        TmpfsOptions o;
        o.type_name = "pipefs";
        o.magic = 0x50495045; // PIPEFS_MAGIC
        o.root_mode = 0700;
        RefPtr<Inode> root = TRY(TmpFs::create(o));
        RefPtr<FileSystem> fs(&root->fs());
        auto* mount = new (std::nothrow) Mount(move(fs), move(root), 0, "pipefs");
        if (!mount)
            return Error::from_errno(ENOMEM);
        s_mount = adopt(mount);
    }
    return s_mount;
}
} // namespace

ErrorOr<Location> make_anonymous_inode(u32 mode)
{
    RefPtr<Mount> mount = TRY(anonymous_mount());
    auto& tmpfs = static_cast<TmpFs&>(mount->fs());
    auto* node = new (std::nothrow) TmpfsNode(tmpfs, mode, {}, 0, 0);
    if (!node)
        return Error::from_errno(ENOMEM);
    RefPtr<Inode> inode = adopt(static_cast<Inode*>(node));
    return Location { move(mount), move(inode) };
}

} // namespace fs
