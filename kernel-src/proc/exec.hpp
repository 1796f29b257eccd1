#pragma once
// execve: replaces a process's program. The new image (address space with
// the ELF segments and the initial stack) is built completely before
// anything of the old one is touched, so every failure (ENOENT, EACCES,
// ENOEXEC, E2BIG, ENOMEM) returns to the old program.
#include <lib/error_or.hpp>
#include <lib/ref_ptr.hpp>
#include <lib/vector.hpp>
#include <mm/page_source.hpp>
#include <proc/process.hpp>

namespace proc {

// Arguments or environment: strings copied into kernel memory.
class StringList {
public:
    ErrorOr<void> append(const char* s, size_t len);
    size_t count() const { return m_offsets.size(); }
    const char* at(size_t i) const { return m_bytes.data() + m_offsets[i]; }
    size_t bytes() const { return m_bytes.size(); }
    // Inserts at the front (interpreter scripts prepend their interpreter).
    ErrorOr<void> prepend(const char* s);
    void remove_first();

private:
    Vector<char> m_bytes;
    Vector<u32> m_offsets;
};

// Copies a user argv/envp array (NULL-terminated array of string pointers).
// E2BIG past ARG_MAX, EFAULT on bad pointers.
ErrorOr<void> copy_string_array(UserAddr array, StringList& out, size_t& total);

// Opens `path` for execution in process p's file context: ENOENT, ENOTDIR,
// EACCES (not a regular file, no execute permission), ... The file-system
// glue implements it (fs/exec_open.cpp).
ErrorOr<RefPtr<PageSource>> open_executable(Process* p, const char* path);
// The absolute path of `path` for /proc/PID/exe (the path itself when it
// cannot be resolved).
void executable_path(Process* p, const char* path, char* out, size_t size);

// Replaces p's program (p is the current process, or a process whose only
// thread has never run, for init). On success the thread's user frame
// enters the new program.
ErrorOr<void> execve(Process* p, const char* path, StringList& argv, StringList& envp);

// The name a program runs under (comm): the last component of its path.
const char* command_name(const char* path);

} // namespace proc
