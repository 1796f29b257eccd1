// Provisional: no processes exist yet. proc/process.cpp replaces this file
// when the process table arrives; the interface stays.
#include <proc/process_info.hpp>

namespace proc {
ErrorOr<void> list_pids(Vector<i32>& out)
{
    out.clear();
    return {};
}
ErrorOr<void> get_info(i32, ProcessInfo&) { return Error::from_errno(ESRCH); }
ErrorOr<size_t> read_cmdline(i32, char*, size_t) { return Error::from_errno(ESRCH); }
i32 current_pid() { return 0; }
} // namespace proc
