// The file side of processes (proc/process_files.hpp, proc/exec.hpp,
// syscall/mmap_file.hpp): each process's FsContext, executables and mapped
// files as PageSources, and current_fs_context() for the calling thread.
#include <fs/fs_context.hpp>
#include <fs/page_source.hpp>
#include <fs/vfs.hpp>
#include <kernel/log.hpp>
#include <lib/new.hpp>
#include <lib/string.hpp>
#include <proc/exec.hpp>
#include <proc/exec_registry.hpp>
#include <proc/process.hpp>
#include <proc/process_files.hpp>
#include <syscall/mmap_file.hpp>

namespace fs {

FsContext& current_fs_context()
{
    Process* p = proc::current_process();
    return p && p->fs ? *p->fs : kernel_fs_context();
}

ErrorOr<size_t> FilePageSource::read(u64 offset, void* buf, size_t n) { return vfs::read_kernel(*m_file, offset, buf, n); }

ErrorOr<PhysAddr> FilePageSource::shared_page(u64 offset)
{
    if (offset % PAGE_SIZE)
        return Error::from_errno(EINVAL);
    return m_file->inode().shared_page(offset / PAGE_SIZE);
}
u64 FilePageSource::size() { return m_file->inode().size(); }

} // namespace fs

namespace proc {
namespace {
fs::FsContext& context_of(Process* p) { return p && p->fs ? *p->fs : fs::kernel_fs_context(); }
} // namespace

ErrorOr<void> init_files(Process* p)
{
    auto* ctx = new (std::nothrow) fs::FsContext;
    if (!ctx)
        return Error::from_errno(ENOMEM);
    fs::FsContext& kernel = fs::kernel_fs_context();
    ctx->set_root(kernel.root());
    ctx->set_cwd(kernel.root());
    // fds 0, 1, 2 on the console, as Linux's kernel_init opens
    // /dev/console for init (the console is not made the controlling
    // terminal by opening it: init asks with TIOCSCTTY).
    auto console = fs::vfs::open(fs::start_at_cwd(kernel), "/dev/console", fs::O_RDWR | fs::O_NOCTTY, 0);
    if (!console.is_error()) {
        for (int i = 0; i < 3; i++)
            (void)ctx->fds.install(console.value(), false);
    }
    p->fs = ctx;
    return {};
}

ErrorOr<void> fork_files(Process* parent, Process* child)
{
    child->fs = TRY(context_of(parent).clone());
    return {};
}

void close_files_on_exec(Process* p)
{
    if (p->fs)
        p->fs->fds.close_on_exec();
}

void exit_files(Process* p)
{
    fs::FsContext* ctx = p->fs;
    p->fs = nullptr;
    delete ctx; // closes every descriptor: pipes see their ends go
}

ErrorOr<RefPtr<PageSource>> open_executable(Process* p, const char* path)
{
    // Programs the kernel's tests build in memory come first.
    if (RefPtr<PageSource> found = exec_registry::find(path))
        return found;
    RefPtr<fs::OpenFile> file = TRY(fs::vfs::open_for_exec(fs::start_at_cwd(context_of(p)), path));
    auto* source = new (std::nothrow) fs::FilePageSource(move(file));
    if (!source)
        return Error::from_errno(ENOMEM);
    return adopt<PageSource>(source);
}

void executable_path(Process* p, const char* path, char* out, size_t size)
{
    TextBuffer absolute;
    if (fs::vfs::real_path(fs::start_at_cwd(context_of(p)), path, absolute).is_error() || absolute.status().is_error())
        strlcpy(out, path, size);
    else
        strlcpy(out, absolute.c_str(), size);
}

} // namespace proc

ErrorOr<MappedFile> open_mapped_file(i32 fd, i64 offset, u64 length, u32 prot, bool shared)
{
    constexpr u32 PROT_WRITE = 2;
    RefPtr<fs::OpenFile> file = TRY(fs::current_fs_context().fds.get(fd));
    if (file->is_path_only())
        return Error::from_errno(EBADF);
    if (!file->can_read())
        return Error::from_errno(EACCES);
    fs::Inode& inode = file->inode();
    if (fs::s_ischr(inode.mode()) && inode.rdev().major == 1 && inode.rdev().minor == 5)
        return MappedFile { nullptr, 0 }; // /dev/zero: anonymous memory, as on Linux
    if (!inode.is_regular())
        return Error::from_errno(ENODEV);
    if (shared && (prot & PROT_WRITE)) {
        if (!file->can_write())
            return Error::from_errno(EACCES);
        // Shared writable file mappings would need write-back: not here.
        return Error::from_errno(ENODEV);
    }
    u64 size = inode.size();
    u64 start = static_cast<u64>(offset);
    u64 bytes = size > start ? min(size - start, align_up(length, PAGE_SIZE)) : 0;
    auto* source = new (std::nothrow) fs::FilePageSource(move(file));
    if (!source)
        return Error::from_errno(ENOMEM);
    return MappedFile { adopt<PageSource>(source), bytes };
}
