#pragma once
// A process's file descriptor table: small integers naming OpenFiles, plus
// the close-on-exec flag of each descriptor. New descriptors take the lowest
// free number; the table grows on demand up to its limit (RLIMIT_NOFILE,
// default 1024; EMFILE beyond). Thread-safe: one Mutex, never held while an
// OpenFile does I/O or is released (callers get a RefPtr and let go of the
// table first).
#include <fs/open_file.hpp>
#include <lib/vector.hpp>
#include <proc/mutex.hpp>

namespace fs {

class FdTable {
public:
    static constexpr u32 DEFAULT_LIMIT = 1024;
    // The most RLIMIT_NOFILE may be raised to (Linux's fs.nr_open default).
    static constexpr u32 MAX_LIMIT = 1024 * 1024;

    FdTable() = default;
    FdTable(const FdTable&) = delete;
    FdTable& operator=(const FdTable&) = delete;
    ~FdTable() { close_all(); }

    // Installs `file` at the lowest free descriptor >= min_fd.
    // EMFILE when none is free below the limit; EINVAL when min_fd is at or
    // beyond the limit (F_DUPFD's rule).
    ErrorOr<i32> install(RefPtr<OpenFile> file, bool cloexec, i32 min_fd = 0);
    // EBADF when fd is not open.
    ErrorOr<RefPtr<OpenFile>> get(i32 fd) const;
    ErrorOr<void> close(i32 fd);

    // dup(2), F_DUPFD / F_DUPFD_CLOEXEC, dup2(2), dup3(2) with Linux's rules
    // (dup2 of an fd to itself returns it; dup3 then says EINVAL; newfd out
    // of range is EBADF; an open newfd is closed first, atomically).
    ErrorOr<i32> dup(i32 fd, i32 min_fd = 0, bool cloexec = false);
    ErrorOr<i32> dup2(i32 oldfd, i32 newfd);
    ErrorOr<i32> dup3(i32 oldfd, i32 newfd, u32 flags);

    ErrorOr<bool> cloexec(i32 fd) const;
    ErrorOr<void> set_cloexec(i32 fd, bool on);

    // fork: makes this (empty) table a copy of `other`, sharing its open
    // files and keeping each descriptor's close-on-exec flag and the limit.
    ErrorOr<void> clone_from(const FdTable& other);
    // execve: closes every close-on-exec descriptor.
    void close_on_exec();
    // exit: closes everything.
    void close_all();
    // close_range(2): CLOSE_RANGE_CLOEXEC marks instead of closing.
    // (CLOSE_RANGE_UNSHARE is the caller's: it concerns sharing the table.)
    ErrorOr<void> close_range(u32 first, u32 last, u32 flags);

    u32 limit() const;
    // setrlimit(RLIMIT_NOFILE): EPERM above MAX_LIMIT. Descriptors already
    // above a lowered limit stay open (as on Linux).
    ErrorOr<void> set_limit(u32 limit);
    // Open descriptors, and the table's current capacity (/proc FDSize).
    u32 open_count() const;
    u32 capacity() const;
    // Calls fn(fd, file) for each open descriptor, in order, on a snapshot.
    template <typename F> ErrorOr<void> for_each(F fn) const;

private:
    struct Slot {
        RefPtr<OpenFile> file;
        bool cloexec = false;
    };
    // Call with m_lock held.
    ErrorOr<void> grow_locked(size_t wanted);
    i64 lowest_free_locked(u32 min_fd) const;

    mutable Mutex m_lock;
    Vector<Slot> m_slots;
    u32 m_limit = DEFAULT_LIMIT;
    u32 m_open = 0;
};

template <typename F> ErrorOr<void> FdTable::for_each(F fn) const
{
    Vector<RefPtr<OpenFile>> files;
    Vector<i32> fds;
    {
        MutexGuard guard(m_lock);
        TRY(files.ensure_capacity(m_open));
        TRY(fds.ensure_capacity(m_open));
        for (size_t i = 0; i < m_slots.size(); i++) {
            if (m_slots[i].file) {
                (void)files.append(m_slots[i].file);
                (void)fds.append(static_cast<i32>(i));
            }
        }
    }
    for (size_t i = 0; i < fds.size(); i++)
        fn(fds[i], *files[i]);
    return {};
}

} // namespace fs
