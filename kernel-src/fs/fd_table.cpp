#include <fs/fd_table.hpp>

namespace fs {

ErrorOr<void> FdTable::grow_locked(size_t wanted)
{
    if (wanted <= m_slots.size())
        return {};
    // Grow in steps like Linux's fdtable (64, doubling), capped by the limit.
    size_t target = max<size_t>(64, m_slots.size());
    while (target < wanted)
        target *= 2;
    if (target > m_limit)
        target = max<size_t>(wanted, m_limit);
    TRY(m_slots.ensure_capacity(target));
    while (m_slots.size() < target)
        (void)m_slots.append(Slot {});
    return {};
}

i64 FdTable::lowest_free_locked(u32 min_fd) const
{
    for (size_t i = min_fd; i < m_slots.size() && i < m_limit; i++) {
        if (!m_slots[i].file)
            return static_cast<i64>(i);
    }
    // Past the slots in use: the first one after them, if under the limit.
    size_t next = max<size_t>(min_fd, m_slots.size());
    return next < m_limit ? static_cast<i64>(next) : -1;
}

ErrorOr<i32> FdTable::install(RefPtr<OpenFile> file, bool cloexec, i32 min_fd)
{
    MutexGuard guard(m_lock);
    if (min_fd < 0 || static_cast<u32>(min_fd) >= m_limit)
        return Error::from_errno(EINVAL);
    i64 fd = lowest_free_locked(static_cast<u32>(min_fd));
    if (fd < 0)
        return Error::from_errno(EMFILE);
    TRY(grow_locked(static_cast<size_t>(fd) + 1));
    m_slots[static_cast<size_t>(fd)].file = move(file);
    m_slots[static_cast<size_t>(fd)].cloexec = cloexec;
    m_open++;
    return static_cast<i32>(fd);
}

ErrorOr<RefPtr<OpenFile>> FdTable::get(i32 fd) const
{
    MutexGuard guard(m_lock);
    if (fd < 0 || static_cast<size_t>(fd) >= m_slots.size() || !m_slots[static_cast<size_t>(fd)].file)
        return Error::from_errno(EBADF);
    return m_slots[static_cast<size_t>(fd)].file;
}

ErrorOr<void> FdTable::close(i32 fd)
{
    RefPtr<OpenFile> closing; // released after the lock
    {
        MutexGuard guard(m_lock);
        if (fd < 0 || static_cast<size_t>(fd) >= m_slots.size() || !m_slots[static_cast<size_t>(fd)].file)
            return Error::from_errno(EBADF);
        closing = move(m_slots[static_cast<size_t>(fd)].file);
        m_slots[static_cast<size_t>(fd)].cloexec = false;
        m_open--;
    }
    return {};
}

ErrorOr<i32> FdTable::dup(i32 fd, i32 min_fd, bool cloexec)
{
    RefPtr<OpenFile> file = TRY(get(fd));
    return install(move(file), cloexec, min_fd);
}

ErrorOr<i32> FdTable::dup2(i32 oldfd, i32 newfd)
{
    if (oldfd == newfd) {
        TRY(get(oldfd));
        return newfd;
    }
    return dup3(oldfd, newfd, 0);
}

ErrorOr<i32> FdTable::dup3(i32 oldfd, i32 newfd, u32 flags)
{
    if (flags & ~O_CLOEXEC)
        return Error::from_errno(EINVAL);
    if (oldfd == newfd)
        return Error::from_errno(EINVAL);
    RefPtr<OpenFile> replaced; // released after the lock
    MutexGuard guard(m_lock);
    if (oldfd < 0 || static_cast<size_t>(oldfd) >= m_slots.size() || !m_slots[static_cast<size_t>(oldfd)].file)
        return Error::from_errno(EBADF);
    if (newfd < 0 || static_cast<u32>(newfd) >= m_limit)
        return Error::from_errno(EBADF);
    TRY(grow_locked(static_cast<size_t>(newfd) + 1));
    Slot& slot = m_slots[static_cast<size_t>(newfd)];
    if (slot.file)
        replaced = move(slot.file);
    else
        m_open++;
    slot.file = m_slots[static_cast<size_t>(oldfd)].file;
    slot.cloexec = flags & O_CLOEXEC;
    return newfd;
}

ErrorOr<bool> FdTable::cloexec(i32 fd) const
{
    MutexGuard guard(m_lock);
    if (fd < 0 || static_cast<size_t>(fd) >= m_slots.size() || !m_slots[static_cast<size_t>(fd)].file)
        return Error::from_errno(EBADF);
    return m_slots[static_cast<size_t>(fd)].cloexec;
}

ErrorOr<void> FdTable::set_cloexec(i32 fd, bool on)
{
    MutexGuard guard(m_lock);
    if (fd < 0 || static_cast<size_t>(fd) >= m_slots.size() || !m_slots[static_cast<size_t>(fd)].file)
        return Error::from_errno(EBADF);
    m_slots[static_cast<size_t>(fd)].cloexec = on;
    return {};
}

ErrorOr<void> FdTable::clone_from(const FdTable& other)
{
    // Copy the other table's slots under its lock, then install them here
    // (two tables are never locked at once).
    Vector<Slot> copy;
    u32 limit;
    u32 open;
    {
        MutexGuard guard(other.m_lock);
        TRY(copy.ensure_capacity(other.m_slots.size()));
        for (auto& s : other.m_slots)
            (void)copy.append(Slot { s.file, s.cloexec });
        limit = other.m_limit;
        open = other.m_open;
    }
    Vector<Slot> old;
    {
        MutexGuard guard(m_lock);
        old = move(m_slots);
        m_slots = move(copy);
        m_limit = limit;
        m_open = open;
    }
    return {}; // `old` (normally empty) is released here, outside the lock
}

void FdTable::close_on_exec()
{
    Vector<RefPtr<OpenFile>> closing; // released after the lock
    MutexGuard guard(m_lock);
    bool have_list = !closing.ensure_capacity(m_open).is_error();
    for (auto& s : m_slots) {
        if (!s.file || !s.cloexec)
            continue;
        if (have_list)
            (void)closing.append(move(s.file));
        else
            s.file = nullptr; // no memory for the list: release here
        s.cloexec = false;
        m_open--;
    }
}

void FdTable::close_all()
{
    Vector<Slot> old;
    {
        MutexGuard guard(m_lock);
        old = move(m_slots);
        m_open = 0;
    }
}

ErrorOr<void> FdTable::close_range(u32 first, u32 last, u32 flags)
{
    if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
        return Error::from_errno(EINVAL);
    if (first > last)
        return Error::from_errno(EINVAL);
    Vector<RefPtr<OpenFile>> closing; // released after the lock
    MutexGuard guard(m_lock);
    if (!(flags & CLOSE_RANGE_CLOEXEC))
        TRY(closing.ensure_capacity(m_open));
    for (u64 fd = first; fd <= last && fd < m_slots.size(); fd++) {
        Slot& s = m_slots[fd];
        if (!s.file)
            continue;
        if (flags & CLOSE_RANGE_CLOEXEC) {
            s.cloexec = true;
            continue;
        }
        (void)closing.append(move(s.file));
        s.cloexec = false;
        m_open--;
    }
    return {};
}

u32 FdTable::limit() const
{
    MutexGuard guard(m_lock);
    return m_limit;
}

ErrorOr<void> FdTable::set_limit(u32 limit)
{
    if (limit > MAX_LIMIT)
        return Error::from_errno(EPERM);
    MutexGuard guard(m_lock);
    m_limit = limit;
    return {};
}

u32 FdTable::open_count() const
{
    MutexGuard guard(m_lock);
    return m_open;
}

u32 FdTable::capacity() const
{
    MutexGuard guard(m_lock);
    return static_cast<u32>(max<size_t>(m_slots.size(), 64));
}

} // namespace fs
