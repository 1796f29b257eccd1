#pragma once
// The file-system state of a process: its descriptor table, working
// directory, root directory and umask. A process holds one FsContext that
// its threads share; fork gives the child a clone (sharing the open files).
//
// current_fs_context() is the calling thread's context. The process code
// defines it for threads that belong to a process; until then, and for
// kernel threads and the KTAP tests, it is the kernel's own context
// (fs/fs_context_default.cpp, which proc/ replaces).
#include <fs/fd_table.hpp>
#include <fs/mount.hpp>
#include <lib/atomic.hpp>
#include <proc/mutex.hpp>

namespace fs {

struct FsContext {
    FdTable fds;
    Atomic<u32> umask { 022 };

    FsContext() = default;
    FsContext(const FsContext&) = delete;
    FsContext& operator=(const FsContext&) = delete;

    Location cwd() const;
    Location root() const;
    void set_cwd(Location loc);
    void set_root(Location loc);

    // fork: a new context with a copy of the descriptor table (same open
    // files), the same directories and umask. ENOMEM.
    ErrorOr<FsContext*> clone() const;

private:
    mutable Mutex m_lock; // guards m_cwd and m_root
    Location m_cwd;
    Location m_root;
};

FsContext& current_fs_context();
// The kernel's context (root and cwd "/" once vfs::init has mounted it).
FsContext& kernel_fs_context();

} // namespace fs
