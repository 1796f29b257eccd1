// lib: glob matching, ErrorOr/TRY, the command line parser.
#include <kernel/cmdline.hpp>
#include <kernel/ktest.hpp>
#include <lib/error_or.hpp>
#include <lib/glob.hpp>

namespace {

void glob(KTest& t)
{
    KEXPECT(t, glob_match("*", "anything"));
    KEXPECT(t, glob_match("pmm", "pmm"));
    KEXPECT(t, !glob_match("pmm", "pmm2"));
    KEXPECT(t, glob_match("pmm.*", "pmm.alloc_free_roundtrip"));
    KEXPECT(t, glob_match("*.huge_*", "vmm.huge_pages"));
    KEXPECT(t, glob_match("h?ap", "heap"));
    KEXPECT(t, !glob_match("h?ap", "hap"));
    KEXPECT(t, glob_match("a*b*c", "aXXbYYc"));
    KEXPECT(t, !glob_match("a*b*c", "aXXbYY"));
    KEXPECT(t, glob_match("", ""));
    KEXPECT(t, !glob_match("", "x"));
}

ErrorOr<int> parse_digit(char c)
{
    if (c < '0' || c > '9')
        return Error::from_errno(EINVAL);
    return c - '0';
}

ErrorOr<int> sum_digits(const char* s)
{
    int total = 0;
    for (; *s; s++)
        total += TRY(parse_digit(*s));
    return total;
}

void error_or(KTest& t)
{
    auto ok = sum_digits("1234");
    KASSERT_TRUE(t, !ok.is_error());
    KEXPECT_EQ(t, ok.value(), 10);
    auto bad = sum_digits("12x4");
    KASSERT_TRUE(t, bad.is_error());
    KEXPECT_EQ(t, bad.error().code(), EINVAL);
    KEXPECT_STREQ(t, bad.error().name(), "EINVAL");
}

void command_line(KTest& t)
{
    // The run that executes this test was started with ktest on the line.
    KEXPECT(t, cmdline::has("ktest"));
    KEXPECT(t, !cmdline::has("ktes"));
    char value[8];
    KEXPECT(t, !cmdline::get("no_such_key", value, sizeof(value)));
    u32 number;
    KEXPECT(t, !cmdline::get_u32("no_such_key", &number));
    KEXPECT(t, !cmdline::get_u32("ktest", &number)); // present, but not a number
}

} // namespace

KTEST_SUITE(lib, KTEST_CASE(glob), KTEST_CASE(error_or), KTEST_CASE(command_line));
