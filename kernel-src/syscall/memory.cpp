// Memory system calls: mmap, munmap, mprotect, brk, madvise, msync.
#include <proc/process.hpp>
#include <proc/sched.hpp>
#include <syscall/mmap_file.hpp>
#include <syscalls.hpp>

namespace {
constexpr u32 PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
constexpr u32 MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_SHARED_VALIDATE = 0x03, MAP_TYPE = 0x0f, MAP_FIXED = 0x10,
              MAP_ANONYMOUS = 0x20, MAP_FIXED_NOREPLACE = 0x100000;

vm::AddressSpace& space() { return *proc::current_process()->aspace; }

u32 to_prot(u32 prot)
{
    return ((prot & PROT_READ) ? vm::ProtRead : 0) | ((prot & PROT_WRITE) ? vm::ProtWrite : 0) |
           ((prot & PROT_EXEC) ? vm::ProtExec : 0);
}
} // namespace

ErrorOr<i64> sys_mmap(UserAddr addr, u64 length, u32 prot, u32 flags, i32 fd, i64 offset)
{
    if (length == 0 || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
        return Error::from_errno(EINVAL);
    if (offset & (PAGE_SIZE - 1))
        return Error::from_errno(EINVAL);
    u32 type = flags & MAP_TYPE;
    if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
        return Error::from_errno(EINVAL);
    vm::AddressSpace::MapRequest req;
    req.hint = addr;
    req.length = length;
    req.prot = to_prot(prot);
    req.fixed = flags & MAP_FIXED;
    req.shared = type != MAP_PRIVATE;
    if ((flags & MAP_FIXED_NOREPLACE) && !req.fixed) {
        if (addr & (PAGE_SIZE - 1))
            return Error::from_errno(EINVAL);
        if (space().is_mapped(addr, 1) || space().is_mapped(addr + align_up(length, PAGE_SIZE) - 1, 1))
            return Error::from_errno(EEXIST);
        req.fixed = true;
    }
    if (!(flags & MAP_ANONYMOUS)) {
        // A file: its pages are read in on first touch.
        MappedFile file = TRY(open_mapped_file(fd, offset, length, prot, req.shared));
        req.source = move(file.source);
        req.offset = static_cast<u64>(offset);
        req.source_bytes = file.bytes;
        // Shared read-only mappings behave as private ones (no writes).
        req.shared = false;
    }
    return static_cast<i64>(TRY(space().map(move(req))));
}

ErrorOr<i64> sys_munmap(UserAddr addr, u64 length)
{
    TRY(space().unmap(addr, length));
    return 0;
}

ErrorOr<i64> sys_mprotect(UserAddr addr, u64 length, u32 prot)
{
    if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
        return Error::from_errno(EINVAL);
    TRY(space().protect(addr, length, to_prot(prot)));
    return 0;
}

ErrorOr<i64> sys_brk(UserAddr addr)
{
    vm::AddressSpace& as = space();
    if (!addr)
        return static_cast<i64>(as.break_end());
    return static_cast<i64>(as.set_break(addr));
}

ErrorOr<i64> sys_madvise(UserAddr addr, u64 length, i32 advice)
{
    constexpr i32 MADV_DONTNEED = 4, MADV_FREE = 8;
    if (addr & (PAGE_SIZE - 1))
        return Error::from_errno(EINVAL);
    if (advice == MADV_DONTNEED || advice == MADV_FREE) {
        // Private pages read back as zero (or the file) afterwards: drop them.
        TRY(space().discard(addr, length));
    }
    return 0;
}

ErrorOr<i64> sys_msync(UserAddr addr, u64, i32)
{
    if (addr & (PAGE_SIZE - 1))
        return Error::from_errno(EINVAL);
    return 0; // nothing is written back: no shared file mappings
}
