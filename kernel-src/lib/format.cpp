#include <lib/format.hpp>
#include <lib/string.hpp>

namespace {

// Appends to a bounded buffer, counting what would have been written.
struct Sink {
    char* buf;
    size_t size;
    size_t len = 0;

    void put(char c)
    {
        if (len + 1 < size)
            buf[len] = c;
        len++;
    }
    void pad(char c, int n)
    {
        for (int i = 0; i < n; i++)
            put(c);
    }
};

struct Spec {
    bool left = false;
    bool zero = false;
    int width = 0;
    int precision = -1;
};

void put_string(Sink& out, const char* s, const Spec& spec)
{
    if (!s)
        s = "(null)";
    int len = 0;
    while (s[len] && (spec.precision < 0 || len < spec.precision))
        len++;
    if (!spec.left)
        out.pad(' ', spec.width - len);
    for (int i = 0; i < len; i++)
        out.put(s[i]);
    if (spec.left)
        out.pad(' ', spec.width - len);
}

void put_number(Sink& out, u64 value, bool negative, unsigned base, bool upper, const Spec& spec,
                const char* prefix)
{
    char digits[24];
    int n = 0;
    const char* set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        digits[n++] = set[value % base];
        value /= base;
    } while (value);
    int prefix_len = static_cast<int>(strlen(prefix)) + (negative ? 1 : 0);
    int total = n + prefix_len;
    if (!spec.left && !spec.zero)
        out.pad(' ', spec.width - total);
    if (negative)
        out.put('-');
    for (const char* p = prefix; *p; p++)
        out.put(*p);
    if (!spec.left && spec.zero)
        out.pad('0', spec.width - total);
    while (n)
        out.put(digits[--n]);
    if (spec.left)
        out.pad(' ', spec.width - total);
}

} // namespace

size_t vformat(char* buf, size_t size, const char* fmt, va_list ap)
{
    Sink out { buf, size };
    for (const char* p = fmt; *p; p++) {
        if (*p != '%') {
            out.put(*p);
            continue;
        }
        p++;
        Spec spec;
        for (;; p++) {
            if (*p == '-')
                spec.left = true;
            else if (*p == '0')
                spec.zero = true;
            else
                break;
        }
        if (*p == '*') {
            spec.width = va_arg(ap, int);
            if (spec.width < 0) {
                spec.left = true;
                spec.width = -spec.width;
            }
            p++;
        }
        while (*p >= '0' && *p <= '9')
            spec.width = spec.width * 10 + (*p++ - '0');
        if (*p == '.') {
            p++;
            spec.precision = 0;
            if (*p == '*') {
                spec.precision = va_arg(ap, int);
                p++;
            }
            while (*p >= '0' && *p <= '9')
                spec.precision = spec.precision * 10 + (*p++ - '0');
        }
        int longs = 0;
        while (*p == 'l' || *p == 'z') {
            longs += (*p == 'z') ? 2 : 1;
            p++;
        }
        auto signed_arg = [&]() -> i64 { return longs ? va_arg(ap, i64) : va_arg(ap, int); };
        auto unsigned_arg = [&]() -> u64 { return longs ? va_arg(ap, u64) : va_arg(ap, unsigned); };
        switch (*p) {
        case 'd':
        case 'i': {
            i64 v = signed_arg();
            u64 magnitude = v < 0 ? 0 - static_cast<u64>(v) : static_cast<u64>(v);
            put_number(out, magnitude, v < 0, 10, false, spec, "");
            break;
        }
        case 'u':
            put_number(out, unsigned_arg(), false, 10, false, spec, "");
            break;
        case 'x':
        case 'X':
            put_number(out, unsigned_arg(), false, 16, *p == 'X', spec, "");
            break;
        case 'o':
            put_number(out, unsigned_arg(), false, 8, false, spec, "");
            break;
        case 'p': {
            Spec pointer_spec = spec;
            pointer_spec.zero = true;
            pointer_spec.width = 18;
            put_number(out, reinterpret_cast<u64>(va_arg(ap, void*)), false, 16, false, pointer_spec,
                       "0x");
            break;
        }
        case 's':
            put_string(out, va_arg(ap, const char*), spec);
            break;
        case 'c':
            out.put(static_cast<char>(va_arg(ap, int)));
            break;
        case '%':
            out.put('%');
            break;
        case '\0':
            p--;
            break;
        default:
            out.put('%');
            out.put(*p);
            break;
        }
    }
    if (size)
        buf[out.len < size ? out.len : size - 1] = 0;
    return out.len;
}

size_t format(char* buf, size_t size, const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
