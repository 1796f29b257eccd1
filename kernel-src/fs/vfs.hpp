#pragma once
// The VFS: path lookup and the file operations that act on names (open,
// mkdir, unlink, rename, link, symlink, mount, ...) with Linux's semantics
// and errno values. The system calls (syscall/fs_*.cpp) are thin wrappers
// over these; kernel code (exec, the initrd, tests) calls them directly.
//
// Paths: '/' separated, at most PATH_MAX bytes with the NUL, components at
// most NAME_MAX bytes (ENAMETOOLONG). "." and ".." work everywhere; ".." at
// a mount's root continues in the parent mount, and "/.." is "/". Symlinks
// are followed in the middle of a path always, and at the end unless the
// caller asks not to; more than 40 in one lookup is ELOOP.
//
// Everything runs as root (uid 0): permission bits are stored and reported,
// access checks pass, except that execute permission needs an x bit on a
// regular file (as Linux grants root) and writes to a read-only mount are
// EROFS.
#include <fs/abi.hpp>
#include <fs/inode.hpp>
#include <fs/mount.hpp>
#include <fs/open_file.hpp>
#include <lib/text_buffer.hpp>

namespace fs {

struct FsContext;

// Where absolute paths ("/...") and relative ones start.
struct PathStart {
    Location root;
    Location base;
};
// The context's root and working directory.
PathStart start_at_cwd(FsContext& ctx);

enum ResolveFlags : u32 {
    FOLLOW_FINAL = 1,       // follow a symlink in the last component
    MUST_BE_DIRECTORY = 2,  // ENOTDIR unless the result is a directory
};

enum class LastComponent : u8 { Normal, Dot, DotDot, Root };

// A path split into its parent directory and last component, for the
// operations that create or remove names.
struct ParentAndName {
    Location parent;
    char name[NAME_MAX + 1];
    size_t length = 0;
    LastComponent kind = LastComponent::Normal;
    bool trailing_slash = false; // the path ended in '/' after the name
    StringView view() const { return StringView(name, length); }
};

// `links` counts symlinks followed so far when a lookup continues another
// (ELOOP past MAX_SYMLINKS); nullptr starts from zero.
ErrorOr<Location> resolve(const PathStart& start, const char* path, u32 flags, u32* links = nullptr);
ErrorOr<ParentAndName> resolve_parent(const PathStart& start, const char* path, u32* links = nullptr);
// ".." of a location (mount roots continue in the parent mount).
ErrorOr<Location> parent_of(const Location& loc, const Location& root);
// The absolute path of a directory location as seen from `root` (getcwd,
// /proc/mounts). ENOENT when it was removed.
ErrorOr<void> path_of(const Location& loc, const Location& root, TextBuffer& out);

namespace vfs {

// open(2) with `mode` already masked by the umask. O_CREAT, O_EXCL,
// O_TRUNC, O_DIRECTORY, O_NOFOLLOW, O_PATH and O_TMPFILE as Linux does them;
// O_CLOEXEC is the caller's (it belongs to the descriptor).
ErrorOr<RefPtr<OpenFile>> open(const PathStart& start, const char* path, u32 flags, u32 mode);
// For execve: opens a regular file for reading after check_exec.
ErrorOr<RefPtr<OpenFile>> open_for_exec(const PathStart& start, const char* path);
// EACCES unless `loc` is a regular file with an execute bit on a mount that
// allows execution (what execve needs even as root).
ErrorOr<void> check_exec(const Location& loc);
// The canonical absolute path of what `path` names, every symlink
// followed (realpath(3)); for /proc/PID/exe, which execve records.
ErrorOr<void> real_path(const PathStart& start, const char* path, TextBuffer& out);
// Reads up to `size` bytes at `offset` into kernel memory (exec, tests).
ErrorOr<size_t> read_kernel(OpenFile& file, u64 offset, void* buf, size_t size);

ErrorOr<void> mkdir(const PathStart& start, const char* path, u32 mode);
// Regular files, device nodes, FIFOs, sockets (`mode` carries the type).
ErrorOr<void> mknod(const PathStart& start, const char* path, u32 mode, DeviceNumber dev);
ErrorOr<void> unlink(const PathStart& start, const char* path);
ErrorOr<void> rmdir(const PathStart& start, const char* path);
ErrorOr<void> rename(const PathStart& old_start, const char* old_path, const PathStart& new_start,
                     const char* new_path, u32 flags);
// Links the inode at `target` (already resolved) as new_path.
ErrorOr<void> link(const Location& target, const PathStart& new_start, const char* new_path);
ErrorOr<void> symlink(const char* target, const PathStart& start, const char* path);
ErrorOr<size_t> readlink(const Location& loc, char* buf, size_t size);

ErrorOr<void> truncate(const Location& loc, i64 length);
ErrorOr<void> change_attributes(const Location& loc, const AttributeChange& change);
// access(2)/faccessat2: `mode` is F_OK or R_OK|W_OK|X_OK.
ErrorOr<void> access(const Location& loc, i32 mode);
ErrorOr<void> statfs(const Location& loc, LinuxStatfs& out);
ErrorOr<void> chdir(FsContext& ctx, const Location& loc);

// mount(2) for the file systems the kernel has (tmpfs, proc, devtmpfs) and
// remounts; umount2(2).
ErrorOr<void> mount(const PathStart& start, const char* source, const char* target, const char* type, u64 flags,
                    const char* data);
ErrorOr<void> umount(const PathStart& start, const char* target, i32 flags);
// Names for /proc/filesystems: each line "nodev\t<name>".
size_t filesystem_types(const char** out, size_t max);

} // namespace vfs
} // namespace fs

struct BootInfo;
namespace fs::vfs {
// Mounts the file systems at boot: the initrd's rootfs read-only at /,
// devtmpfs at /dev, proc at /proc, tmpfs at /tmp (one log line each, with
// figures), and points the kernel's context at /. Panics when / cannot be
// mounted at all.
void init(const BootInfo& boot);
} // namespace fs::vfs
