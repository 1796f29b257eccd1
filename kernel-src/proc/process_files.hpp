#pragma once
// What process life-cycle code asks of the file system (fs/process_files.cpp
// implements it once the VFS exists): a new process's files, fork's copy,
// close-on-exec, and closing everything at exit.
#include <lib/error_or.hpp>

struct Process;

namespace proc {
// Files for the first process: fds 0-2 on the console when it exists, cwd /.
ErrorOr<void> init_files(Process* p);
// A child's files: the same open files (shared offsets), same cwd and umask.
ErrorOr<void> fork_files(Process* parent, Process* child);
void close_files_on_exec(Process* p);
// Closes every fd and drops cwd/root (exit; a pipe's reader then sees EOF).
void exit_files(Process* p);
// Wakes a vfork parent waiting for p to exec or exit.
void release_vfork_parent(Process* p);
} // namespace proc
