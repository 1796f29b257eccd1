#pragma once
// In-kernel tests reported as KTAP v1 (Linux Documentation/dev-tools/ktap.rst).
//
// A suite is a list of cases registered in the .ktest_suites linker section:
//
//   static void roundtrip(KTest& t) { KEXPECT_EQ(t, 1 + 1, 2); }
//   KTEST_SUITE(pmm, KTEST_CASE(roundtrip), ...);
//
// `ktest` on the command line runs every suite; `ktest=GLOB` runs the suites
// or "suite.case" names that match (several globs: ktest=smp,ipi.*). The run
// ends with an isa-debug-exit code.
#include <lib/format.hpp>
#include <lib/string.hpp>
#include <lib/types.hpp>

class KTest {
public:
    explicit KTest(const char* name);
    // Records a failure and prints it as a KTAP diagnostic line.
    void fail(const char* file, int line, const char* fmt, ...) PRINTF_FORMAT(4, 5);
    // Prints a diagnostic line without failing.
    void note(const char* fmt, ...) PRINTF_FORMAT(2, 3);
    // A diagnostic line at most once a second: the progress of a long case,
    // so the harness's silence watchdog never takes work for a hang (a 16-CPU
    // barrier test on 2 loaded host cores ran 60 s without a line). Call it
    // often, from the CPU running the case.
    void progress(const char* fmt, ...) PRINTF_FORMAT(2, 3);
    void skip(const char* reason);
    bool failed() const { return m_failed; }
    bool skipped() const { return m_skip_reason != nullptr; }
    const char* skip_reason() const { return m_skip_reason; }
    const char* name() const { return m_name; }

private:
    const char* m_name;
    bool m_failed = false;
    const char* m_skip_reason = nullptr;
    u64 m_last_progress_ns;
};

using KTestFunction = void (*)(KTest&);
struct KTestCase {
    const char* name;
    KTestFunction run;
};
struct KTestSuite {
    const char* name;
    const KTestCase* cases;
    size_t count;
};

namespace ktest {
// Runs the suites selected by `glob` (nullptr: all), prints KTAP, and returns
// true when nothing failed.
bool run(const char* glob);
} // namespace ktest

#define KTEST_CASE(fn) KTestCase { #fn, fn }
#define KTEST_SUITE(suite_name, ...)                                                              \
    static const KTestCase suite_name##_cases[] = { __VA_ARGS__ };                                 \
    static const KTestSuite suite_name##_suite = { #suite_name, suite_name##_cases,               \
                                                   sizeof(suite_name##_cases) / sizeof(KTestCase) }; \
    [[gnu::used, gnu::section(".ktest_suites")]] static const KTestSuite* const suite_name##_entry = \
        &suite_name##_suite

namespace ktest_detail {
template <typename T> inline u64 as_u64(T v) { return static_cast<u64>(v); }
template <typename T> inline u64 as_u64(T* v) { return reinterpret_cast<u64>(v); }
inline u64 as_u64(decltype(nullptr)) { return 0; }
} // namespace ktest_detail

#define KEXPECT(t, cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            (t).fail(__FILE__, __LINE__, "expected %s", #cond);                                    \
    } while (0)

#define KEXPECT_OP(t, a, op, b)                                                                    \
    do {                                                                                           \
        auto _ka = (a);                                                                            \
        auto _kb = (b);                                                                            \
        if (!(_ka op _kb))                                                                         \
            (t).fail(__FILE__, __LINE__, "expected %s %s %s, got %lu (0x%lx) and %lu (0x%lx)", #a, \
                     #op, #b, ktest_detail::as_u64(_ka), ktest_detail::as_u64(_ka),                \
                     ktest_detail::as_u64(_kb), ktest_detail::as_u64(_kb));                        \
    } while (0)

#define KEXPECT_EQ(t, a, b) KEXPECT_OP(t, a, ==, b)
#define KEXPECT_NE(t, a, b) KEXPECT_OP(t, a, !=, b)
#define KEXPECT_LT(t, a, b) KEXPECT_OP(t, a, <, b)
#define KEXPECT_GT(t, a, b) KEXPECT_OP(t, a, >, b)
#define KEXPECT_LE(t, a, b) KEXPECT_OP(t, a, <=, b)
#define KEXPECT_GE(t, a, b) KEXPECT_OP(t, a, >=, b)
#define KEXPECT_STREQ(t, a, b)                                                                     \
    do {                                                                                           \
        const char* _ka = (a);                                                                     \
        const char* _kb = (b);                                                                     \
        if (strcmp(_ka, _kb) != 0)                                                                 \
            (t).fail(__FILE__, __LINE__, "expected %s == %s, got \"%s\" and \"%s\"", #a, #b, _ka,  \
                     _kb);                                                                         \
    } while (0)
// Stops the case when the condition fails (later checks would be noise).
#define KASSERT_TRUE(t, cond)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            (t).fail(__FILE__, __LINE__, "expected %s", #cond);                                    \
            return;                                                                                \
        }                                                                                          \
    } while (0)
// Unwraps an ErrorOr or fails the case with the errno.
#define KTRY(t, expr)                                                                              \
    ({                                                                                             \
        auto _kr = (expr);                                                                         \
        if (_kr.is_error()) {                                                                      \
            (t).fail(__FILE__, __LINE__, "%s failed: %s", #expr, _kr.error().name());              \
            return;                                                                                \
        }                                                                                          \
        _kr.release_value();                                                                       \
    })
