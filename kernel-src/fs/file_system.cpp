#include <fs/file_system.hpp>
#include <lib/string.hpp>

namespace fs {
namespace {
// Anonymous device numbers (major 0) as Linux's get_anon_bdev hands out,
// starting from 1.
Atomic<u32> s_next_anonymous_minor { 1 };
} // namespace

FileSystem::FileSystem() : m_device { 0, s_next_anonymous_minor.fetch_add(1) } {}

ErrorOr<void> FileSystem::statfs(LinuxStatfs& out) const
{
    memset(&out, 0, sizeof(out));
    out.f_bsize = 4096;
    out.f_frsize = 4096;
    out.f_namelen = NAME_MAX;
    return {};
}

void FileSystem::mount_options(char* buf, size_t size) const
{
    if (size)
        buf[0] = 0;
}

} // namespace fs
