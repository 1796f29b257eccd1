// tmpfs: file data (pages, holes, truncation), rename's replacement rules,
// hard links, unlink while open, timestamps, directory sizes and listing,
// the size limit, and every page returned to the PMM after a big file is
// deleted.
#include <fs/tmpfs/tmpfs.hpp>
#include <mm/heap.hpp>
#include <mm/pmm.hpp>
#include <tests/fs_test_util.hpp>

namespace {
using namespace fstest;

// A heap buffer filled with a pattern that depends on the byte's offset.
struct Pattern {
    u8* data;
    size_t size;
    explicit Pattern(size_t n, u8 seed = 1) : data(static_cast<u8*>(heap::alloc(n))), size(n)
    {
        for (size_t i = 0; data && i < n; i++)
            data[i] = static_cast<u8>((i * 31 + seed) ^ (i >> 12));
    }
    ~Pattern() { heap::free(data); }
};

bool all_zero(const u8* p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i])
            return false;
    }
    return true;
}

void write_read_across_pages(KTest& t)
{
    ScratchDir d("rw");
    KASSERT_TRUE(t, d.ok());
    Pattern p(3 * PAGE_SIZE + 123);
    KASSERT_TRUE(t, p.data);
    RefPtr<OpenFile> f = KTRY(t, vfs::open(kstart(), d("data"), O_CREAT | O_RDWR, 0644));
    // Written in odd pieces that straddle page boundaries.
    size_t done = 0;
    size_t pieces[] = { 1, 4095, 4097, 3000, 1000000 };
    for (size_t piece : pieces) {
        size_t n = min(piece, p.size - done);
        KEXPECT_EQ(t, KTRY(t, f->write(IoBuffer::kernel(p.data + done, n))), n);
        done += n;
    }
    KEXPECT_EQ(t, f->inode().size(), p.size);
    Pattern back(p.size, 0);
    KASSERT_TRUE(t, back.data);
    memset(back.data, 0, back.size);
    KEXPECT_EQ(t, KTRY(t, f->pread(IoBuffer::kernel(back.data, back.size), 0)), p.size);
    KEXPECT(t, memcmp(back.data, p.data, p.size) == 0);
    // Reads at and past the end.
    KEXPECT_EQ(t, KTRY(t, f->pread(IoBuffer::kernel(back.data, 10), p.size)), 0u);
    KEXPECT_EQ(t, KTRY(t, f->pread(IoBuffer::kernel(back.data, 100), p.size - 5)), 5u);
    Metadata m = f->inode().metadata();
    KEXPECT_EQ(t, m.blocks, 4u * 8); // four pages, in 512-byte units
    KEXPECT_EQ(t, m.blksize, 4096u);
}

void holes_read_as_zeros(KTest& t)
{
    ScratchDir d("holes");
    KASSERT_TRUE(t, d.ok());
    RefPtr<OpenFile> f = KTRY(t, vfs::open(kstart(), d("sparse"), O_CREAT | O_RDWR, 0644));
    constexpr u64 FAR = 5 * MiB + 17;
    KTRY(t, f->pwrite(IoBuffer::kernel(const_cast<char*>("end"), 3), FAR));
    Metadata m = f->inode().metadata();
    KEXPECT_EQ(t, m.size, FAR + 3);
    KEXPECT_EQ(t, m.blocks, 8u); // only the page written
    u8 buf[512];
    memset(buf, 0xAA, sizeof(buf));
    KEXPECT_EQ(t, KTRY(t, f->pread(IoBuffer::kernel(buf, sizeof(buf)), 2 * MiB)), sizeof(buf));
    KEXPECT(t, all_zero(buf, sizeof(buf)));
    // A read spanning hole and data.
    KEXPECT_EQ(t, KTRY(t, f->pread(IoBuffer::kernel(buf, 20), FAR - 17)), 20u);
    KEXPECT(t, all_zero(buf, 17));
    KEXPECT(t, memcmp(buf + 17, "end", 3) == 0);
    // Far beyond: a hole in a taller tree (past 1 GiB, 2 levels up).
    KTRY(t, f->pwrite(IoBuffer::kernel(const_cast<char*>("x"), 1), 3 * GiB));
    KEXPECT_EQ(t, f->inode().size(), 3 * GiB + 1);
    KEXPECT_EQ(t, f->inode().metadata().blocks, 16u);
    KEXPECT_EQ(t, KTRY(t, f->pread(IoBuffer::kernel(buf, 8), 3 * GiB - 4)), 5u);
    KEXPECT(t, all_zero(buf, 4) && buf[4] == 'x');
    // Beyond the largest file: EFBIG.
    KEXPECT_ERRNO(t, f->pwrite(IoBuffer::kernel(buf, 1), TmpfsFile::MAX_SIZE), EFBIG);
    KEXPECT_ERRNO(t, f->inode().truncate(TmpfsFile::MAX_SIZE + 1), EFBIG);
}

void truncate_shrinks_and_grows(KTest& t)
{
    ScratchDir d("truncate");
    KASSERT_TRUE(t, d.ok());
    Pattern p(10000);
    KTRY(t, write_file(d("f"), p.data, p.size));
    RefPtr<OpenFile> f = KTRY(t, vfs::open(kstart(), d("f"), O_RDWR, 0));
    KTRY(t, f->inode().truncate(5000));
    KEXPECT_EQ(t, f->inode().size(), 5000u);
    KEXPECT_EQ(t, f->inode().metadata().blocks, 16u);
    KTRY(t, f->inode().truncate(12000));
    Pattern back(12000);
    KASSERT_TRUE(t, back.data);
    u8* buf = back.data;
    KEXPECT_EQ(t, KTRY(t, f->pread(IoBuffer::kernel(buf, 12000), 0)), 12000u);
    KEXPECT(t, memcmp(buf, p.data, 5000) == 0);
    // What was cut and then grown back reads as zeros (not the old data).
    KEXPECT(t, all_zero(buf + 5000, 7000));
    KTRY(t, f->inode().truncate(0));
    KEXPECT_EQ(t, f->inode().metadata().blocks, 0u);
    KEXPECT_EQ(t, KTRY(t, f->pread(IoBuffer::kernel(buf, 10), 0)), 0u);
}

void rename_replacement_rules(KTest& t)
{
    ScratchDir d("rename");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, write_file(d("a"), "A"));
    KTRY(t, write_file(d("b"), "B"));
    KTRY(t, vfs::mkdir(kstart(), d("empty"), 0755));
    KTRY(t, vfs::mkdir(kstart(), d("full"), 0755));
    KTRY(t, write_file(d("full/x"), "x"));
    KTRY(t, vfs::mkdir(kstart(), d("other"), 0755));
    RefPtr<OpenFile> b_open = KTRY(t, vfs::open(kstart(), d("b"), O_RDONLY, 0));
    // A file replaces a file; the replaced inode loses its link.
    KTRY(t, vfs::rename(kstart(), d("a"), kstart(), d("b"), 0));
    KEXPECT_ERRNO(t, resolve(kstart(), d("a"), 0), ENOENT);
    TextBuffer text;
    KTRY(t, read_file(d("b"), text));
    KEXPECT_STREQ(t, text.c_str(), "A");
    KEXPECT_EQ(t, b_open->inode().nlink(), 0u);
    // Non-directory over directory and back: EISDIR / ENOTDIR.
    KEXPECT_ERRNO(t, vfs::rename(kstart(), d("b"), kstart(), d("empty"), 0), EISDIR);
    KEXPECT_ERRNO(t, vfs::rename(kstart(), d("empty"), kstart(), d("b"), 0), ENOTDIR);
    // Directory over a non-empty directory: ENOTEMPTY; over an empty one: fine.
    KEXPECT_ERRNO(t, vfs::rename(kstart(), d("other"), kstart(), d("full"), 0), ENOTEMPTY);
    Metadata parent_before = KTRY(t, stat_path(d.path()));
    KTRY(t, vfs::rename(kstart(), d("full"), kstart(), d("empty"), 0));
    KTRY(t, resolve(kstart(), d("empty/x"), 0));
    Metadata parent_after = KTRY(t, stat_path(d.path()));
    KEXPECT_EQ(t, parent_after.nlink, parent_before.nlink - 1); // one subdirectory fewer
    // RENAME_NOREPLACE refuses an existing target.
    KEXPECT_ERRNO(t, vfs::rename(kstart(), d("b"), kstart(), d("empty/x"), RENAME_NOREPLACE), EEXIST);
    // Moving a directory fixes both parents' link counts and its "..".
    Metadata other_before = KTRY(t, stat_path(d("other")));
    KTRY(t, vfs::rename(kstart(), d("empty"), kstart(), d("other/moved"), 0));
    Metadata other_after = KTRY(t, stat_path(d("other")));
    KEXPECT_EQ(t, other_after.nlink, other_before.nlink + 1);
    Location dotdot = KTRY(t, resolve(kstart(), d("other/moved/.."), FOLLOW_FINAL));
    KEXPECT_EQ(t, dotdot.inode->ino(), other_after.ino);
    // RENAME_EXCHANGE swaps a file and a directory.
    KTRY(t, vfs::rename(kstart(), d("b"), kstart(), d("other/moved"), RENAME_EXCHANGE));
    KEXPECT(t, KTRY(t, resolve(kstart(), d("b"), 0)).inode->is_directory());
    KEXPECT(t, KTRY(t, resolve(kstart(), d("other/moved"), 0)).inode->is_regular());
    KTRY(t, resolve(kstart(), d("b/x"), 0));
    // Two names for one inode: rename does nothing and succeeds.
    KTRY(t, vfs::link(KTRY(t, resolve(kstart(), d("other/moved"), 0)), kstart(), d("alias")));
    KTRY(t, vfs::rename(kstart(), d("alias"), kstart(), d("other/moved"), 0));
    KTRY(t, resolve(kstart(), d("alias"), 0));
    KEXPECT_EQ(t, KTRY(t, stat_path(d("alias"))).nlink, 2u);
}

void hard_links_share_data(KTest& t)
{
    ScratchDir d("links");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, write_file(d("one"), "shared"));
    Location one = KTRY(t, resolve(kstart(), d("one"), 0));
    KTRY(t, vfs::link(one, kstart(), d("two")));
    Metadata m1 = KTRY(t, stat_path(d("one")));
    Metadata m2 = KTRY(t, stat_path(d("two")));
    KEXPECT_EQ(t, m1.ino, m2.ino);
    KEXPECT_EQ(t, m1.nlink, 2u);
    KTRY(t, write_file(d("two"), "changed", 7, O_TRUNC));
    TextBuffer text;
    KTRY(t, read_file(d("one"), text));
    KEXPECT_STREQ(t, text.c_str(), "changed");
    KTRY(t, vfs::unlink(kstart(), d("one")));
    KEXPECT_EQ(t, KTRY(t, stat_path(d("two"))).nlink, 1u);
}

void unlink_while_open_keeps_data(KTest& t)
{
    ScratchDir d("unlinked");
    KASSERT_TRUE(t, d.ok());
    u64 before = pmm::stats().free_pages + heap::stats().pages_held;
    {
        Pattern p(64 * KiB);
        KTRY(t, write_file(d("f"), p.data, p.size));
        RefPtr<OpenFile> f = KTRY(t, vfs::open(kstart(), d("f"), O_RDWR, 0));
        KTRY(t, vfs::unlink(kstart(), d("f")));
        KEXPECT_ERRNO(t, resolve(kstart(), d("f"), 0), ENOENT);
        KEXPECT_EQ(t, f->inode().nlink(), 0u);
        Pattern back(p.size, 0);
        KEXPECT_EQ(t, KTRY(t, f->pread(IoBuffer::kernel(back.data, back.size), 0)), p.size);
        KEXPECT(t, memcmp(back.data, p.data, p.size) == 0);
        KTRY(t, f->pwrite(IoBuffer::kernel(p.data, 10), p.size)); // still writable
        KEXPECT_EQ(t, f->inode().size(), p.size + 10);
        // The last close frees the pages.
    }
    u64 after = pmm::stats().free_pages + heap::stats().pages_held;
    KEXPECT_EQ(t, after, before);
}

void pages_return_after_deleting_a_big_file(KTest& t)
{
    ScratchDir d("big");
    KASSERT_TRUE(t, d.ok());
    // Free pages plus the heap's own pages: heap slabs come and go with
    // the directory entries, the sum does not.
    u64 before = pmm::stats().free_pages + heap::stats().pages_held;
    u64 free_before = pmm::stats().free_pages;
    Pattern p(256 * KiB);
    KASSERT_TRUE(t, p.data);
    u64 with_pattern = pmm::stats().free_pages + heap::stats().pages_held;
    {
        RefPtr<OpenFile> f = KTRY(t, vfs::open(kstart(), d("big"), O_CREAT | O_WRONLY, 0644));
        for (int i = 0; i < 32; i++) // 8 MiB
            KTRY(t, f->write(IoBuffer::kernel(p.data, p.size)));
        KEXPECT_EQ(t, f->inode().size(), 8 * MiB);
        KEXPECT_EQ(t, f->inode().metadata().blocks, 8 * MiB / 512);
    }
    u64 free_during = pmm::stats().free_pages;
    KEXPECT_LE(t, free_during + 2048, free_before); // the data took at least 2048 pages
    TmpFs& tmp = static_cast<TmpFs&>(KTRY(t, resolve(kstart(), d.path(), 0)).inode->fs());
    KEXPECT_GE(t, tmp.pages_used(), 2048u);
    KTRY(t, vfs::unlink(kstart(), d("big")));
    KEXPECT_EQ(t, pmm::stats().free_pages + heap::stats().pages_held, with_pattern);
    (void)before;
}

void timestamps_follow_linux(KTest& t)
{
    ScratchDir d("times");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, write_file(d("f"), "x"));
    Location f = KTRY(t, resolve(kstart(), d("f"), 0));
    Location dir = KTRY(t, resolve(kstart(), d.path(), 0));
    // Set everything far in the past, then see which calls move what.
    auto reset = [&](Location& loc) {
        AttributeChange c;
        c.set_atime = c.set_mtime = true;
        c.atime = c.mtime = Timespec { 1000, 0 };
        loc.inode->change_attributes(c);
    };
    reset(f);
    Metadata m = f.inode->metadata();
    KEXPECT_EQ(t, m.mtime.sec, 1000);
    KEXPECT(t, m.ctime.sec > 1000); // the change itself set ctime to now
    // Writing moves mtime and ctime, not atime.
    RefPtr<OpenFile> w = KTRY(t, vfs::open(kstart(), d("f"), O_WRONLY, 0));
    KTRY(t, w->write(IoBuffer::kernel(const_cast<char*>("y"), 1)));
    m = f.inode->metadata();
    KEXPECT(t, m.mtime.sec > 1000);
    KEXPECT_EQ(t, m.atime.sec, 1000);
    // Reading moves atime (relatime: atime was older than mtime).
    RefPtr<OpenFile> r = KTRY(t, vfs::open(kstart(), d("f"), O_RDONLY, 0));
    char c;
    KTRY(t, r->read(IoBuffer::kernel(&c, 1)));
    KEXPECT(t, f.inode->metadata().atime.sec > 1000);
    // Creating, renaming and removing names move the directory's times.
    reset(dir);
    KTRY(t, write_file(d("g"), "z"));
    KEXPECT(t, dir.inode->metadata().mtime.sec > 1000);
    reset(dir);
    reset(f);
    KTRY(t, vfs::rename(kstart(), d("f"), kstart(), d("h"), 0));
    KEXPECT(t, dir.inode->metadata().mtime.sec > 1000);
    KEXPECT_EQ(t, f.inode->metadata().mtime.sec, 1000); // rename moves ctime only
    reset(dir);
    KTRY(t, vfs::unlink(kstart(), d("g")));
    KEXPECT(t, dir.inode->metadata().mtime.sec > 1000);
    // Truncation moves mtime.
    reset(f);
    KTRY(t, f.inode->truncate(0));
    KEXPECT(t, f.inode->metadata().mtime.sec > 1000);
}

void directories_list_and_count(KTest& t)
{
    ScratchDir d("listing");
    KASSERT_TRUE(t, d.ok());
    Location dir = KTRY(t, resolve(kstart(), d.path(), 0));
    Metadata empty = dir.inode->metadata();
    KEXPECT_EQ(t, empty.size, 40u); // tmpfs: 20 per entry, "." and ".." included
    KEXPECT_EQ(t, empty.nlink, 2u);
    const char* names[] = { "alpha", "beta", "gamma", "delta" };
    for (const char* n : names)
        KTRY(t, write_file(d(n), n));
    KTRY(t, vfs::mkdir(kstart(), d("sub"), 0755));
    Metadata full = dir.inode->metadata();
    KEXPECT_EQ(t, full.size, 40u + 5 * 20);
    KEXPECT_EQ(t, full.nlink, 3u);
    // List with a sink that takes two entries per call, removing one
    // name in between: nothing is listed twice, the rest still comes.
    struct Collect final : DirSink {
        TextBuffer seen;
        u32 room = 2;
        bool emit(StringView name, u64, u8 type, u64) override
        {
            if (room == 0)
                return false;
            room--;
            seen.append(name.chars(), name.length());
            seen.appendf(":%u ", type);
            return true;
        }
    };
    RefPtr<OpenFile> f = KTRY(t, vfs::open(kstart(), d.path(), O_RDONLY | O_DIRECTORY, 0));
    Collect c;
    KTRY(t, f->read_directory(c));
    KEXPECT_STREQ(t, c.seen.c_str(), ".:4 ..:4 ");
    c.room = 2;
    KTRY(t, f->read_directory(c));
    KTRY(t, vfs::unlink(kstart(), d("delta")));
    for (int i = 0; i < 4; i++) {
        c.room = 2;
        KTRY(t, f->read_directory(c));
    }
    KEXPECT_STREQ(t, c.seen.c_str(), ".:4 ..:4 alpha:8 beta:8 gamma:8 sub:4 ");
    // lseek(0) rewinds.
    KTRY(t, f->seek(0, SEEK_SET));
    Collect again;
    again.room = 100;
    KTRY(t, f->read_directory(again));
    KEXPECT_STREQ(t, again.seen.c_str(), ".:4 ..:4 alpha:8 beta:8 gamma:8 sub:4 ");
    KEXPECT_ERRNO(t, f->read(IoBuffer::kernel(&again, 1)), EISDIR);
}

void size_limit_gives_enospc(KTest& t)
{
    ScratchDir d("limit");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, vfs::mkdir(kstart(), d("m"), 0755));
    KTRY(t, vfs::mount(kstart(), "small", d("m"), "tmpfs", 0, "size=16k"));
    Pattern p(24 * KiB);
    RefPtr<OpenFile> f = KTRY(t, vfs::open(kstart(), d("m/f"), O_CREAT | O_WRONLY, 0644));
    // The first 16 KiB fit; the call returns the short count.
    KEXPECT_EQ(t, KTRY(t, f->write(IoBuffer::kernel(p.data, p.size))), 16 * KiB);
    KEXPECT_ERRNO(t, f->write(IoBuffer::kernel(p.data, 1)), ENOSPC);
    LinuxStatfs st;
    KTRY(t, vfs::statfs(f->location(), st));
    KEXPECT_EQ(t, st.f_type, TMPFS_MAGIC);
    KEXPECT_EQ(t, st.f_blocks, 4u);
    KEXPECT_EQ(t, st.f_bfree, 0u);
    // Freed space is usable again.
    KTRY(t, f->inode().truncate(0));
    KTRY(t, vfs::statfs(f->location(), st));
    KEXPECT_EQ(t, st.f_bfree, 4u);
    f = nullptr;
    KTRY(t, vfs::umount(kstart(), d("m"), 0));
}

} // namespace

KTEST_SUITE(tmpfs, KTEST_CASE(write_read_across_pages), KTEST_CASE(holes_read_as_zeros),
            KTEST_CASE(truncate_shrinks_and_grows), KTEST_CASE(rename_replacement_rules),
            KTEST_CASE(hard_links_share_data), KTEST_CASE(unlink_while_open_keeps_data),
            KTEST_CASE(pages_return_after_deleting_a_big_file), KTEST_CASE(timestamps_follow_linux),
            KTEST_CASE(directories_list_and_count), KTEST_CASE(size_limit_gives_enospc));
