// Process system calls: identity, fork/vfork/clone, execve, exit, wait4,
// process groups and sessions, limits, TLS and thread-id bookkeeping.
#include <arch/arch.hpp>
#include <arch/user.hpp>
#include <kernel/percpu.hpp>
#include <lib/string.hpp>
#include <mm/heap.hpp>
#include <proc/exec.hpp>
#include <proc/process.hpp>
#include <proc/sched.hpp>
#include <fs/fs_context.hpp>
#include <syscalls.hpp>

namespace {
Process* self() { return proc::current_process(); }
constexpr size_t PATH_MAX = 4096;
} // namespace

ErrorOr<i64> sys_getpid() { return self()->pid; }
ErrorOr<i64> sys_gettid() { return sched::current()->tid; }

ErrorOr<i64> sys_getppid()
{
    SpinlockGuard guard(proc::table_lock());
    Process* parent = self()->parent;
    return parent ? parent->pid : 0;
}

ErrorOr<i64> sys_getuid() { return self()->uid; }
ErrorOr<i64> sys_geteuid() { return self()->uid; }
ErrorOr<i64> sys_getgid() { return self()->gid; }
ErrorOr<i64> sys_getegid() { return self()->gid; }

// Everything runs as root, which may become anyone.
ErrorOr<i64> sys_setuid(u32 uid)
{
    self()->uid = uid;
    return 0;
}
ErrorOr<i64> sys_setgid(u32 gid)
{
    self()->gid = gid;
    return 0;
}

ErrorOr<i64> sys_getresuid(UserAddr ruid, UserAddr euid, UserAddr suid)
{
    u32 id = self()->uid;
    TRY(put_user<u32>(ruid, id));
    TRY(put_user<u32>(euid, id));
    TRY(put_user<u32>(suid, id));
    return 0;
}

ErrorOr<i64> sys_getresgid(UserAddr rgid, UserAddr egid, UserAddr sgid)
{
    u32 id = self()->gid;
    TRY(put_user<u32>(rgid, id));
    TRY(put_user<u32>(egid, id));
    TRY(put_user<u32>(sgid, id));
    return 0;
}

ErrorOr<i64> sys_getgroups(i32 size, UserAddr list)
{
    if (size < 0)
        return Error::from_errno(EINVAL);
    UNUSED(list);
    return 0; // no supplementary groups
}

ErrorOr<i64> sys_fork(TrapFrame& frame)
{
    proc::CloneArgs args;
    args.flags = SIGCHLD;
    return proc::clone(frame, args);
}

ErrorOr<i64> sys_vfork(TrapFrame& frame)
{
    proc::CloneArgs args;
    args.flags = 0x100 /* CLONE_VM */ | 0x4000 /* CLONE_VFORK */ | SIGCHLD;
    return proc::clone(frame, args);
}

ErrorOr<i64> sys_clone(TrapFrame& frame, u64 flags, UserAddr stack, UserAddr parent_tid, UserAddr child_tid, u64 tls)
{
    // x86-64 argument order: flags, stack, parent_tid, child_tid, tls.
    proc::CloneArgs args { flags, stack, parent_tid, child_tid, tls };
    return proc::clone(frame, args);
}

ErrorOr<i64> sys_execve(TrapFrame&, UserAddr pathname, UserAddr argv, UserAddr envp)
{
    char* path = static_cast<char*>(heap::alloc(PATH_MAX));
    if (!path)
        return Error::from_errno(ENOMEM);
    struct Free {
        char* p;
        ~Free() { heap::free(p); }
    } free_path { path };
    auto len = strncpy_from_user(path, pathname, PATH_MAX);
    if (len.is_error())
        return len.release_error();
    if (len.value() == 0)
        return Error::from_errno(ENOENT);
    proc::StringList args, env;
    size_t total = 0;
    TRY(proc::copy_string_array(argv, args, total));
    TRY(proc::copy_string_array(envp, env, total));
    TRY(proc::execve(self(), path, args, env));
    return 0;
}

ErrorOr<i64> sys_exit(i32 status) { proc::exit_process((status & 0xff) << 8); }
ErrorOr<i64> sys_exit_group(i32 status) { proc::exit_process((status & 0xff) << 8); }

ErrorOr<i64> sys_wait4(i32 pid, UserAddr status, i32 options, UserAddr rusage)
{
    return proc::wait(pid, status, options, rusage);
}

ErrorOr<i64> sys_setpgid(i32 pid, i32 pgid)
{
    if (pgid < 0)
        return Error::from_errno(EINVAL);
    Process* me = self();
    SpinlockGuard guard(proc::table_lock());
    Process* target = pid == 0 ? me : proc::find_locked(pid);
    if (!target || (target != me && target->parent != me))
        return Error::from_errno(ESRCH);
    if (target->sid != me->sid)
        return Error::from_errno(EPERM);
    if (target->pid == target->sid)
        return Error::from_errno(EPERM); // a session leader keeps its group
    if (pgid == 0)
        pgid = target->pid;
    if (pgid != target->pid) {
        // Joining an existing group: it must be in the same session.
        bool ok = false;
        for (Process& p : proc::table_locked()) {
            if (p.pgid == pgid && p.sid == me->sid && p.state == ProcessState::Alive) {
                ok = true;
                break;
            }
        }
        if (!ok)
            return Error::from_errno(EPERM);
    }
    target->pgid = pgid;
    return 0;
}

ErrorOr<i64> sys_getpgid(i32 pid)
{
    SpinlockGuard guard(proc::table_lock());
    Process* p = pid == 0 ? self() : proc::find_locked(pid);
    if (!p)
        return Error::from_errno(ESRCH);
    return p->pgid;
}

ErrorOr<i64> sys_getpgrp() { return sys_getpgid(0); }

ErrorOr<i64> sys_getsid(i32 pid)
{
    SpinlockGuard guard(proc::table_lock());
    Process* p = pid == 0 ? self() : proc::find_locked(pid);
    if (!p)
        return Error::from_errno(ESRCH);
    return p->sid;
}

ErrorOr<i64> sys_setsid()
{
    Process* me = self();
    SpinlockGuard guard(proc::table_lock());
    // A process group leader cannot start a session (its group would split).
    for (Process& p : proc::table_locked()) {
        if (p.pgid == me->pid && p.state == ProcessState::Alive)
            return Error::from_errno(EPERM);
    }
    me->sid = me->pgid = me->pid;
    me->ctty = nullptr; // a new session has no controlling terminal yet
    return me->sid;
}

ErrorOr<i64> sys_set_tid_address(UserAddr tidptr)
{
    sched::current()->clear_child_tid = tidptr;
    return sched::current()->tid;
}

ErrorOr<i64> sys_set_robust_list(UserAddr head, u64 len)
{
    // struct robust_list_head is 24 bytes; the list matters only for
    // threads dying with futexes held, and there are no threads.
    if (len != 24)
        return Error::from_errno(EINVAL);
    UNUSED(head);
    return 0;
}

ErrorOr<i64> sys_arch_prctl(i32 code, u64 addr)
{
    constexpr i32 ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;
    Thread* t = sched::current();
    switch (code) {
    case ARCH_SET_FS:
        if (addr >= uaccess::USER_SPACE_END)
            return Error::from_errno(EPERM);
        arch::set_user_fs_base(*t, addr);
        return 0;
    case ARCH_GET_FS:
        TRY(put_user<u64>(addr, t->fs_base));
        return 0;
    case ARCH_SET_GS:
    case ARCH_GET_GS:
        // The user GS base is not kept across switches here.
        return Error::from_errno(EINVAL);
    default:
        return Error::from_errno(EINVAL);
    }
}

ErrorOr<i64> sys_prctl(i32 option, u64 arg2, u64, u64, u64)
{
    constexpr i32 PR_SET_NAME = 15, PR_GET_NAME = 16, PR_SET_PDEATHSIG = 1, PR_GET_DUMPABLE = 3,
                  PR_SET_DUMPABLE = 4;
    Process* p = self();
    switch (option) {
    case PR_SET_NAME: {
        char name[16];
        auto len = strncpy_from_user(name, arg2, sizeof(name));
        if (len.is_error() && len.error().code() != ENAMETOOLONG)
            return len.release_error();
        name[15] = 0;
        SpinlockGuard guard(proc::table_lock());
        strlcpy(p->comm, name, sizeof(p->comm));
        thread::set_name(p->thread, name);
        return 0;
    }
    case PR_GET_NAME: {
        char name[16];
        {
            SpinlockGuard guard(proc::table_lock());
            memcpy(name, p->comm, sizeof(name));
        }
        TRY(copy_to_user(arg2, name, sizeof(name)));
        return 0;
    }
    case PR_SET_PDEATHSIG:
    case PR_SET_DUMPABLE:
        return 0;
    case PR_GET_DUMPABLE:
        return 1;
    default:
        return Error::from_errno(EINVAL);
    }
}

namespace {
struct Rlimit64 {
    u64 cur, max;
};
} // namespace

ErrorOr<i64> sys_prlimit64(i32 pid, i32 resource, UserAddr new_limit, UserAddr old_limit)
{
    if (resource < 0 || resource >= static_cast<i32>(RLIMIT_COUNT))
        return Error::from_errno(EINVAL);
    Rlimit64 fresh {};
    if (new_limit) {
        TRY(copy_from_user(&fresh, new_limit, sizeof(fresh)));
        if (fresh.cur > fresh.max)
            return Error::from_errno(EINVAL);
        if (resource == RLIMIT_NOFILE && fresh.max > 1024 * 1024)
            return Error::from_errno(EPERM); // above fs.nr_open
    }
    Rlimit64 old;
    {
        SpinlockGuard guard(proc::table_lock());
        Process* p = pid == 0 ? self() : proc::find_locked(pid);
        if (!p || p->state != ProcessState::Alive)
            return Error::from_errno(ESRCH);
        ResourceLimit& limit = p->limits[resource];
        old = { limit.cur, limit.max };
        if (new_limit)
            limit = { fresh.cur, fresh.max };
    }
    if (new_limit && resource == RLIMIT_NOFILE) {
        // The descriptor table enforces it (EMFILE). Only our own table:
        // another process's is not ours to touch without its lock order.
        Process* me = self();
        if (pid == 0 || pid == me->pid)
            TRY(me->fs->fds.set_limit(static_cast<u32>(min<u64>(fresh.cur, fs::FdTable::MAX_LIMIT))));
    }
    if (old_limit)
        TRY(copy_to_user(old_limit, &old, sizeof(old)));
    return 0;
}

ErrorOr<i64> sys_getrlimit(i32 resource, UserAddr rlim) { return sys_prlimit64(0, resource, 0, rlim); }
ErrorOr<i64> sys_setrlimit(i32 resource, UserAddr rlim)
{
    if (!rlim)
        return Error::from_errno(EFAULT);
    return sys_prlimit64(0, resource, rlim, 0);
}
