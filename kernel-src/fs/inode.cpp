#include <fs/char_device.hpp>
#include <fs/file_system.hpp>
#include <fs/inode.hpp>
#include <fs/open_file.hpp>
#include <fs/pipe.hpp>
#include <kernel/time.hpp>

namespace fs {

Timespec now()
{
    u64 ns = time::realtime_ns();
    return { static_cast<i64>(ns / 1000000000), static_cast<i64>(ns % 1000000000) };
}

Inode::Inode(FileSystem& fs, u64 ino, u32 mode, u32 uid, u32 gid, DeviceNumber rdev)
    : m_fs(&fs), m_ino(ino), m_mode(mode), m_uid(uid), m_gid(gid), m_rdev(rdev)
{
    m_atime = m_mtime = m_ctime = now();
}

Inode::~Inode() = default;

Metadata Inode::metadata() const
{
    MutexGuard guard(m_lock);
    Metadata m;
    m.dev = encode_dev(m_fs->device());
    m.ino = m_ino;
    m.mode = m_mode;
    m.nlink = m_nlink;
    m.uid = m_uid;
    m.gid = m_gid;
    m.rdev = encode_dev(m_rdev);
    m.size = m_size;
    m.blocks = m_blocks;
    m.blksize = STAT_BLKSIZE;
    m.atime = m_atime;
    m.mtime = m_mtime;
    m.ctime = m_ctime;
    return m;
}

u64 Inode::size() const
{
    MutexGuard guard(m_lock);
    return m_size;
}

u32 Inode::mode() const
{
    MutexGuard guard(m_lock);
    return m_mode;
}

u32 Inode::nlink() const
{
    MutexGuard guard(m_lock);
    return m_nlink;
}

void Inode::change_attributes(const AttributeChange& c)
{
    MutexGuard guard(m_lock);
    if (c.set_mode)
        m_mode = (m_mode & S_IFMT) | (c.mode & MODE_PERMS);
    if (c.set_uid)
        m_uid = c.uid;
    if (c.set_gid)
        m_gid = c.gid;
    if (c.chown) {
        // chown_common asks notify_change to kill set-ID bits on
        // non-directories, whoever calls (fs/open.c, fs/attr.c).
        if (!is_directory()) {
            m_mode &= ~S_ISUID;
            if ((m_mode & (S_ISGID | 0010)) == (S_ISGID | 0010))
                m_mode &= ~S_ISGID;
        }
    }
    if (c.set_atime)
        m_atime = c.atime;
    if (c.set_mtime)
        m_mtime = c.mtime;
    m_ctime = now();
}

void Inode::touch_atime()
{
    Timespec t = now();
    MutexGuard guard(m_lock);
    auto before = [](Timespec a, Timespec b) { return a.sec < b.sec || (a.sec == b.sec && a.nsec <= b.nsec); };
    // relatime (fs/inode.c relatime_need_update)
    if (before(m_atime, m_mtime) || before(m_atime, m_ctime) || t.sec - m_atime.sec >= 24 * 60 * 60)
        m_atime = t;
}

void Inode::touch_mtime_ctime_locked() { m_mtime = m_ctime = now(); }
void Inode::touch_ctime_locked() { m_ctime = now(); }
void Inode::set_times_locked(Timespec atime, Timespec mtime, Timespec ctime)
{
    m_atime = atime;
    m_mtime = mtime;
    m_ctime = ctime;
}
void Inode::touch_mtime_ctime()
{
    MutexGuard guard(m_lock);
    touch_mtime_ctime_locked();
}
void Inode::touch_ctime()
{
    MutexGuard guard(m_lock);
    touch_ctime_locked();
}
void Inode::adjust_nlink(int delta)
{
    MutexGuard guard(m_lock);
    m_nlink = static_cast<u32>(static_cast<int>(m_nlink) + delta);
    m_ctime = now();
}

namespace {
Error not_a_directory() { return Error::from_errno(ENOTDIR); }
} // namespace

ErrorOr<RefPtr<Inode>> Inode::lookup(StringView) { return not_a_directory(); }
ErrorOr<RefPtr<Inode>> Inode::create(StringView, u32, DeviceNumber, u32, u32) { return not_a_directory(); }
ErrorOr<RefPtr<Inode>> Inode::create_symlink(StringView, StringView, u32, u32) { return not_a_directory(); }
ErrorOr<RefPtr<Inode>> Inode::create_unnamed(u32, u32, u32)
{
    return is_directory() ? Error::from_errno(EOPNOTSUPP) : not_a_directory();
}
ErrorOr<void> Inode::link(StringView, Inode&) { return is_directory() ? Error::from_errno(EPERM) : not_a_directory(); }
ErrorOr<void> Inode::unlink(StringView) { return is_directory() ? Error::from_errno(EPERM) : not_a_directory(); }
ErrorOr<void> Inode::rmdir(StringView) { return is_directory() ? Error::from_errno(EPERM) : not_a_directory(); }
ErrorOr<void> Inode::rename(StringView, Inode&, StringView, u32)
{
    return is_directory() ? Error::from_errno(EPERM) : not_a_directory();
}
ErrorOr<void> Inode::iterate(u64, DirSink&) { return not_a_directory(); }
ErrorOr<RefPtr<Inode>> Inode::parent() { return not_a_directory(); }
ErrorOr<size_t> Inode::name_of(u64, char*, size_t) { return Error::from_errno(ENOENT); }
ErrorOr<size_t> Inode::readlink(char*, size_t) { return Error::from_errno(EINVAL); }
ErrorOr<size_t> Inode::read(u64, const IoBuffer&)
{
    return Error::from_errno(is_directory() ? EISDIR : EINVAL);
}
ErrorOr<size_t> Inode::write(u64&, const IoBuffer&, bool) { return Error::from_errno(is_directory() ? EISDIR : EINVAL); }
ErrorOr<void> Inode::truncate(u64) { return Error::from_errno(is_directory() ? EISDIR : EINVAL); }

ErrorOr<PhysAddr> Inode::shared_page(u64) { return Error::from_errno(ENOTSUP); }

ErrorOr<FileOps*> Inode::file_ops()
{
    switch (type()) {
    case S_IFREG:
        return &regular_file_ops();
    case S_IFDIR:
        return &directory_ops();
    case S_IFCHR:
        return char_device_ops(rdev());
    case S_IFIFO:
        return &fifo_file_ops();
    default:
        return Error::from_errno(ENXIO);
    }
}

bool emit_dots(u64& pos, DirSink& sink, u64 self_ino, u64 parent_ino)
{
    if (pos == DIR_POS_DOT) {
        if (!sink.emit(StringView(".", 1), self_ino, DT_DIR, DIR_POS_DOTDOT))
            return false;
        pos = DIR_POS_DOTDOT;
    }
    if (pos == DIR_POS_DOTDOT) {
        if (!sink.emit(StringView("..", 2), parent_ino, DT_DIR, DIR_POS_FIRST))
            return false;
        pos = DIR_POS_FIRST;
    }
    return true;
}

} // namespace fs
