#include <fs/fs_context.hpp>

namespace fs {

Location FsContext::cwd() const
{
    MutexGuard guard(m_lock);
    return m_cwd;
}

Location FsContext::root() const
{
    MutexGuard guard(m_lock);
    return m_root;
}

void FsContext::set_cwd(Location loc)
{
    Location old; // dropped after the lock
    MutexGuard guard(m_lock);
    old = move(m_cwd);
    m_cwd = move(loc);
}

void FsContext::set_root(Location loc)
{
    Location old;
    MutexGuard guard(m_lock);
    old = move(m_root);
    m_root = move(loc);
}

ErrorOr<FsContext*> FsContext::clone() const
{
    auto* copy = new (std::nothrow) FsContext();
    if (!copy)
        return Error::from_errno(ENOMEM);
    auto r = copy->fds.clone_from(fds);
    if (r.is_error()) {
        delete copy;
        return r.release_error();
    }
    copy->umask.store(umask.load());
    copy->set_cwd(cwd());
    copy->set_root(root());
    return copy;
}

FsContext& kernel_fs_context()
{
    static FsContext* s_context = new FsContext();
    return *s_context;
}

} // namespace fs
