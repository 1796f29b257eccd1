#include <kernel/ktest.hpp>
#include <kernel/log.hpp>
#include <kernel/time.hpp>
#include <lib/glob.hpp>
#include <lib/string.hpp>

extern "C" const KTestSuite* const __ktest_suites_start[];
extern "C" const KTestSuite* const __ktest_suites_end[];

namespace {
// Indentation of the case level (suites are nested one level).
constexpr const char* CASE_INDENT = "  ";

// `globs` is one or more globs separated by commas (ktest=smp,ipi.*).
bool any_glob_matches(const char* globs, const char* text)
{
    char one[128];
    for (const char* p = globs; *p;) {
        size_t n = 0;
        while (p[n] && p[n] != ',')
            n++;
        size_t copy = n < sizeof(one) - 1 ? n : sizeof(one) - 1;
        memcpy(one, p, copy);
        one[copy] = 0;
        if (glob_match(one, text))
            return true;
        p += n;
        if (*p == ',')
            p++;
    }
    return false;
}

bool case_selected(const KTestSuite& suite, const KTestCase& c, const char* glob)
{
    if (!glob || any_glob_matches(glob, suite.name))
        return true;
    char full[128];
    format(full, sizeof(full), "%s.%s", suite.name, c.name);
    return any_glob_matches(glob, full);
}

size_t selected_cases(const KTestSuite& suite, const char* glob)
{
    size_t n = 0;
    for (size_t i = 0; i < suite.count; i++)
        n += case_selected(suite, suite.cases[i], glob);
    return n;
}

// Suites in name order, so output does not depend on link order.
size_t sorted_suites(const KTestSuite** out, size_t max)
{
    size_t n = 0;
    for (auto* p = __ktest_suites_start; p < __ktest_suites_end && n < max; p++)
        out[n++] = *p;
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0 && strcmp(out[j - 1]->name, out[j]->name) > 0; j--) {
            const KTestSuite* t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    }
    return n;
}
} // namespace

void KTest::fail(const char* file, int line, const char* fmt, ...)
{
    m_failed = true;
    char message[384];
    va_list ap;
    va_start(ap, fmt);
    vformat(message, sizeof(message), fmt, ap);
    va_end(ap);
    const char* base = file;
    for (const char* p = file; *p; p++) {
        if (*p == '/')
            base = p + 1;
    }
    kprint("%s# %s: %s:%d: %s\n", CASE_INDENT, m_name, base, line, message);
}

KTest::KTest(const char* name) : m_name(name), m_last_progress_ns(time::since_boot_ns()) {}

void KTest::progress(const char* fmt, ...)
{
    u64 now = time::since_boot_ns();
    if (now - m_last_progress_ns < 1000000000ull)
        return;
    m_last_progress_ns = now;
    char message[384];
    va_list ap;
    va_start(ap, fmt);
    vformat(message, sizeof(message), fmt, ap);
    va_end(ap);
    kprint("%s# %s: %s\n", CASE_INDENT, m_name, message);
}

void KTest::note(const char* fmt, ...)
{
    char message[384];
    va_list ap;
    va_start(ap, fmt);
    vformat(message, sizeof(message), fmt, ap);
    va_end(ap);
    kprint("%s# %s: %s\n", CASE_INDENT, m_name, message);
}

void KTest::skip(const char* reason) { m_skip_reason = reason; }

namespace ktest {

bool run(const char* glob)
{
    const KTestSuite* suites[128];
    size_t count = sorted_suites(suites, array_size(suites));
    size_t planned = 0;
    for (size_t i = 0; i < count; i++)
        planned += selected_cases(*suites[i], glob) > 0;

    kprint("KTAP version 1\n1..%lu\n", planned);
    size_t suite_number = 0, passed = 0, failed = 0, skipped = 0;
    for (size_t s = 0; s < count; s++) {
        const KTestSuite& suite = *suites[s];
        size_t cases = selected_cases(suite, glob);
        if (!cases)
            continue;
        kprint("%sKTAP version 1\n%s# Subtest: %s\n%s1..%lu\n", CASE_INDENT, CASE_INDENT, suite.name,
               CASE_INDENT, cases);
        size_t case_number = 0, suite_failed = 0, suite_skipped = 0;
        u64 suite_start = time::since_boot_ns();
        for (size_t i = 0; i < suite.count; i++) {
            const KTestCase& c = suite.cases[i];
            if (!case_selected(suite, c, glob))
                continue;
            KTest t(c.name);
            c.run(t);
            case_number++;
            if (t.failed()) {
                kprint("%snot ok %lu %s\n", CASE_INDENT, case_number, c.name);
                suite_failed++;
                failed++;
            } else if (t.skipped()) {
                kprint("%sok %lu %s # SKIP %s\n", CASE_INDENT, case_number, c.name, t.skip_reason());
                suite_skipped++;
                skipped++;
            } else {
                kprint("%sok %lu %s\n", CASE_INDENT, case_number, c.name);
                passed++;
            }
        }
        suite_number++;
        kprint("%s# %s: %lu ms\n", CASE_INDENT, suite.name, (time::since_boot_ns() - suite_start) / 1000000);
        if (suite_failed)
            kprint("not ok %lu %s\n", suite_number, suite.name);
        else if (suite_skipped == cases)
            kprint("ok %lu %s # SKIP all cases skipped\n", suite_number, suite.name);
        else
            kprint("ok %lu %s\n", suite_number, suite.name);
    }
    kprint("# ktest: %lu passed, %lu failed, %lu skipped\n", passed, failed, skipped);
    return failed == 0;
}

} // namespace ktest
