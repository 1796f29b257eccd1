#pragma once
// procfs: /proc in Linux's formats (see formats.hpp for the files' text).
//
//   /proc/{cpuinfo,filesystems,loadavg,meminfo,mounts,schedstat,stat,uptime,version}
//   /proc/self -> PID of the caller (proc::current_pid; ENOENT outside a process)
//   /proc/PID/{cmdline,comm,exe,mounts,stat,statm,status}
//
// Processes are read through proc/process_info.hpp, CPU time through
// kernel/cpu_stats.hpp, memory through the PMM, the heap and
// mm/accounting.hpp.
#include <fs/inode.hpp>

namespace procfs {
// A new procfs instance; returns its root.
ErrorOr<RefPtr<fs::Inode>> create();
} // namespace procfs
