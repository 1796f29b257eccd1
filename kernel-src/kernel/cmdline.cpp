#include <drivers/fw_cfg.hpp>
#include <kernel/cmdline.hpp>
#include <lib/string.hpp>

namespace cmdline {
namespace {
char s_line[4096];

// Where init's arguments start (after " -- "), or the end of the line.
const char* options_end()
{
    const char* p = s_line;
    while (*p) {
        if ((p == s_line || p[-1] == ' ') && p[0] == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == 0))
            return p;
        p++;
    }
    return p;
}

// Finds the word whose key is `key` (before " -- "); returns its start.
const char* find(const char* key)
{
    size_t key_len = strlen(key);
    const char* p = s_line;
    const char* end = options_end();
    while (p < end && *p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        if (p >= end)
            break;
        if (strncmp(p, key, key_len) == 0 && (p[key_len] == ' ' || p[key_len] == '=' || p[key_len] == 0))
            return p;
        while (*p && *p != ' ')
            p++;
    }
    return nullptr;
}
} // namespace

void init(const char* loader_cmdline)
{
    size_t n = strlcpy(s_line, loader_cmdline, sizeof(s_line));
    if (n >= sizeof(s_line) - 1)
        return;
    char extra[3072];
    size_t extra_len = fw_cfg::read_file("opt/oskit/cmdline", extra, sizeof(extra) - 1);
    if (extra_len == 0)
        return;
    extra[extra_len] = 0;
    if (n > 0 && n < sizeof(s_line) - 1)
        s_line[n++] = ' ';
    strlcpy(s_line + n, extra, sizeof(s_line) - n);
}

const char* full() { return s_line; }

bool has(const char* key) { return find(key) != nullptr; }

bool get(const char* key, char* out, size_t size)
{
    const char* p = find(key);
    if (!p || p[strlen(key)] != '=')
        return false;
    p += strlen(key) + 1;
    size_t n = 0;
    while (p[n] && p[n] != ' ')
        n++;
    if (size == 0)
        return true;
    size_t copy = n < size - 1 ? n : size - 1;
    memcpy(out, p, copy);
    out[copy] = 0;
    return true;
}

size_t init_arguments(char* storage, size_t storage_size, const char** argv, size_t max)
{
    const char* p = options_end();
    if (!*p)
        return 0;
    p += 2;
    size_t count = 0, used = 0;
    while (count < max) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char* word = storage + used;
        bool quoted = *p == '"';
        if (quoted)
            p++;
        while (*p && (quoted ? *p != '"' : *p != ' ')) {
            char c = *p++;
            if (quoted && c == '\\' && (*p == '"' || *p == '\\'))
                c = *p++;
            if (used + 1 < storage_size)
                storage[used++] = c;
        }
        if (quoted && *p == '"')
            p++;
        if (used >= storage_size)
            break;
        storage[used++] = 0;
        argv[count++] = word;
    }
    return count;
}

bool get_u32(const char* key, u32* out)
{
    char text[12];
    if (!get(key, text, sizeof(text)) || !text[0])
        return false;
    u64 value = 0;
    for (const char* p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        value = value * 10 + static_cast<u64>(*p - '0');
        if (value > 0xFFFFFFFFull)
            return false;
    }
    *out = static_cast<u32>(value);
    return true;
}

} // namespace cmdline
