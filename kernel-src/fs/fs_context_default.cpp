// Provisional: every thread uses the kernel's file-system context. When
// processes arrive, proc/ defines current_fs_context() to return the
// calling process's FsContext (and the kernel's for kernel threads), and
// this file goes away; nothing else changes.
#include <fs/fs_context.hpp>

namespace fs {
FsContext& current_fs_context() { return kernel_fs_context(); }
} // namespace fs
