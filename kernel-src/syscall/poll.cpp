// poll, ppoll, select, pselect6: one loop over the files' FileOps::poll,
// sleeping on the shared poll queue (fs/poll.hpp) between checks.
#include <fs/fs_context.hpp>
#include <fs/poll.hpp>
#include <kernel/time.hpp>
#include <lib/vector.hpp>
#include <proc/process.hpp>
#include <proc/sched.hpp>
#include <syscalls.hpp>

using namespace fs;

namespace {

struct PollFd {
    i32 fd;
    i16 events;
    i16 revents;
};
static_assert(sizeof(PollFd) == 8);

constexpr u64 NS = 1000000000ull;
constexpr u64 NO_DEADLINE = ~0ull;

// Fills revents; returns how many entries have something.
u32 check(PollFd* fds, size_t n)
{
    FsContext& ctx = current_fs_context();
    u32 ready = 0;
    for (size_t i = 0; i < n; i++) {
        fds[i].revents = 0;
        if (fds[i].fd < 0)
            continue;
        auto file = ctx.fds.get(fds[i].fd);
        if (file.is_error()) {
            fds[i].revents = static_cast<i16>(POLLNVAL);
        } else {
            u32 ev = file.value()->ops().poll(*file.value());
            // POLLERR, POLLHUP and POLLNVAL are reported whether asked or not.
            fds[i].revents = static_cast<i16>(ev & (static_cast<u16>(fds[i].events) | POLLERR | POLLHUP | POLLNVAL));
        }
        if (fds[i].revents)
            ready++;
    }
    return ready;
}

// The shared loop. deadline: NO_DEADLINE waits forever, 0 checks once.
// EINTR when a signal arrives first (poll is never restarted, as Linux's
// ERESTARTNOHAND with a handler).
ErrorOr<u32> wait_for(PollFd* fds, size_t n, u64 deadline)
{
    for (;;) {
        u64 seen = poll_generation().load();
        u32 ready = check(fds, n);
        if (ready || deadline == 0 || (deadline != NO_DEADLINE && time::since_boot_ns() >= deadline))
            return ready;
        auto waited = poll_waiters().wait_until([seen] { return poll_generation().load() != seen; }, true,
                                                deadline == NO_DEADLINE ? 0 : deadline);
        if (waited.is_error()) {
            if (waited.error().code() == ETIMEDOUT)
                return check(fds, n);
            return Error::from_errno(EINTR);
        }
    }
}

u64 deadline_after_ns(u64 ns)
{
    u64 now = time::since_boot_ns();
    return ns > NO_DEADLINE - now - 1 ? NO_DEADLINE : now + ns;
}

ErrorOr<i64> poll_common(UserAddr ufds, u32 nfds, u64 deadline)
{
    if (nfds > proc::file_limit())
        return Error::from_errno(EINVAL);
    Vector<PollFd> fds;
    TRY(fds.ensure_capacity(nfds));
    for (u32 i = 0; i < nfds; i++) {
        PollFd p = TRY(get_user<PollFd>(ufds + i * sizeof(PollFd)));
        TRY(fds.append(p));
    }
    u32 ready = TRY(wait_for(fds.data(), nfds, deadline));
    for (u32 i = 0; i < nfds; i++)
        TRY(put_user<i16>(ufds + i * sizeof(PollFd) + 6, fds[i].revents));
    return static_cast<i64>(ready);
}

// Runs `body` with the signal mask from a user sigset (ppoll, pselect6),
// restored afterwards unless a handler will run (then the signal frame
// restores it, as rt_sigsuspend).
template <typename F> ErrorOr<i64> with_mask(UserAddr sigmask, u64 sigsetsize, F body)
{
    if (!sigmask)
        return body();
    if (sigsetsize != 8)
        return Error::from_errno(EINVAL);
    u64 mask = TRY(get_user<u64>(sigmask));
    Thread* t = sched::current();
    u64 old = t->sig_blocked;
    t->sig_blocked = mask & ~UNBLOCKABLE;
    auto result = body();
    if (result.is_error() && result.error().code() == EINTR) {
        t->sig_saved_mask = old;
        t->sig_restore_mask = true;
    } else {
        t->sig_blocked = old;
    }
    return result;
}

ErrorOr<u64> timespec_deadline(UserAddr ts)
{
    if (!ts)
        return NO_DEADLINE;
    i64 v[2];
    TRY(copy_from_user(v, ts, sizeof(v)));
    if (v[0] < 0 || v[1] < 0 || v[1] >= static_cast<i64>(NS))
        return Error::from_errno(EINVAL);
    return deadline_after_ns(static_cast<u64>(v[0]) * NS + static_cast<u64>(v[1]));
}

// select's bitmaps to poll entries and back.
ErrorOr<i64> select_common(i32 nfds, UserAddr readfds, UserAddr writefds, UserAddr exceptfds, u64 deadline)
{
    if (nfds < 0 || nfds > 1024)
        return Error::from_errno(EINVAL);
    size_t bytes = align_up(static_cast<u64>(nfds), 64) / 8;
    u64 in[16] = {}, out[16] = {}, ex[16] = {};
    if (readfds)
        TRY(copy_from_user(in, readfds, bytes));
    if (writefds)
        TRY(copy_from_user(out, writefds, bytes));
    if (exceptfds)
        TRY(copy_from_user(ex, exceptfds, bytes));
    Vector<PollFd> fds;
    for (i32 fd = 0; fd < nfds; fd++) {
        u64 bit = 1ull << (fd % 64);
        i16 events = 0;
        if (in[fd / 64] & bit)
            events |= POLLIN;
        if (out[fd / 64] & bit)
            events |= POLLOUT;
        if (ex[fd / 64] & bit)
            events |= POLLPRI;
        if (events)
            TRY(fds.append(PollFd { fd, events, 0 }));
    }
    // A bad descriptor in the sets is EBADF for select (not POLLNVAL).
    FsContext& ctx = current_fs_context();
    for (PollFd& p : fds) {
        if (ctx.fds.get(p.fd).is_error())
            return Error::from_errno(EBADF);
    }
    TRY(wait_for(fds.data(), fds.size(), deadline));
    u64 rin[16] = {}, rout[16] = {}, rex[16] = {};
    i64 count = 0;
    for (PollFd& p : fds) {
        u64 bit = 1ull << (p.fd % 64);
        u32 r = static_cast<u16>(p.revents);
        if ((p.events & POLLIN) && (r & (POLLIN | POLLHUP | POLLERR)))
            rin[p.fd / 64] |= bit, count++;
        if ((p.events & POLLOUT) && (r & (POLLOUT | POLLERR)))
            rout[p.fd / 64] |= bit, count++;
        if ((p.events & POLLPRI) && (r & POLLPRI))
            rex[p.fd / 64] |= bit, count++;
    }
    if (readfds)
        TRY(copy_to_user(readfds, rin, bytes));
    if (writefds)
        TRY(copy_to_user(writefds, rout, bytes));
    if (exceptfds)
        TRY(copy_to_user(exceptfds, rex, bytes));
    return count;
}

} // namespace

ErrorOr<i64> sys_poll(UserAddr fds, u32 nfds, i32 timeout)
{
    u64 deadline = timeout < 0 ? NO_DEADLINE : deadline_after_ns(static_cast<u64>(timeout) * 1000000);
    if (timeout == 0)
        deadline = 0;
    return poll_common(fds, nfds, deadline);
}

ErrorOr<i64> sys_ppoll(UserAddr fds, u32 nfds, UserAddr tmo, UserAddr sigmask, u64 sigsetsize)
{
    u64 deadline = TRY(timespec_deadline(tmo));
    return with_mask(sigmask, sigsetsize, [&] { return poll_common(fds, nfds, deadline); });
}

ErrorOr<i64> sys_select(i32 nfds, UserAddr readfds, UserAddr writefds, UserAddr exceptfds, UserAddr timeout)
{
    u64 deadline = NO_DEADLINE;
    if (timeout) {
        i64 tv[2];
        TRY(copy_from_user(tv, timeout, sizeof(tv)));
        if (tv[0] < 0 || tv[1] < 0 || tv[1] >= 1000000)
            return Error::from_errno(EINVAL);
        deadline = deadline_after_ns(static_cast<u64>(tv[0]) * NS + static_cast<u64>(tv[1]) * 1000);
        if (tv[0] == 0 && tv[1] == 0)
            deadline = 0;
    }
    i64 r = TRY(select_common(nfds, readfds, writefds, exceptfds, deadline));
    if (timeout && deadline != NO_DEADLINE) {
        // Linux writes back the time left.
        u64 now = time::since_boot_ns();
        u64 left = deadline > now ? deadline - now : 0;
        i64 tv[2] = { static_cast<i64>(left / NS), static_cast<i64>(left % NS / 1000) };
        (void)copy_to_user(timeout, tv, sizeof(tv));
    }
    return r;
}

ErrorOr<i64> sys_pselect6(i32 nfds, UserAddr readfds, UserAddr writefds, UserAddr exceptfds, UserAddr timeout,
                          UserAddr sigmask)
{
    u64 deadline = TRY(timespec_deadline(timeout));
    // The sixth argument points at { const sigset_t* ss; size_t ss_len; }.
    u64 mask_ptr = 0, mask_size = 8;
    if (sigmask) {
        u64 pair[2];
        TRY(copy_from_user(pair, sigmask, sizeof(pair)));
        mask_ptr = pair[0];
        mask_size = pair[1];
    }
    return with_mask(mask_ptr, mask_size,
                     [&] { return select_common(nfds, readfds, writefds, exceptfds, deadline); });
}
