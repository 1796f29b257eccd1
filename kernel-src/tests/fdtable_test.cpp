// fdtable: lowest free descriptor, dup/dup2/dup3/F_DUPFD rules, the
// close-on-exec flag, EMFILE at the limit, fork's clone sharing open files,
// close_on_exec, close_range, and installs/closes from every CPU at once.
#include <fs/anon.hpp>
#include <fs/fd_table.hpp>
#include <kernel/time.hpp>
#include <proc/sched.hpp>
#include <proc/wait_queue.hpp>
#include <kernel/smp.hpp>
#include <tests/fs_test_util.hpp>

namespace {
using namespace fstest;

RefPtr<OpenFile> open_null()
{
    auto f = vfs::open(kstart(), "/dev/null", O_RDWR, 0);
    return f.is_error() ? nullptr : f.release_value();
}

void lowest_free_descriptor(KTest& t)
{
    FdTable fds;
    RefPtr<OpenFile> f = open_null();
    KASSERT_TRUE(t, f);
    for (i32 i = 0; i < 5; i++)
        KEXPECT_EQ(t, KTRY(t, fds.install(f, false)), i);
    KTRY(t, fds.close(1));
    KTRY(t, fds.close(3));
    KEXPECT_EQ(t, KTRY(t, fds.install(f, false)), 1);
    KEXPECT_EQ(t, KTRY(t, fds.install(f, false)), 3);
    KEXPECT_EQ(t, KTRY(t, fds.install(f, false)), 5);
    KEXPECT_EQ(t, fds.open_count(), 6u);
    KEXPECT_ERRNO(t, fds.close(6), EBADF);
    KEXPECT_ERRNO(t, fds.close(-1), EBADF);
    KEXPECT_ERRNO(t, fds.get(100000), EBADF);
    KEXPECT_EQ(t, f->ref_count(), 7u); // six descriptors and ours
    fds.close_all();
    KEXPECT_EQ(t, f->ref_count(), 1u);
}

void dup_rules(KTest& t)
{
    FdTable fds;
    RefPtr<OpenFile> f = open_null();
    KASSERT_TRUE(t, f);
    i32 a = KTRY(t, fds.install(f, true));
    i32 b = KTRY(t, fds.dup(a));
    KEXPECT_EQ(t, b, 1);
    KEXPECT(t, KTRY(t, fds.cloexec(a)));
    KEXPECT(t, !KTRY(t, fds.cloexec(b))); // dup clears close-on-exec
    KEXPECT(t, KTRY(t, fds.get(a)) == KTRY(t, fds.get(b)));
    // F_DUPFD: lowest free at or above the minimum.
    KEXPECT_EQ(t, KTRY(t, fds.dup(a, 10)), 10);
    KEXPECT_EQ(t, KTRY(t, fds.dup(a, 10, true)), 11);
    KEXPECT(t, KTRY(t, fds.cloexec(11)));
    KEXPECT_ERRNO(t, fds.dup(a, static_cast<i32>(fds.limit())), EINVAL);
    KEXPECT_ERRNO(t, fds.dup(42), EBADF);
    // dup2: to itself is a check only; onto an open descriptor replaces it.
    KEXPECT_EQ(t, KTRY(t, fds.dup2(a, a)), a);
    KEXPECT_ERRNO(t, fds.dup2(42, 42), EBADF);
    RefPtr<OpenFile> other = open_null();
    i32 c = KTRY(t, fds.install(other, false));
    KEXPECT_EQ(t, KTRY(t, fds.dup2(a, c)), c);
    KEXPECT(t, KTRY(t, fds.get(c)) == f);
    KEXPECT_EQ(t, other->ref_count(), 1u); // the replaced file was closed
    KEXPECT_ERRNO(t, fds.dup2(a, -1), EBADF);
    KEXPECT_ERRNO(t, fds.dup2(a, static_cast<i32>(fds.limit())), EBADF);
    // dup3: O_CLOEXEC only, never to itself.
    KEXPECT_EQ(t, KTRY(t, fds.dup3(a, 20, O_CLOEXEC)), 20);
    KEXPECT(t, KTRY(t, fds.cloexec(20)));
    KEXPECT_ERRNO(t, fds.dup3(a, a, 0), EINVAL);
    KEXPECT_ERRNO(t, fds.dup3(a, 21, O_NONBLOCK), EINVAL);
    KTRY(t, fds.set_cloexec(20, false));
    KEXPECT(t, !KTRY(t, fds.cloexec(20)));
    KEXPECT_ERRNO(t, fds.set_cloexec(99, true), EBADF);
}

void emfile_at_the_limit(KTest& t)
{
    FdTable fds;
    RefPtr<OpenFile> f = open_null();
    KASSERT_TRUE(t, f);
    KTRY(t, fds.set_limit(16));
    for (i32 i = 0; i < 16; i++)
        KTRY(t, fds.install(f, false));
    KEXPECT_ERRNO(t, fds.install(f, false), EMFILE);
    KEXPECT_ERRNO(t, fds.dup(0), EMFILE);
    KTRY(t, fds.close(7));
    KEXPECT_EQ(t, KTRY(t, fds.dup(0)), 7);
    KEXPECT_ERRNO(t, fds.set_limit(FdTable::MAX_LIMIT + 1), EPERM);
    // The default limit: 1024 descriptors, the 1025th is EMFILE.
    FdTable big;
    KEXPECT_EQ(t, big.limit(), 1024u);
    for (i32 i = 0; i < 1024; i++)
        KTRY(t, big.install(f, false));
    KEXPECT_ERRNO(t, big.install(f, false), EMFILE);
    KEXPECT_EQ(t, big.open_count(), 1024u);
}

void clone_shares_open_files(KTest& t)
{
    ScratchDir d("fdclone");
    KASSERT_TRUE(t, d.ok());
    KTRY(t, write_file(d("f"), "0123456789"));
    FdTable parent;
    RefPtr<OpenFile> f = KTRY(t, vfs::open(kstart(), d("f"), O_RDONLY, 0));
    i32 fd = KTRY(t, parent.install(f, false));
    i32 exec_fd = KTRY(t, parent.install(f, true));
    FdTable child;
    KTRY(t, child.clone_from(parent));
    KEXPECT_EQ(t, child.open_count(), 2u);
    KEXPECT(t, KTRY(t, child.cloexec(exec_fd)));
    // The same open file description: one offset for both.
    char buf[4];
    KTRY(t, KTRY(t, child.get(fd))->read(IoBuffer::kernel(buf, 4)));
    KEXPECT_EQ(t, KTRY(t, parent.get(fd))->offset(), 4u);
    // execve in the child closes only its close-on-exec descriptors.
    child.close_on_exec();
    KEXPECT_ERRNO(t, child.get(exec_fd), EBADF);
    KTRY(t, child.get(fd));
    KTRY(t, parent.get(exec_fd));
    FsContext* ctx = KTRY(t, kernel_fs_context().clone());
    KEXPECT(t, ctx->cwd().same_as(kernel_fs_context().cwd()));
    KEXPECT_EQ(t, ctx->umask.load(), kernel_fs_context().umask.load());
    delete ctx;
}

void close_range_closes_or_marks(KTest& t)
{
    FdTable fds;
    RefPtr<OpenFile> f = open_null();
    KASSERT_TRUE(t, f);
    for (int i = 0; i < 10; i++)
        KTRY(t, fds.install(f, false));
    KTRY(t, fds.close_range(3, 5, 0));
    KEXPECT_EQ(t, fds.open_count(), 7u);
    KEXPECT_ERRNO(t, fds.get(4), EBADF);
    KTRY(t, fds.close_range(6, ~0u, CLOSE_RANGE_CLOEXEC));
    KEXPECT(t, KTRY(t, fds.cloexec(9)));
    KEXPECT(t, !KTRY(t, fds.cloexec(2)));
    KEXPECT_ERRNO(t, fds.close_range(5, 4, 0), EINVAL);
    KEXPECT_ERRNO(t, fds.close_range(0, 1, 1), EINVAL);
    fds.close_on_exec();
    KEXPECT_EQ(t, fds.open_count(), 3u);
}

struct Hammer {
    FdTable* fds;
    OpenFile* file;
    Atomic<u32> failures;
    Atomic<u32> running;
    WaitQueue done;
};

void hammer_table(void* arg)
{
    auto* h = static_cast<Hammer*>(arg);
    for (int i = 0; i < 200; i++) {
        auto fd = h->fds->install(RefPtr<OpenFile>(h->file), false);
        if (fd.is_error()) {
            h->failures.fetch_add(1);
            continue;
        }
        auto got = h->fds->get(fd.value());
        if (got.is_error() || got.value().ptr() != h->file)
            h->failures.fetch_add(1);
        if (h->fds->close(fd.value()).is_error())
            h->failures.fetch_add(1);
    }
    if (h->running.fetch_sub(1) == 1)
        h->done.wake_all();
}

// A thread on every CPU works on one table at once (the table's Mutex
// sleeps, so the workers are threads, pinned one per CPU).
void concurrent_install_and_close(KTest& t)
{
    FdTable fds;
    RefPtr<OpenFile> f = open_null();
    KASSERT_TRUE(t, f);
    Hammer h { &fds, f.ptr(), 0, 0, {} };
    u32 cpus = smp::online_count();
    for (u32 cpu = 0; cpu < cpus; cpu++) {
        auto worker = thread::create_kernel("t-fdtable", hammer_table, &h);
        KASSERT_TRUE(t, !worker.is_error());
        worker.value()->affinity = static_cast<i32>(cpu);
        h.running.fetch_add(1);
        sched::start(worker.value());
    }
    KASSERT_TRUE(t, !h.done.wait_until([&h] { return h.running.load() == 0; }, false,
                                      ::time::since_boot_ns() + 60 * 1000000000ull).is_error());
    KEXPECT_EQ(t, h.failures.load(), 0u);
    KEXPECT_EQ(t, fds.open_count(), 0u);
    KEXPECT_EQ(t, f->ref_count(), 1u);
    t.note("%u CPUs installed and closed 200 descriptors each", smp::online_count());
}

// What the pipe implementation will do: an unnamed FIFO inode and open
// files with their own operations, unseekable.
class StreamOps final : public FileOps {
public:
    bool seekable() const override { return false; }
    ErrorOr<size_t> read(OpenFile&, const IoBuffer& buf, u64) override { return buf.size(); }
    ErrorOr<size_t> write(OpenFile&, const IoBuffer& buf, u64&) override { return buf.size(); }
    u32 released = 0;
    void release(OpenFile&) override { released++; }
};
StreamOps s_stream;

void anonymous_files_with_their_own_ops(KTest& t)
{
    Location a = KTRY(t, make_anonymous_inode(S_IFIFO | 0600));
    Location b = KTRY(t, make_anonymous_inode(S_IFIFO | 0600));
    KEXPECT_NE(t, a.inode->ino(), b.inode->ino());
    Metadata m = a.inode->metadata();
    KEXPECT_EQ(t, m.mode, S_IFIFO | 0600u);
    KEXPECT_EQ(t, m.nlink, 1u);
    KEXPECT_STREQ(t, a.inode->fs().type_name(), "pipefs");
    {
        RefPtr<OpenFile> r = KTRY(t, OpenFile::create(a, O_RDONLY, s_stream));
        char buf[8];
        KEXPECT_EQ(t, KTRY(t, r->read(IoBuffer::kernel(buf, 8))), 8u);
        KEXPECT_ERRNO(t, r->seek(0, SEEK_SET), ESPIPE);
        KEXPECT_ERRNO(t, r->pread(IoBuffer::kernel(buf, 8), 0), ESPIPE);
        KEXPECT_ERRNO(t, r->write(IoBuffer::kernel(buf, 8)), EBADF);
        FdTable fds;
        KTRY(t, fds.install(r, false));
    }
    KEXPECT_EQ(t, s_stream.released, 1u);
}

} // namespace

KTEST_SUITE(fdtable, KTEST_CASE(lowest_free_descriptor), KTEST_CASE(dup_rules), KTEST_CASE(emfile_at_the_limit),
            KTEST_CASE(clone_shares_open_files), KTEST_CASE(close_range_closes_or_marks),
            KTEST_CASE(concurrent_install_and_close), KTEST_CASE(anonymous_files_with_their_own_ops));
