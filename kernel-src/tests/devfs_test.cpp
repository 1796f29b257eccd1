// devfs: /dev nodes with Linux's numbers, the memory devices' semantics,
// the random generator (ChaCha20 known answer, fresh bytes every read),
// and character-device registration.
#include <fs/char_device.hpp>
#include <kernel/crng.hpp>
#include <tests/fs_test_util.hpp>

namespace {
using namespace fstest;

void nodes_have_linux_numbers(KTest& t)
{
    struct Node {
        const char* path;
        u32 minor;
    };
    const Node nodes[] = { { "/dev/null", 3 }, { "/dev/zero", 5 }, { "/dev/full", 7 }, { "/dev/random", 8 },
                           { "/dev/urandom", 9 } };
    for (const Node& n : nodes) {
        Metadata m = KTRY(t, stat_path(n.path));
        KEXPECT_EQ(t, m.mode, S_IFCHR | 0666u);
        KEXPECT_EQ(t, m.rdev, encode_dev({ 1, n.minor }));
        KEXPECT_EQ(t, m.rdev, 0x100u + n.minor); // what ls -l shows as "1, n"
    }
    Location dev = KTRY(t, resolve(kstart(), "/dev", FOLLOW_FINAL));
    KEXPECT_STREQ(t, dev.inode->fs().type_name(), "devtmpfs");
    KEXPECT_EQ(t, dev.inode->metadata().mode, S_IFDIR | 0755u);
    // devtmpfs is writable like any tmpfs.
    KTRY(t, vfs::mkdir(kstart(), "/dev/ktest-dir", 0755));
    KTRY(t, vfs::rmdir(kstart(), "/dev/ktest-dir"));
}

void null_zero_full(KTest& t)
{
    u8 buf[64];
    RefPtr<OpenFile> null = KTRY(t, vfs::open(kstart(), "/dev/null", O_RDWR, 0));
    KEXPECT_EQ(t, KTRY(t, null->read(IoBuffer::kernel(buf, sizeof(buf)))), 0u);
    KEXPECT_EQ(t, KTRY(t, null->write(IoBuffer::kernel(buf, sizeof(buf)))), sizeof(buf));
    KEXPECT_ERRNO(t, null->ioctl(TCGETS, 0), ENOTTY);
    KEXPECT_EQ(t, KTRY(t, null->seek(100, SEEK_SET)), 0u);

    RefPtr<OpenFile> zero = KTRY(t, vfs::open(kstart(), "/dev/zero", O_RDWR, 0));
    memset(buf, 0xff, sizeof(buf));
    KEXPECT_EQ(t, KTRY(t, zero->read(IoBuffer::kernel(buf, sizeof(buf)))), sizeof(buf));
    u32 nonzero = 0;
    for (u8 b : buf)
        nonzero += b != 0;
    KEXPECT_EQ(t, nonzero, 0u);
    KEXPECT_EQ(t, KTRY(t, zero->write(IoBuffer::kernel(buf, 10))), 10u);

    RefPtr<OpenFile> full = KTRY(t, vfs::open(kstart(), "/dev/full", O_RDWR, 0));
    KEXPECT_ERRNO(t, full->write(IoBuffer::kernel(buf, 1)), ENOSPC);
    memset(buf, 0xff, sizeof(buf));
    KEXPECT_EQ(t, KTRY(t, full->read(IoBuffer::kernel(buf, 8))), 8u);
    KEXPECT_EQ(t, buf[0] | buf[7], 0);
}

void chacha20_known_answer(KTest& t)
{
    // RFC 8439, section 2.3.2.
    u32 key[8];
    for (u32 i = 0; i < 8; i++)
        key[i] = (4 * i) | ((4 * i + 1) << 8) | ((4 * i + 2) << 16) | ((4 * i + 3) << 24);
    const u32 nonce[3] = { 0x09000000, 0x4a000000, 0x00000000 };
    u8 out[64];
    crng::chacha20_block(key, 1, nonce, out);
    const u8 expected[16] = { 0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15,
                              0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4 };
    const u8 expected_tail[4] = { 0xa2, 0x50, 0x3c, 0x4e };
    KEXPECT(t, memcmp(out, expected, sizeof(expected)) == 0);
    KEXPECT(t, memcmp(out + 60, expected_tail, sizeof(expected_tail)) == 0);
}

void random_bytes_differ(KTest& t)
{
    u8 a[64], b[64];
    RefPtr<OpenFile> urandom = KTRY(t, vfs::open(kstart(), "/dev/urandom", O_RDONLY, 0));
    RefPtr<OpenFile> random = KTRY(t, vfs::open(kstart(), "/dev/random", O_RDWR, 0));
    KEXPECT_EQ(t, KTRY(t, urandom->read(IoBuffer::kernel(a, sizeof(a)))), sizeof(a));
    KEXPECT_EQ(t, KTRY(t, random->read(IoBuffer::kernel(b, sizeof(b)))), sizeof(b));
    KEXPECT(t, memcmp(a, b, sizeof(a)) != 0);
    // Roughly balanced bits (512 of them: 256 expected; far outside 160..352
    // would mean a broken generator).
    u32 ones = 0;
    for (u8 v : a)
        ones += __builtin_popcount(v);
    KEXPECT_GE(t, ones, 160u);
    KEXPECT_LE(t, ones, 352u);
    // Writing mixes in; the next read still differs.
    KEXPECT_EQ(t, KTRY(t, random->write(IoBuffer::kernel(a, sizeof(a)))), sizeof(a));
    KTRY(t, urandom->read(IoBuffer::kernel(b, sizeof(b))));
    KEXPECT(t, memcmp(a, b, sizeof(a)) != 0);
    KEXPECT(t, crng::next_u64() != crng::next_u64());
    // A large read is served whole.
    RefPtr<OpenFile> big = KTRY(t, vfs::open(kstart(), "/dev/urandom", O_RDONLY, 0));
    auto* buf = new (std::nothrow) u8[5000];
    KASSERT_TRUE(t, buf);
    KEXPECT_EQ(t, KTRY(t, big->read(IoBuffer::kernel(buf, 5000))), 5000u);
    delete[] buf;
}

// A test device: reads return its name, writes count bytes, one ioctl.
class EchoDevice final : public FileOps {
public:
    u64 written = 0;
    u32 opens = 0, releases = 0;
    ErrorOr<void> open(OpenFile&) override
    {
        opens++;
        return {};
    }
    void release(OpenFile&) override { releases++; }
    ErrorOr<size_t> read(OpenFile&, const IoBuffer& buf, u64 offset) override
    {
        const char* text = "echo";
        if (offset >= 4)
            return 0;
        size_t n = min<size_t>(buf.size(), 4 - offset);
        TRY(buf.write(0, text + offset, n));
        return n;
    }
    ErrorOr<size_t> write(OpenFile&, const IoBuffer& buf, u64&) override
    {
        written += buf.size();
        return buf.size();
    }
    ErrorOr<i64> ioctl(OpenFile&, u32 request, u64 arg) override
    {
        if (request == 0x1234)
            return static_cast<i64>(arg + 1);
        return Error::from_errno(ENOTTY);
    }
};
EchoDevice s_echo;

void register_a_character_device(KTest& t)
{
    KTRY(t, register_char_device({ 240, 0 }, "ktest/echo", s_echo, 0620));
    KEXPECT_ERRNO(t, register_char_device({ 240, 0 }, "other", s_echo), EEXIST);
    KEXPECT_ERRNO(t, register_char_device({ 240, 1 }, "ktest/echo", s_echo), EEXIST);
    Metadata m = KTRY(t, stat_path("/dev/ktest/echo"));
    KEXPECT_EQ(t, m.mode, S_IFCHR | 0620u);
    KEXPECT_EQ(t, decode_dev(m.rdev).major, 240u);
    {
        RefPtr<OpenFile> f = KTRY(t, vfs::open(kstart(), "/dev/ktest/echo", O_RDWR, 0));
        KEXPECT_EQ(t, s_echo.opens, 1u);
        char buf[8] = {};
        KEXPECT_EQ(t, KTRY(t, f->read(IoBuffer::kernel(buf, sizeof(buf)))), 4u);
        KEXPECT_STREQ(t, buf, "echo");
        KEXPECT_EQ(t, KTRY(t, f->write(IoBuffer::kernel(buf, 3))), 3u);
        KEXPECT_EQ(t, s_echo.written, 3u);
        KEXPECT_EQ(t, KTRY(t, f->ioctl(0x1234, 41)), 42);
        KEXPECT_ERRNO(t, f->ioctl(0x5678, 0), ENOTTY);
    }
    KEXPECT_EQ(t, s_echo.releases, 1u);
    // A node anywhere reaches its driver by number; no driver is ENXIO.
    // /tmp is mounted nodev (EACCES for its device nodes, as on Linux), so
    // the nodes go on a tmpfs mounted without it.
    ScratchDir scratch("devnodes");
    KASSERT_TRUE(t, scratch.ok());
    KTRY(t, vfs::mknod(kstart(), scratch("nodev"), S_IFCHR | 0600, { 240, 0 }));
    KEXPECT_ERRNO(t, vfs::open(kstart(), scratch("nodev"), O_RDONLY, 0), EACCES);
    KTRY(t, vfs::mkdir(kstart(), scratch("m"), 0755));
    KTRY(t, vfs::mount(kstart(), "none", scratch("m"), "tmpfs", 0, nullptr));
    char base[128];
    format(base, sizeof(base), "%s/m", scratch.path());
    auto d = [&](const char* name) {
        static char path[160];
        format(path, sizeof(path), "%s/%s", base, name);
        return path;
    };
    KTRY(t, vfs::mknod(kstart(), d("echo2"), S_IFCHR | 0600, { 240, 0 }));
    KTRY(t, vfs::open(kstart(), d("echo2"), O_RDONLY, 0));
    KEXPECT_EQ(t, s_echo.opens, 2u);
    KTRY(t, vfs::mknod(kstart(), d("nothing"), S_IFCHR | 0600, { 240, 7 }));
    KEXPECT_ERRNO(t, vfs::open(kstart(), d("nothing"), O_RDONLY, 0), ENXIO);
    KTRY(t, vfs::mknod(kstart(), d("fifo"), S_IFIFO | 0600, {}));
    {
        // A FIFO node is a named pipe wherever it is: a non-blocking writer
        // without a reader is ENXIO, a non-blocking reader opens at once,
        // then the writer too, and bytes pass (fifo(7)).
        KEXPECT_ERRNO(t, vfs::open(kstart(), d("fifo"), O_WRONLY | O_NONBLOCK, 0), ENXIO);
        RefPtr<OpenFile> r = KTRY(t, vfs::open(kstart(), d("fifo"), O_RDONLY | O_NONBLOCK, 0));
        RefPtr<OpenFile> w = KTRY(t, vfs::open(kstart(), d("fifo"), O_WRONLY | O_NONBLOCK, 0));
        char c = 'f';
        KEXPECT_EQ(t, KTRY(t, w->write(IoBuffer::kernel(&c, 1))), 1u);
        c = 0;
        KEXPECT_EQ(t, KTRY(t, r->read(IoBuffer::kernel(&c, 1))), 1u);
        KEXPECT_EQ(t, c, 'f');
    }
    KEXPECT_ERRNO(t, vfs::mknod(kstart(), d("dir"), S_IFDIR | 0700, {}), EPERM);
    KTRY(t, vfs::umount(kstart(), base, 0));
}

} // namespace

KTEST_SUITE(devfs, KTEST_CASE(nodes_have_linux_numbers), KTEST_CASE(null_zero_full),
            KTEST_CASE(chacha20_known_answer), KTEST_CASE(random_bytes_differ),
            KTEST_CASE(register_a_character_device));
