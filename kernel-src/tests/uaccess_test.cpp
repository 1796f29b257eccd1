// uaccess: copies to and from user memory — range checks, faults turned into
// EFAULT through the exception table, string limits, and SMAP (a plain kernel
// access to a user page faults; the copy routines open the window).
#include <arch/x86_64/smap.hpp>
#include <kernel/fault_catch.hpp>
#include <kernel/ktest.hpp>
#include <kernel/uaccess.hpp>
#include <lib/string.hpp>
#include <mm/pmm.hpp>
#include <mm/vmm.hpp>

namespace {

// A user page mapped into the kernel's own address space for the test (the
// low half is otherwise empty there), removed by the destructor.
constexpr UserAddr TEST_PAGE = 0x10000000;

struct UserPage {
    PhysAddr phys = 0;
    bool ok = false;
    explicit UserPage(u64 flags)
    {
        auto p = pmm::alloc_zeroed_page();
        if (p.is_error())
            return;
        phys = p.value();
        ok = !vmm::map_page(vmm::kernel_space(), TEST_PAGE, phys, flags | vmm::User).is_error();
    }
    ~UserPage()
    {
        if (ok)
            (void)vmm::unmap_page(vmm::kernel_space(), TEST_PAGE);
        if (phys)
            pmm::free_page(phys);
    }
    char* direct() { return phys_to_ptr<char>(phys); }
};

void roundtrip(KTest& t)
{
    UserPage page(vmm::Write);
    KASSERT_TRUE(t, page.ok);
    const char msg[] = "hello, user space";
    KTRY(t, copy_to_user(TEST_PAGE + 100, msg, sizeof(msg)));
    KEXPECT_STREQ(t, page.direct() + 100, msg);
    char back[sizeof(msg)] = {};
    KTRY(t, copy_from_user(back, TEST_PAGE + 100, sizeof(msg)));
    KEXPECT_STREQ(t, back, msg);
    KTRY(t, clear_user(TEST_PAGE + 100, 5));
    KEXPECT_EQ(t, page.direct()[104], 0);
    KEXPECT_EQ(t, page.direct()[105], ',');
    u64 word = KTRY(t, get_user<u64>(TEST_PAGE + 100));
    KEXPECT_EQ(t, word & 0xFFFFFFFFFFull, 0u);
    KTRY(t, put_user<u32>(TEST_PAGE, 0xDEADBEEF));
    KEXPECT_EQ(t, *reinterpret_cast<u32*>(page.direct()), 0xDEADBEEFu);
}

void kernel_addresses_rejected(KTest& t)
{
    char buf[16];
    // A kernel address is refused by the range check before any access.
    auto r = copy_from_user(buf, 0xFFFFFFFF80000000ull, sizeof(buf));
    KEXPECT(t, r.is_error() && r.error().code() == EFAULT);
    auto w = copy_to_user(reinterpret_cast<UserAddr>(buf), "x", 1);
    KEXPECT(t, w.is_error() && w.error().code() == EFAULT);
    // A range that starts in user space and runs past its end.
    auto straddle = copy_from_user(buf, uaccess::USER_SPACE_END - 8, sizeof(buf));
    KEXPECT(t, straddle.is_error() && straddle.error().code() == EFAULT);
    // Wrap-around.
    auto wrap = copy_from_user(buf, ~0ull - 4, sizeof(buf));
    KEXPECT(t, wrap.is_error() && wrap.error().code() == EFAULT);
}

void unmapped_user_address_faults_to_efault(KTest& t)
{
    char buf[64];
    // Nothing is mapped at 0x20000000: the copy faults inside the routine and
    // resumes at its fixup.
    auto r = copy_from_user(buf, 0x20000000, sizeof(buf));
    KEXPECT(t, r.is_error() && r.error().code() == EFAULT);
    auto w = copy_to_user(0x20000000, buf, sizeof(buf));
    KEXPECT(t, w.is_error() && w.error().code() == EFAULT);
    auto c = clear_user(0x20000000, 8);
    KEXPECT(t, c.is_error() && c.error().code() == EFAULT);
    auto s = strncpy_from_user(buf, 0x20000000, sizeof(buf));
    KEXPECT(t, s.is_error() && s.error().code() == EFAULT);
}

void partial_copy_across_the_end_of_a_page(KTest& t)
{
    UserPage page(vmm::Write);
    KASSERT_TRUE(t, page.ok);
    char buf[32];
    // The first 16 bytes are mapped, the rest is not: EFAULT, not a crash.
    auto r = copy_from_user(buf, TEST_PAGE + PAGE_SIZE - 16, sizeof(buf));
    KEXPECT(t, r.is_error() && r.error().code() == EFAULT);
}

void read_only_page_refuses_writes(KTest& t)
{
    UserPage page(0);
    KASSERT_TRUE(t, page.ok);
    auto w = copy_to_user(TEST_PAGE, "x", 1);
    KEXPECT(t, w.is_error() && w.error().code() == EFAULT);
    char c;
    KTRY(t, copy_from_user(&c, TEST_PAGE, 1));
    KEXPECT_EQ(t, c, 0);
}

void strings(KTest& t)
{
    UserPage page(vmm::Write);
    KASSERT_TRUE(t, page.ok);
    memcpy(page.direct(), "/bin/sh", 8);
    char buf[16];
    size_t len = KTRY(t, strncpy_from_user(buf, TEST_PAGE, sizeof(buf)));
    KEXPECT_EQ(t, len, 7u);
    KEXPECT_STREQ(t, buf, "/bin/sh");
    // No NUL within the buffer: ENAMETOOLONG.
    memset(page.direct(), 'a', 64);
    auto tl = strncpy_from_user(buf, TEST_PAGE, sizeof(buf));
    KEXPECT(t, tl.is_error() && tl.error().code() == ENAMETOOLONG);
    // The string runs into the unmapped page after it: EFAULT.
    memset(page.direct() + PAGE_SIZE - 8, 'b', 8);
    auto off = strncpy_from_user(buf, TEST_PAGE + PAGE_SIZE - 8, sizeof(buf));
    KEXPECT(t, off.is_error() && off.error().code() == EFAULT);
}

void smap_blocks_plain_kernel_access(KTest& t)
{
    if (!x86::smap_enabled()) {
        t.skip("the CPU has no SMAP");
        return;
    }
    UserPage page(vmm::Write);
    KASSERT_TRUE(t, page.ok);
    FaultInfo info;
    auto touch = [] { (void)*reinterpret_cast<volatile char*>(TEST_PAGE); };
    KEXPECT(t, fault_catch(touch, &info));
    KEXPECT_EQ(t, info.vector, 14u);
    KEXPECT_EQ(t, info.error_code & 1, 1u); // protection violation, not "not present"
    // ... while the copy routine may.
    char c = 1;
    KTRY(t, copy_from_user(&c, TEST_PAGE, 1));
    KEXPECT_EQ(t, c, 0);
}

void io_buffer(KTest& t)
{
    UserPage page(vmm::Write);
    KASSERT_TRUE(t, page.ok);
    char kbuf[32] = {};
    IoBuffer k = IoBuffer::kernel(kbuf, sizeof(kbuf));
    IoBuffer u = IoBuffer::user(TEST_PAGE, 64);
    KTRY(t, k.write(4, "abc", 3));
    KEXPECT_STREQ(t, kbuf + 4, "abc");
    KTRY(t, u.write(10, "xyz", 4));
    KEXPECT_STREQ(t, page.direct() + 10, "xyz");
    char out[4];
    KTRY(t, u.slice(10, 4).read(0, out, 4));
    KEXPECT_STREQ(t, out, "xyz");
    auto past = k.write(30, "abc", 3);
    KEXPECT(t, past.is_error() && past.error().code() == EFAULT);
    KEXPECT_EQ(t, u.slice(60, 100).size(), 4u);
    KEXPECT(t, u.is_user() && !k.is_user());
}

} // namespace

KTEST_SUITE(uaccess, KTEST_CASE(roundtrip), KTEST_CASE(kernel_addresses_rejected),
            KTEST_CASE(unmapped_user_address_faults_to_efault), KTEST_CASE(partial_copy_across_the_end_of_a_page),
            KTEST_CASE(read_only_page_refuses_writes), KTEST_CASE(strings), KTEST_CASE(smap_blocks_plain_kernel_access),
            KTEST_CASE(io_buffer));
