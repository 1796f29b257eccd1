// format: the printf-style formatter behind the log.
#include <kernel/ktest.hpp>
#include <lib/format.hpp>
#include <lib/string.hpp>

namespace {

#define EXPECT_FORMAT(t, expected, ...)                                                            \
    do {                                                                                           \
        char _buf[128];                                                                            \
        size_t _n = format(_buf, sizeof(_buf), __VA_ARGS__);                                       \
        KEXPECT_STREQ(t, _buf, expected);                                                          \
        KEXPECT_EQ(t, _n, strlen(expected));                                                       \
    } while (0)

void integers(KTest& t)
{
    EXPECT_FORMAT(t, "0", "%d", 0);
    EXPECT_FORMAT(t, "42 -42", "%d %i", 42, -42);
    EXPECT_FORMAT(t, "4294967295", "%u", 4294967295u);
    EXPECT_FORMAT(t, "-2147483648", "%d", -2147483647 - 1);
    EXPECT_FORMAT(t, "18446744073709551615", "%lu", ~0ul);
    EXPECT_FORMAT(t, "-9223372036854775808", "%ld", (-9223372036854775807l - 1));
    EXPECT_FORMAT(t, "123456789012", "%llu", 123456789012ull);
    EXPECT_FORMAT(t, "77", "%zu", size_t(77));
}

void hex(KTest& t)
{
    EXPECT_FORMAT(t, "ff FF", "%x %X", 255, 255);
    EXPECT_FORMAT(t, "deadbeefcafe", "%lx", 0xdeadbeefcafeul);
    EXPECT_FORMAT(t, "0", "%x", 0);
    EXPECT_FORMAT(t, "ffffffffffffffff", "%lx", ~0ul);
}

void octal(KTest& t)
{
    EXPECT_FORMAT(t, "755 0", "%o %o", 0755, 0);
    EXPECT_FORMAT(t, "0022", "%04o", 022);
    EXPECT_FORMAT(t, "1777777777777777777777", "%lo", ~0ul);
}

void pointers(KTest& t)
{
    EXPECT_FORMAT(t, "0xffffffff80001000", "%p", reinterpret_cast<void*>(0xffffffff80001000ul));
    EXPECT_FORMAT(t, "0x0000000000000010", "%p", reinterpret_cast<void*>(16));
}

void widths(KTest& t)
{
    EXPECT_FORMAT(t, "[   42]", "[%5d]", 42);
    EXPECT_FORMAT(t, "[42   ]", "[%-5d]", 42);
    EXPECT_FORMAT(t, "[00042]", "[%05d]", 42);
    EXPECT_FORMAT(t, "[-0042]", "[%05d]", -42);
    EXPECT_FORMAT(t, "[0000beef]", "[%08x]", 0xbeef);
    EXPECT_FORMAT(t, "[  7]", "[%*d]", 3, 7);
    EXPECT_FORMAT(t, "[123456]", "[%3d]", 123456);
    EXPECT_FORMAT(t, "[    1.005]", "[%5lu.%03lu]", 1ul, 5ul);
}

void strings(KTest& t)
{
    EXPECT_FORMAT(t, "hello, world", "%s, %s", "hello", "world");
    EXPECT_FORMAT(t, "[  abc]", "[%5s]", "abc");
    EXPECT_FORMAT(t, "[abc  ]", "[%-5s]", "abc");
    EXPECT_FORMAT(t, "[ab]", "[%.2s]", "abc");
    EXPECT_FORMAT(t, "(null)", "%s", static_cast<const char*>(nullptr));
    EXPECT_FORMAT(t, "x=A 100%", "x=%c 100%%", 'A');
}

void truncation(KTest& t)
{
    char small[8];
    size_t n = format(small, sizeof(small), "%s", "abcdefghijkl");
    KEXPECT_EQ(t, n, 12u); // what it would have written
    KEXPECT_STREQ(t, small, "abcdefg");
    char one[1] = { 'x' };
    KEXPECT_EQ(t, format(one, 1, "%d", 12345), 5u);
    KEXPECT_EQ(t, one[0], 0);
}

} // namespace

KTEST_SUITE(format, KTEST_CASE(integers), KTEST_CASE(hex), KTEST_CASE(octal), KTEST_CASE(pointers), KTEST_CASE(widths),
            KTEST_CASE(strings), KTEST_CASE(truncation));
