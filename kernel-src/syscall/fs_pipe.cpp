// pipe and pipe2.
#include <fs/fs_context.hpp>
#include <fs/pipe.hpp>
#include <syscalls.hpp>

using namespace fs;

ErrorOr<i64> sys_pipe2(UserAddr pipefd, i32 flags)
{
    if (static_cast<u32>(flags) & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
        return Error::from_errno(EINVAL);
    PipeEnds ends = TRY(create_pipe(static_cast<u32>(flags)));
    FsContext& ctx = current_fs_context();
    bool cloexec = static_cast<u32>(flags) & O_CLOEXEC;
    i32 fds[2];
    fds[0] = TRY(ctx.fds.install(ends.read, cloexec));
    auto second = ctx.fds.install(ends.write, cloexec);
    if (second.is_error()) {
        (void)ctx.fds.close(fds[0]);
        return second.release_error();
    }
    fds[1] = second.value();
    auto copied = copy_to_user(pipefd, fds, sizeof(fds));
    if (copied.is_error()) {
        (void)ctx.fds.close(fds[0]);
        (void)ctx.fds.close(fds[1]);
        return copied.release_error();
    }
    return 0;
}

ErrorOr<i64> sys_pipe(UserAddr pipefd) { return sys_pipe2(pipefd, 0); }
