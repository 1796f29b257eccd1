// Until the VFS exists: processes have no files. fs/process_files.cpp
// replaces this file.
#include <proc/process_files.hpp>

namespace proc {
ErrorOr<void> init_files(Process*) { return {}; }
ErrorOr<void> fork_files(Process*, Process*) { return {}; }
void close_files_on_exec(Process*) {}
void exit_files(Process*) {}
} // namespace proc
