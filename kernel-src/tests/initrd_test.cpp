// initrd: cpio newc archives built in memory — a good archive unpacked
// into a fresh rootfs tree, a second archive replacing entries, hard
// links, and every malformed case rejected with EINVAL and the tree left
// as it was; fw_cfg read by DMA and byte-wise giving the same bytes.
#include <drivers/fw_cfg.hpp>
#include <fs/initrd/cpio.hpp>
#include <fs/initrd/initrd.hpp>
#include <fs/tmpfs/tmpfs.hpp>
#include <kernel/time.hpp>
#include <mm/heap.hpp>
#include <mm/pmm.hpp>
#include <tests/fs_test_util.hpp>

namespace {
using namespace fstest;

// Writes newc archives as Linux's usr/gen_init_cpio does.
class CpioBuilder {
public:
    CpioBuilder() : m_data(static_cast<u8*>(heap::alloc(CAPACITY))) {}
    ~CpioBuilder() { heap::free(m_data); }
    bool ok() const { return m_data && !m_overflow; }
    u8* data() { return m_data; }
    size_t size() const { return m_size; }

    // One entry; `name_size` overrides the name length field when nonzero.
    void add(const char* name, u32 mode, const void* body = nullptr, u32 body_size = 0, u32 nlink = 1,
             u32 ino = 0, u32 mtime = 1700000000, u32 name_size = 0)
    {
        if (!ino)
            ino = ++m_next_ino;
        u32 nsize = static_cast<u32>(strlen(name)) + 1;
        char header[111];
        format(header, sizeof(header), "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", ino, mode, 0u,
               0u, nlink, mtime, body_size, 0u, 0u, 0u, 0u, name_size ? name_size : nsize, 0u);
        put(header, 110);
        put(name, nsize);
        pad();
        if (body_size)
            put(body, body_size);
        pad();
    }
    void file(const char* name, const char* text, u32 mode = 0644)
    {
        add(name, S_IFREG | mode, text, static_cast<u32>(strlen(text)));
    }
    void dir(const char* name, u32 mode = 0755) { add(name, S_IFDIR | mode); }
    void symlink(const char* name, const char* target)
    {
        add(name, S_IFLNK | 0777, target, static_cast<u32>(strlen(target)));
    }
    void trailer() { add("TRAILER!!!", 0, nullptr, 0, 1, 0, 0); }
    void zeros(size_t n)
    {
        for (size_t i = 0; i < n; i++)
            put("\0", 1);
    }

private:
    static constexpr size_t CAPACITY = 64 * KiB;
    void put(const void* p, size_t n)
    {
        if (!m_data || m_size + n > CAPACITY) {
            m_overflow = true;
            return;
        }
        memcpy(m_data + m_size, p, n);
        m_size += n;
    }
    void pad()
    {
        while (m_size % 4)
            put("\0", 1);
    }
    u8* m_data;
    size_t m_size = 0;
    u32 m_next_ino = 100;
    bool m_overflow = false;
};

RefPtr<Inode> fresh_root()
{
    TmpfsOptions o;
    o.type_name = "rootfs";
    o.root_mode = 0755;
    auto r = TmpFs::create(o);
    return r.is_error() ? nullptr : r.release_value();
}

// Follows a relative path from `dir` by plain lookups.
ErrorOr<RefPtr<Inode>> walk(RefPtr<Inode> dir, const char* path)
{
    char component[NAME_MAX + 1];
    const char* p = path;
    while (*p) {
        size_t n = 0;
        while (p[n] && p[n] != '/')
            n++;
        StringView(p, n).copy_to(component, sizeof(component));
        dir = TRY(dir->lookup(StringView(component)));
        p += n;
        if (*p == '/')
            p++;
    }
    return dir;
}

ErrorOr<void> contents(RefPtr<Inode> root, const char* path, char* buf, size_t size)
{
    RefPtr<Inode> f = TRY(walk(move(root), path));
    size_t n = TRY(f->read(0, IoBuffer::kernel(buf, size - 1)));
    buf[n] = 0;
    return {};
}

u32 entries(Inode& dir)
{
    struct Count final : DirSink {
        u32 n = 0;
        bool emit(StringView, u64, u8, u64) override
        {
            n++;
            return true;
        }
    } c;
    (void)dir.iterate(DIR_POS_FIRST, c);
    return c.n;
}

void good_archive(KTest& t)
{
    CpioBuilder a;
    a.add(".", S_IFDIR | 0700, nullptr, 0, 2, 0, 1600000000);
    a.dir("bin");
    a.file("bin/hello", "#!/bin/sh\necho hi\n", 0755);
    a.symlink("bin/sh", "busybox");
    a.file("./etc/motd", "welcome\n"); // parent created on the way, "./" skipped
    a.dir("etc", 0711);                // a later entry for an existing dir: attributes only
    a.add("dev/null", S_IFCHR | 0666, nullptr, 0);
    a.trailer();
    KASSERT_TRUE(t, a.ok());
    RefPtr<Inode> root = fresh_root();
    KASSERT_TRUE(t, root);
    initrd::UnpackStats s = KTRY(t, initrd::unpack(a.data(), a.size(), *root, "test archive"));
    KEXPECT_EQ(t, s.files, 2u);
    KEXPECT_EQ(t, s.symlinks, 1u);
    KEXPECT_EQ(t, s.nodes, 1u);
    KEXPECT_EQ(t, s.directories, 3u); // bin, etc (implicit), dev (implicit)
    KEXPECT_EQ(t, s.bytes, 18u + 8u);
    char buf[64];
    KTRY(t, contents(root, "etc/motd", buf, sizeof(buf)));
    KEXPECT_STREQ(t, buf, "welcome\n");
    RefPtr<Inode> hello = KTRY(t, walk(root, "bin/hello"));
    Metadata m = hello->metadata();
    KEXPECT_EQ(t, m.mode, S_IFREG | 0755u);
    KEXPECT_EQ(t, m.mtime.sec, 1700000000);
    KEXPECT_EQ(t, m.size, 18u);
    RefPtr<Inode> sh = KTRY(t, walk(root, "bin/sh"));
    size_t n = KTRY(t, sh->readlink(buf, sizeof(buf)));
    KEXPECT_EQ(t, n, 7u);
    KEXPECT(t, memcmp(buf, "busybox", 7) == 0);
    KEXPECT_EQ(t, KTRY(t, walk(root, "etc"))->metadata().mode, S_IFDIR | 0711u);
    KEXPECT_EQ(t, KTRY(t, walk(root, "dev/null"))->metadata().mode, S_IFCHR | 0666u);
    // "." set the root's own attributes, its mtime applied last.
    Metadata r = root->metadata();
    KEXPECT_EQ(t, r.mode, S_IFDIR | 0700u);
    KEXPECT_EQ(t, r.mtime.sec, 1600000000);
    // The data was not copied: the file points into the archive.
    KEXPECT_EQ(t, m.blocks, 8u);
    KEXPECT_EQ(t, static_cast<TmpFs&>(root->fs()).pages_used(), 0u);
}

void later_entries_replace_earlier_ones(KTest& t)
{
    CpioBuilder first;
    first.file("a", "first");
    first.dir("d");
    first.file("d/keep", "kept");
    first.file("f-then-dir", "x");
    first.dir("dir-then-f");
    first.file("dir-then-f/inner", "gone");
    first.trailer();
    CpioBuilder second;
    second.file("a", "second");
    second.dir("d", 0700);
    second.file("d/new", "added");
    second.dir("f-then-dir");
    second.file("dir-then-f", "now a file");
    second.trailer();
    KASSERT_TRUE(t, first.ok() && second.ok());
    RefPtr<Inode> root = fresh_root();
    KASSERT_TRUE(t, root);
    KTRY(t, initrd::unpack(first.data(), first.size(), *root, "first"));
    KTRY(t, initrd::unpack(second.data(), second.size(), *root, "second"));
    char buf[32];
    KTRY(t, contents(root, "a", buf, sizeof(buf)));
    KEXPECT_STREQ(t, buf, "second");
    KTRY(t, contents(root, "d/keep", buf, sizeof(buf))); // a directory over a directory merges
    KEXPECT_STREQ(t, buf, "kept");
    KTRY(t, contents(root, "d/new", buf, sizeof(buf)));
    KEXPECT_STREQ(t, buf, "added");
    KEXPECT_EQ(t, KTRY(t, walk(root, "d"))->metadata().mode, S_IFDIR | 0700u);
    KEXPECT(t, KTRY(t, walk(root, "f-then-dir"))->is_directory());
    KTRY(t, contents(root, "dir-then-f", buf, sizeof(buf)));
    KEXPECT_STREQ(t, buf, "now a file");
    KEXPECT_EQ(t, entries(*root), 4u);
}

void hard_links_and_concatenated_archives(KTest& t)
{
    CpioBuilder a;
    // gen_init_cpio style: the data comes with the last name of the inode.
    a.add("one", S_IFREG | 0644, nullptr, 0, 2, 7);
    a.add("two", S_IFREG | 0644, "shared", 6, 2, 7);
    a.trailer();
    // A second archive after zero padding, as initramfs allows.
    a.zeros(512);
    a.file("three", "third");
    a.trailer();
    KASSERT_TRUE(t, a.ok());
    char why[96] = {};
    cpio::Summary s = KTRY(t, cpio::parse(a.data(), a.size(), nullptr, why, sizeof(why)));
    KEXPECT_EQ(t, s.archives, 2u);
    KEXPECT_EQ(t, s.entries, 3u);
    RefPtr<Inode> root = fresh_root();
    KASSERT_TRUE(t, root);
    KTRY(t, initrd::unpack(a.data(), a.size(), *root, "linked"));
    RefPtr<Inode> one = KTRY(t, walk(root, "one"));
    RefPtr<Inode> two = KTRY(t, walk(root, "two"));
    KEXPECT_EQ(t, one->ino(), two->ino());
    KEXPECT_EQ(t, one->nlink(), 2u);
    char buf[16];
    KTRY(t, contents(root, "one", buf, sizeof(buf)));
    KEXPECT_STREQ(t, buf, "shared");
    KTRY(t, contents(root, "three", buf, sizeof(buf)));
    KEXPECT_STREQ(t, buf, "third");
}

// Unpacking `bytes` fails with EINVAL and leaves the tree (one file) alone.
void expect_rejected(KTest& t, const u8* bytes, size_t size, const char* what)
{
    RefPtr<Inode> root = fresh_root();
    if (!root) {
        t.fail(__FILE__, __LINE__, "no memory");
        return;
    }
    (void)root->create(StringView("existing"), S_IFREG | 0644, {}, 0, 0);
    auto r = initrd::unpack(bytes, size, *root, what);
    if (!r.is_error())
        t.fail(__FILE__, __LINE__, "%s: accepted", what);
    else if (r.error().code() != EINVAL)
        t.fail(__FILE__, __LINE__, "%s: %s instead of EINVAL", what, r.error().name());
    if (entries(*root) != 1)
        t.fail(__FILE__, __LINE__, "%s: the tree changed (%u entries)", what, entries(*root));
}

void malformed_archives_are_rejected(KTest& t)
{
    CpioBuilder good;
    good.file("a", "aaaa");
    good.file("b", "bbbb");
    good.trailer();
    KASSERT_TRUE(t, good.ok());
    u8* copy = static_cast<u8*>(heap::alloc(good.size() + 64));
    KASSERT_TRUE(t, copy);
    auto reset = [&] { memcpy(copy, good.data(), good.size()); };

    reset();
    copy[3] = '9'; // magic 070901
    expect_rejected(t, copy, good.size(), "bad magic");
    reset();
    copy[20] = 'g'; // a field digit
    expect_rejected(t, copy, good.size(), "bad hex digit");
    expect_rejected(t, good.data(), 60, "truncated header");
    expect_rejected(t, good.data(), 0, "empty archive");
    // Missing trailer: everything but the trailer entry.
    expect_rejected(t, good.data(), good.size() - 124, "missing trailer");
    // Data length past the end of the archive.
    reset();
    memcpy(copy + 6 + 6 * 8, "FFFFFFFF", 8); // huge filesize of the first entry
    expect_rejected(t, copy, good.size(), "huge file size");
    reset();
    memcpy(copy + 6 + 6 * 8, "00001000", 8); // 4 KiB: past the end
    expect_rejected(t, copy, good.size(), "data past the end");
    // Name size past the end, zero, and a name without its NUL.
    reset();
    memcpy(copy + 6 + 11 * 8, "00100000", 8);
    expect_rejected(t, copy, good.size(), "name past the end");
    reset();
    memcpy(copy + 6 + 11 * 8, "00000000", 8);
    expect_rejected(t, copy, good.size(), "empty name");
    reset();
    memcpy(copy + 6 + 11 * 8, "00000001", 8); // "a" then NUL: size 1 leaves no NUL
    expect_rejected(t, copy, good.size(), "name without NUL");
    // Compressed archives are refused, not misread.
    const u8 gzip[8] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0 };
    expect_rejected(t, gzip, sizeof(gzip), "gzip");
    // Bad entries inside well-formed framing.
    CpioBuilder bad_link;
    bad_link.add("l", S_IFLNK | 0777);
    bad_link.trailer();
    expect_rejected(t, bad_link.data(), bad_link.size(), "empty symlink target");
    CpioBuilder dotdot;
    dotdot.file("a/../../escape", "x");
    dotdot.trailer();
    expect_rejected(t, dotdot.data(), dotdot.size(), "'..' in a name");
    CpioBuilder data_dir;
    data_dir.add("d", S_IFDIR | 0755, "xx", 2);
    data_dir.trailer();
    expect_rejected(t, data_dir.data(), data_dir.size(), "directory with data");
    CpioBuilder junk;
    junk.file("a", "a");
    junk.trailer();
    junk.file("b", "b"); // no trailer for the second archive
    expect_rejected(t, junk.data(), junk.size(), "second archive without trailer");
    // Every length of a truncated good archive is rejected, never a fault.
    u32 accepted = 0;
    for (size_t len = 0; len < good.size(); len++) {
        if (!cpio::parse(good.data(), len, nullptr).is_error())
            accepted++;
    }
    KEXPECT_EQ(t, accepted, 0u);
    heap::free(copy);
}

void fw_cfg_dma_matches_port_reads(KTest& t)
{
    if (!fw_cfg::dma_available()) {
        t.skip("fw_cfg has no DMA interface here");
        return;
    }
    // An item QEMU always provides; the harness's command line is there
    // whenever ktest runs through it.
    const char* candidates[] = { "etc/acpi/tables", "etc/table-loader", "etc/e820", "opt/oskit/cmdline" };
    fw_cfg::FileInfo f {};
    const char* name = nullptr;
    for (const char* c : candidates) {
        if (fw_cfg::find_file(c, f)) {
            name = c;
            break;
        }
    }
    if (!name) {
        t.skip("no known fw_cfg file");
        return;
    }
    u32 size = min<u32>(f.size, 256 * 1024);
    u64 pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
    PhysAddr run = KTRY(t, pmm::alloc_pages(pages));
    u8* by_dma = phys_to_ptr<u8>(run);
    u8* by_port = static_cast<u8*>(heap::alloc(size));
    if (!by_port) {
        pmm::free_pages(run, pages);
        t.fail(__FILE__, __LINE__, "no memory");
        return;
    }
    u64 t0 = time::since_boot_ns();
    auto dma = fw_cfg::dma_read(f.select, true, run, size);
    u64 t1 = time::since_boot_ns();
    fw_cfg::port_read(f.select, true, by_port, size);
    u64 t2 = time::since_boot_ns();
    KEXPECT(t, !dma.is_error());
    KEXPECT(t, memcmp(by_dma, by_port, size) == 0);
    // Reading on without selecting continues where the last read stopped.
    if (size >= 2) {
        KTRY(t, fw_cfg::dma_read(f.select, true, run, 1));
        KTRY(t, fw_cfg::dma_read(f.select, false, run + 1, 1));
        KEXPECT_EQ(t, by_dma[1], by_port[1]);
    }
    t.note("%s: %u bytes by DMA in %lu us, byte-wise in %lu us", name, size, (t1 - t0) / 1000, (t2 - t1) / 1000);
    heap::free(by_port);
    pmm::free_pages(run, pages);
}

// What the boot made of the initrd: a read-only root with its mount
// points. The end-to-end test (test/e2e/initrd.test.ts) boots with an
// archive holding /oskit-e2e/{marker,link,sub/}, checked here when present.
void boot_archive_contents(KTest& t)
{
    Location root = MountTable::root();
    KEXPECT(t, root.mount->read_only());
    KEXPECT_STREQ(t, root.inode->fs().type_name(), "rootfs");
    KEXPECT_EQ(t, KTRY(t, stat_path("/tmp")).mode, S_IFDIR | 01777u);
    KTRY(t, resolve(kstart(), "/dev", FOLLOW_FINAL | MUST_BE_DIRECTORY));
    KTRY(t, resolve(kstart(), "/proc", FOLLOW_FINAL | MUST_BE_DIRECTORY));
    if (resolve(kstart(), "/oskit-e2e", 0).is_error())
        return; // booted without the end-to-end test archive
    TextBuffer text;
    KTRY(t, read_file("/oskit-e2e/marker", text));
    KEXPECT_STREQ(t, text.c_str(), "oskit initrd marker\n");
    Metadata m = KTRY(t, stat_path("/oskit-e2e/marker"));
    KEXPECT_EQ(t, m.mode, S_IFREG | 0640u);
    KEXPECT_EQ(t, m.mtime.sec, 1700000000);
    KTRY(t, read_file("/oskit-e2e/link", text));
    KEXPECT_STREQ(t, text.c_str(), "oskit initrd marker\n");
    KEXPECT_EQ(t, KTRY(t, stat_path("/oskit-e2e/sub")).mode, S_IFDIR | 0700u);
    KEXPECT(t, KTRY(t, resolve(kstart(), "/oskit-e2e/marker", 0)).mount->read_only());
    KEXPECT_ERRNO(t, vfs::open(kstart(), "/oskit-e2e/marker", O_WRONLY, 0), EROFS);
    t.note("the end-to-end archive's files are in /");
}

} // namespace

KTEST_SUITE(initrd, KTEST_CASE(good_archive), KTEST_CASE(later_entries_replace_earlier_ones),
            KTEST_CASE(hard_links_and_concatenated_archives), KTEST_CASE(malformed_archives_are_rejected),
            KTEST_CASE(fw_cfg_dma_matches_port_reads), KTEST_CASE(boot_archive_contents));
