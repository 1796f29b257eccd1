// vfs: path lookup (., .., mounts crossed both ways, symlinks and ELOOP,
// ENAMETOOLONG), the read-only root, Linux's errno for each misuse of a
// name operation, open flags, getcwd paths, umount while busy, exec checks.
#include <fs/tmpfs/tmpfs.hpp>
#include <mm/heap.hpp>
#include <tests/fs_test_util.hpp>

namespace {
using namespace fstest;

void lookup_dot_and_dotdot(KTest& t)
{
    ScratchDir d("lookup");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, vfs::mkdir(kstart(), d("a"), 0755));
    KTRY(t, vfs::mkdir(kstart(), d("a/b"), 0755));
    KTRY(t, write_file(d("a/b/f"), "x"));
    Location b = KTRY(t, resolve(kstart(), d("a/b"), FOLLOW_FINAL));
    Location same = KTRY(t, resolve(kstart(), d("a/./b/../b/."), FOLLOW_FINAL));
    KEXPECT(t, same.same_as(b));
    Location a = KTRY(t, resolve(kstart(), d("a"), FOLLOW_FINAL));
    PathStart from_a { kstart().root, a };
    Location rel = KTRY(t, resolve(from_a, "b//f", FOLLOW_FINAL));
    KEXPECT(t, rel.inode->is_regular());
    // "/.." is "/", and so is any number of them.
    Location root = MountTable::root();
    KEXPECT(t, KTRY(t, resolve(kstart(), "/..", FOLLOW_FINAL)).same_as(root));
    KEXPECT(t, KTRY(t, resolve(kstart(), "/../../..", FOLLOW_FINAL)).same_as(root));
    KEXPECT(t, KTRY(t, resolve(kstart(), "/tmp/..", FOLLOW_FINAL)).same_as(root));
    // A trailing slash needs a directory.
    KEXPECT_ERRNO(t, resolve(kstart(), d("a/b/f/"), FOLLOW_FINAL), ENOTDIR);
    KEXPECT_ERRNO(t, resolve(kstart(), d("a/b/f/."), FOLLOW_FINAL), ENOTDIR);
    KEXPECT_ERRNO(t, resolve(kstart(), d("a/missing/f"), FOLLOW_FINAL), ENOENT);
    KEXPECT_ERRNO(t, resolve(kstart(), "", FOLLOW_FINAL), ENOENT);
    KEXPECT_ERRNO(t, resolve(kstart(), d("a/b/f"), FOLLOW_FINAL | MUST_BE_DIRECTORY), ENOTDIR);
}

void mounts_are_crossed_both_ways(KTest& t)
{
    ScratchDir d("mounts");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, vfs::mkdir(kstart(), d("mnt"), 0755));
    KTRY(t, write_file(d("under"), "below the mount"));
    Location mnt_dir = KTRY(t, resolve(kstart(), d("mnt"), FOLLOW_FINAL));
    KTRY(t, vfs::mount(kstart(), "test", d("mnt"), "tmpfs", 0, "mode=700"));
    Location top = KTRY(t, resolve(kstart(), d("mnt"), FOLLOW_FINAL));
    // Down: the path now names the new file system's root.
    KEXPECT(t, top.mount != mnt_dir.mount);
    KEXPECT(t, top.mount->is_root_of(*top.inode));
    KEXPECT_EQ(t, top.inode->metadata().mode & 07777, 0700u);
    KEXPECT_STREQ(t, top.inode->fs().type_name(), "tmpfs");
    KTRY(t, write_file(d("mnt/inside"), "on the mount"));
    // Up: ".." at the mount's root is the directory holding the mount point.
    Location up = KTRY(t, resolve(kstart(), d("mnt/.."), FOLLOW_FINAL));
    Location scratch = KTRY(t, resolve(kstart(), d.path(), FOLLOW_FINAL));
    KEXPECT(t, up.same_as(scratch));
    KTRY(t, resolve(kstart(), d("mnt/../under"), FOLLOW_FINAL));
    // A mount point cannot go while mounted on.
    KEXPECT_ERRNO(t, vfs::rmdir(kstart(), d("mnt")), EBUSY);
    KEXPECT_ERRNO(t, vfs::rename(kstart(), d("mnt"), kstart(), d("moved"), 0), EBUSY);
    // Cross-mount rename and link are EXDEV.
    KEXPECT_ERRNO(t, vfs::rename(kstart(), d("under"), kstart(), d("mnt/under"), 0), EXDEV);
    Location under = KTRY(t, resolve(kstart(), d("under"), 0));
    KEXPECT_ERRNO(t, vfs::link(under, kstart(), d("mnt/hard")), EXDEV);
    top = {};
    up = {};
    KTRY(t, vfs::umount(kstart(), d("mnt"), 0));
    // The covered directory is back, empty.
    KEXPECT_ERRNO(t, resolve(kstart(), d("mnt/inside"), FOLLOW_FINAL), ENOENT);
    Location back = KTRY(t, resolve(kstart(), d("mnt"), FOLLOW_FINAL));
    KEXPECT(t, back.same_as(mnt_dir));
    KEXPECT_ERRNO(t, vfs::umount(kstart(), d("mnt"), 0), EINVAL); // not a mount any more
}

void umount_refuses_while_busy(KTest& t)
{
    ScratchDir d("busy");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, vfs::mkdir(kstart(), d("m"), 0755));
    KTRY(t, vfs::mount(kstart(), "none", d("m"), "tmpfs", 0, nullptr));
    KTRY(t, write_file(d("m/f"), "still here"));
    RefPtr<OpenFile> open = KTRY(t, vfs::open(kstart(), d("m/f"), O_RDONLY, 0));
    KEXPECT_ERRNO(t, vfs::umount(kstart(), d("m"), 0), EBUSY);
    // A lazy unmount detaches it; the open file keeps working.
    KTRY(t, vfs::umount(kstart(), d("m"), MNT_DETACH));
    KEXPECT_ERRNO(t, resolve(kstart(), d("m/f"), FOLLOW_FINAL), ENOENT);
    char buf[16] = {};
    KEXPECT_EQ(t, KTRY(t, open->read(IoBuffer::kernel(buf, sizeof(buf)))), 10u);
    KEXPECT_STREQ(t, buf, "still here");
    KEXPECT_ERRNO(t, vfs::umount(kstart(), "/", 0), EBUSY);
    KEXPECT_ERRNO(t, vfs::umount(kstart(), d("m"), 0x40), EINVAL);
}

void root_is_read_only(KTest& t)
{
    KEXPECT_ERRNO(t, vfs::mkdir(kstart(), "/newdir", 0755), EROFS);
    KEXPECT_ERRNO(t, vfs::open(kstart(), "/newfile", O_CREAT | O_WRONLY, 0644), EROFS);
    KEXPECT_ERRNO(t, vfs::symlink("x", kstart(), "/link"), EROFS);
    // Existing names: EEXIST comes before EROFS, as on Linux.
    KEXPECT_ERRNO(t, vfs::mkdir(kstart(), "/tmp", 0755), EEXIST);
    // Removing anything from / is EROFS before any other check.
    KEXPECT_ERRNO(t, vfs::rmdir(kstart(), "/tmp"), EROFS);
    KEXPECT_ERRNO(t, vfs::unlink(kstart(), "/nonexistent"), EROFS);
    Location root = MountTable::root();
    KEXPECT(t, root.mount->read_only());
    KEXPECT_ERRNO(t, vfs::access(root, W_OK), EROFS);
    KTRY(t, vfs::access(root, R_OK | X_OK));
    // The mount points are there, and mounted on.
    const char* mount_points[] = { "/dev", "/proc", "/tmp" };
    for (const char* mp : mount_points) {
        Location loc = KTRY(t, resolve(kstart(), mp, FOLLOW_FINAL));
        KEXPECT(t, loc.mount->is_root_of(*loc.inode));
        KEXPECT(t, !loc.mount->read_only());
    }
}

void symlinks_and_eloop(KTest& t)
{
    ScratchDir d("symlinks");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, vfs::mkdir(kstart(), d("dir"), 0755));
    KTRY(t, write_file(d("dir/file"), "content"));
    KTRY(t, vfs::symlink("dir", kstart(), d("rel")));
    char abs_target[128];
    format(abs_target, sizeof(abs_target), "%s/dir/file", d.path());
    KTRY(t, vfs::symlink(abs_target, kstart(), d("abs")));
    KTRY(t, vfs::symlink("nowhere", kstart(), d("dangling")));
    // In the middle of a path and at the end.
    KEXPECT(t, KTRY(t, resolve(kstart(), d("rel/file"), 0)).inode->is_regular());
    KEXPECT(t, KTRY(t, resolve(kstart(), d("abs"), FOLLOW_FINAL)).inode->is_regular());
    // Not at the end without FOLLOW_FINAL (lstat), unless a slash follows.
    KEXPECT(t, KTRY(t, resolve(kstart(), d("rel"), 0)).inode->is_symlink());
    KEXPECT(t, KTRY(t, resolve(kstart(), d("rel/"), 0)).inode->is_directory());
    KEXPECT_ERRNO(t, resolve(kstart(), d("dangling"), FOLLOW_FINAL), ENOENT);
    KEXPECT(t, KTRY(t, resolve(kstart(), d("dangling"), 0)).inode->is_symlink());
    // A relative target starts at the link's directory, across "..".
    KTRY(t, vfs::symlink("../dir/file", kstart(), d("dir/up")));
    KEXPECT(t, KTRY(t, resolve(kstart(), d("dir/up"), FOLLOW_FINAL)).inode->is_regular());
    // Two links pointing at each other.
    KTRY(t, vfs::symlink("loop2", kstart(), d("loop1")));
    KTRY(t, vfs::symlink("loop1", kstart(), d("loop2")));
    KEXPECT_ERRNO(t, resolve(kstart(), d("loop1"), FOLLOW_FINAL), ELOOP);
    KEXPECT_ERRNO(t, resolve(kstart(), d("loop1/x"), 0), ELOOP);
    // A chain of exactly 40 resolves; 41 is ELOOP (MAX_SYMLINKS).
    char name[32], target[32];
    for (int i = 1; i <= 41; i++) {
        format(name, sizeof(name), "c%d", i);
        if (i == 1)
            format(target, sizeof(target), "dir/file");
        else
            format(target, sizeof(target), "c%d", i - 1);
        KTRY(t, vfs::symlink(target, kstart(), d(name)));
    }
    KEXPECT(t, KTRY(t, resolve(kstart(), d("c40"), FOLLOW_FINAL)).inode->is_regular());
    KEXPECT_ERRNO(t, resolve(kstart(), d("c41"), FOLLOW_FINAL), ELOOP);
    char buf[64];
    Location link = KTRY(t, resolve(kstart(), d("rel"), 0));
    size_t n = KTRY(t, vfs::readlink(link, buf, sizeof(buf)));
    KEXPECT_EQ(t, n, 3u);
    KEXPECT(t, memcmp(buf, "dir", 3) == 0);
    Location file = KTRY(t, resolve(kstart(), d("dir/file"), 0));
    KEXPECT_ERRNO(t, vfs::readlink(file, buf, sizeof(buf)), EINVAL);
    KEXPECT_ERRNO(t, vfs::symlink("", kstart(), d("empty")), ENOENT);
    // realpath: every link followed, the canonical name of the target.
    TextBuffer real;
    KTRY(t, vfs::real_path(kstart(), d("c40"), real));
    KEXPECT_STREQ(t, real.c_str(), abs_target);
    KTRY(t, vfs::real_path(kstart(), d("rel/../rel/./file"), real));
    KEXPECT_STREQ(t, real.c_str(), abs_target);
    KTRY(t, vfs::real_path(kstart(), d("rel"), real));
    KEXPECT_STREQ(t, real.c_str(), d("dir"));
    KTRY(t, vfs::real_path(kstart(), "/tmp/..", real));
    KEXPECT_STREQ(t, real.c_str(), "/");
    KEXPECT_ERRNO(t, vfs::real_path(kstart(), d("dangling"), real), ENOENT);
    KEXPECT_ERRNO(t, vfs::real_path(kstart(), d("loop1"), real), ELOOP);
}

void names_too_long(KTest& t)
{
    ScratchDir d("names");
    KASSERT_TRUE(t, d.ok());
    char* path = static_cast<char*>(heap::alloc(PATH_MAX + 16));
    KASSERT_TRUE(t, path);
    // A 255-byte component is fine, 256 is ENAMETOOLONG.
    size_t base = format(path, PATH_MAX, "%s/", d.path());
    memset(path + base, 'n', 255);
    path[base + 255] = 0;
    KEXPECT(t, !write_file(path, "ok").is_error());
    path[base + 255] = 'n';
    path[base + 256] = 0;
    KEXPECT_ERRNO(t, vfs::open(kstart(), path, O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
    KEXPECT_ERRNO(t, resolve(kstart(), path, FOLLOW_FINAL), ENAMETOOLONG);
    // A path of PATH_MAX bytes (no room for the NUL) is too long; one
    // shorter is walked (and here not found).
    memset(path, 0, PATH_MAX + 16);
    for (size_t i = 0; i < PATH_MAX; i += 2) {
        path[i] = '/';
        path[i + 1] = 'x';
    }
    KEXPECT_ERRNO(t, resolve(kstart(), path, FOLLOW_FINAL), ENAMETOOLONG);
    path[PATH_MAX - 1] = 0;
    KEXPECT_ERRNO(t, resolve(kstart(), path, FOLLOW_FINAL), ENOENT);
    heap::free(path);
}

void errno_of_name_operations(KTest& t)
{
    ScratchDir d("errno");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, vfs::mkdir(kstart(), d("dir"), 0755));
    KTRY(t, vfs::mkdir(kstart(), d("full"), 0755));
    KTRY(t, write_file(d("full/f"), "x"));
    KTRY(t, write_file(d("file"), "x"));
    KEXPECT_ERRNO(t, vfs::mkdir(kstart(), d("dir"), 0755), EEXIST);
    KEXPECT_ERRNO(t, vfs::mkdir(kstart(), d("file/sub"), 0755), ENOTDIR);
    KEXPECT_ERRNO(t, vfs::mkdir(kstart(), d("nope/sub"), 0755), ENOENT);
    KEXPECT_ERRNO(t, vfs::mkdir(kstart(), d("dir/."), 0755), EEXIST);
    KEXPECT_ERRNO(t, vfs::rmdir(kstart(), d("full")), ENOTEMPTY);
    KEXPECT_ERRNO(t, vfs::rmdir(kstart(), d("file")), ENOTDIR);
    KEXPECT_ERRNO(t, vfs::rmdir(kstart(), d("dir/.")), EINVAL);
    KEXPECT_ERRNO(t, vfs::rmdir(kstart(), d("dir/..")), ENOTEMPTY);
    KEXPECT_ERRNO(t, vfs::rmdir(kstart(), d("gone")), ENOENT);
    KEXPECT_ERRNO(t, vfs::unlink(kstart(), d("dir")), EISDIR);
    KEXPECT_ERRNO(t, vfs::unlink(kstart(), d("file/")), ENOTDIR);
    KEXPECT_ERRNO(t, vfs::unlink(kstart(), d("gone")), ENOENT);
    KEXPECT_ERRNO(t, vfs::open(kstart(), d("dir"), O_WRONLY, 0), EISDIR);
    KEXPECT_ERRNO(t, vfs::open(kstart(), d("dir"), O_RDONLY | O_CREAT, 0644), EISDIR);
    KEXPECT_ERRNO(t, vfs::open(kstart(), d("file"), O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
    KEXPECT_ERRNO(t, vfs::open(kstart(), d("file"), O_RDONLY | O_DIRECTORY, 0), ENOTDIR);
    KEXPECT_ERRNO(t, vfs::open(kstart(), d("new/"), O_CREAT | O_WRONLY, 0644), EISDIR);
    KEXPECT_ERRNO(t, vfs::open(kstart(), d("file"), O_CREAT | O_DIRECTORY, 0644), EINVAL);
    // A directory cannot move below itself; a hard link to one is EPERM.
    KEXPECT_ERRNO(t, vfs::rename(kstart(), d("dir"), kstart(), d("dir/inner"), 0), EINVAL);
    KEXPECT_ERRNO(t, vfs::rename(kstart(), d("dir/."), kstart(), d("x"), 0), EBUSY);
    Location dir = KTRY(t, resolve(kstart(), d("dir"), 0));
    KEXPECT_ERRNO(t, vfs::link(dir, kstart(), d("dirlink")), EPERM);
    Location file = KTRY(t, resolve(kstart(), d("file"), 0));
    KEXPECT_ERRNO(t, vfs::link(file, kstart(), d("dir")), EEXIST);
    KEXPECT_ERRNO(t, vfs::rename(kstart(), d("file"), kstart(), d("x"), 8), EINVAL);
    KEXPECT_ERRNO(t, vfs::rename(kstart(), d("file"), kstart(), d("x"), RENAME_NOREPLACE | RENAME_EXCHANGE), EINVAL);
    KEXPECT_ERRNO(t, vfs::truncate(dir, 0), EISDIR);
    KEXPECT_ERRNO(t, vfs::truncate(file, -1), EINVAL);
    KEXPECT_ERRNO(t, vfs::mount(kstart(), "x", d("dir"), "ext4", 0, nullptr), ENODEV);
    KEXPECT_ERRNO(t, vfs::mount(kstart(), "x", d("file"), "tmpfs", 0, nullptr), ENOTDIR);
}

void open_flags(KTest& t)
{
    ScratchDir d("open");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, write_file(d("f"), "0123456789"));
    KTRY(t, vfs::symlink("f", kstart(), d("link")));
    KTRY(t, vfs::symlink("created", kstart(), d("dangling")));
    // O_NOFOLLOW on a symlink: ELOOP; O_PATH|O_NOFOLLOW opens the link.
    KEXPECT_ERRNO(t, vfs::open(kstart(), d("link"), O_RDONLY | O_NOFOLLOW, 0), ELOOP);
    RefPtr<OpenFile> path_only = KTRY(t, vfs::open(kstart(), d("link"), O_PATH | O_NOFOLLOW, 0));
    KEXPECT(t, path_only->inode().is_symlink());
    char buf[16];
    KEXPECT_ERRNO(t, path_only->read(IoBuffer::kernel(buf, 4)), EBADF);
    // O_CREAT|O_EXCL never follows; O_CREAT alone creates a dangling link's target.
    KEXPECT_ERRNO(t, vfs::open(kstart(), d("dangling"), O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
    KTRY(t, vfs::open(kstart(), d("dangling"), O_CREAT | O_WRONLY, 0600));
    Metadata created = KTRY(t, stat_path(d("created")));
    KEXPECT_EQ(t, created.mode, S_IFREG | 0600u);
    // O_TRUNC empties; O_APPEND writes at the end whatever the offset.
    RefPtr<OpenFile> f = KTRY(t, vfs::open(kstart(), d("f"), O_RDWR | O_APPEND, 0));
    KEXPECT_EQ(t, f->flags() & (O_ACCMODE | O_APPEND), O_RDWR | O_APPEND);
    KTRY(t, f->seek(0, SEEK_SET));
    KTRY(t, f->write(IoBuffer::kernel(const_cast<char*>("AB"), 2)));
    KEXPECT_EQ(t, f->offset(), 12u);
    KEXPECT_EQ(t, f->inode().size(), 12u);
    KTRY(t, vfs::open(kstart(), d("f"), O_WRONLY | O_TRUNC, 0));
    KEXPECT_EQ(t, f->inode().size(), 0u);
    // Reading a write-only file, writing a read-only one: EBADF.
    RefPtr<OpenFile> wo = KTRY(t, vfs::open(kstart(), d("f"), O_WRONLY, 0));
    KEXPECT_ERRNO(t, wo->read(IoBuffer::kernel(buf, 4)), EBADF);
    RefPtr<OpenFile> ro = KTRY(t, vfs::open(kstart(), d("f"), O_RDONLY, 0));
    KEXPECT_ERRNO(t, ro->write(IoBuffer::kernel(buf, 4)), EBADF);
    // Only status flags stay (O_LARGEFILE is always added on 64-bit).
    RefPtr<OpenFile> c = KTRY(t, vfs::open(kstart(), d("f"), O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0));
    KEXPECT_EQ(t, c->flags(), O_RDONLY | O_NONBLOCK | O_LARGEFILE);
    // O_TMPFILE: an unnamed file, linkable afterwards.
    RefPtr<OpenFile> tmp = KTRY(t, vfs::open(kstart(), d.path(), O_TMPFILE | O_RDWR, 0600));
    KEXPECT_EQ(t, tmp->inode().nlink(), 0u);
    KTRY(t, tmp->write(IoBuffer::kernel(const_cast<char*>("tmp"), 3)));
    KTRY(t, vfs::link(tmp->location(), kstart(), d("from-tmpfile")));
    TextBuffer text;
    KTRY(t, read_file(d("from-tmpfile"), text));
    KEXPECT_STREQ(t, text.c_str(), "tmp");
    KEXPECT_ERRNO(t, vfs::open(kstart(), d.path(), O_TMPFILE | O_RDONLY, 0600), EINVAL);
}

void getcwd_paths(KTest& t)
{
    ScratchDir d("cwd");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, vfs::mkdir(kstart(), d("x"), 0755));
    KTRY(t, vfs::mkdir(kstart(), d("x/y"), 0755));
    Location y = KTRY(t, resolve(kstart(), d("x/y"), FOLLOW_FINAL));
    TextBuffer path;
    KTRY(t, path_of(y, MountTable::root(), path));
    char expected[160];
    format(expected, sizeof(expected), "%s/x/y", d.path());
    KEXPECT_STREQ(t, path.c_str(), expected);
    KTRY(t, path_of(MountTable::root(), MountTable::root(), path));
    KEXPECT_STREQ(t, path.c_str(), "/");
    Location proc = KTRY(t, resolve(kstart(), "/proc", FOLLOW_FINAL));
    KTRY(t, path_of(proc, MountTable::root(), path));
    KEXPECT_STREQ(t, path.c_str(), "/proc");
    // Relative lookups start at the working directory.
    KTRY(t, vfs::chdir(kernel_fs_context(), y));
    KTRY(t, vfs::mkdir(kstart(), "z", 0755));
    KTRY(t, resolve(kstart(), d("x/y/z"), FOLLOW_FINAL));
    KTRY(t, resolve(kstart(), "../y/z", FOLLOW_FINAL));
    // A removed working directory has no path.
    KTRY(t, vfs::rmdir(kstart(), d("x/y/z")));
    Location z_parent = kernel_fs_context().cwd();
    KTRY(t, vfs::rmdir(kstart(), d("x/y")));
    KEXPECT_ERRNO(t, path_of(z_parent, MountTable::root(), path), ENOENT);
    KEXPECT_ERRNO(t, vfs::mkdir(kstart(), "inside-removed", 0755), ENOENT);
    KEXPECT_ERRNO(t, vfs::chdir(kernel_fs_context(), KTRY(t, resolve(kstart(), "/proc/meminfo", 0))), ENOTDIR);
}

void exec_permission(KTest& t)
{
    ScratchDir d("exec");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, write_file(d("prog"), "\x7f" "ELF"));
    Location prog = KTRY(t, resolve(kstart(), d("prog"), 0));
    KEXPECT_ERRNO(t, vfs::check_exec(prog), EACCES);
    KEXPECT_ERRNO(t, vfs::access(prog, X_OK), EACCES);
    KEXPECT_ERRNO(t, vfs::open_for_exec(kstart(), d("prog")), EACCES);
    AttributeChange c;
    c.set_mode = true;
    c.mode = 0700;
    KTRY(t, vfs::change_attributes(prog, c));
    KTRY(t, vfs::check_exec(prog));
    KTRY(t, vfs::access(prog, X_OK | R_OK | W_OK));
    RefPtr<OpenFile> f = KTRY(t, vfs::open_for_exec(kstart(), d("prog")));
    char magic[4];
    KEXPECT_EQ(t, KTRY(t, vfs::read_kernel(*f, 0, magic, 4)), 4u);
    KEXPECT(t, memcmp(magic, "\x7f" "ELF", 4) == 0);
    Location dir = KTRY(t, resolve(kstart(), d.path(), 0));
    KEXPECT_ERRNO(t, vfs::check_exec(dir), EACCES);
    KTRY(t, vfs::access(dir, X_OK)); // directories stay searchable for root
    KEXPECT_ERRNO(t, vfs::access(prog, 8), EINVAL);
}

} // namespace

KTEST_SUITE(vfs, KTEST_CASE(lookup_dot_and_dotdot), KTEST_CASE(mounts_are_crossed_both_ways),
            KTEST_CASE(umount_refuses_while_busy), KTEST_CASE(root_is_read_only), KTEST_CASE(symlinks_and_eloop),
            KTEST_CASE(names_too_long), KTEST_CASE(errno_of_name_operations), KTEST_CASE(open_flags),
            KTEST_CASE(getcwd_paths), KTEST_CASE(exec_permission));
