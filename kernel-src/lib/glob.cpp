#include <lib/glob.hpp>

bool glob_match(const char* pattern, const char* text)
{
    // Iterative matcher with one backtrack point for the last '*': linear in
    // practice, no recursion on the kernel stack.
    const char* star = nullptr;
    const char* resume = nullptr;
    while (*text) {
        if (*pattern == '*') {
            star = pattern++;
            resume = text;
        } else if (*pattern == '?' || *pattern == *text) {
            pattern++;
            text++;
        } else if (star) {
            pattern = star + 1;
            text = ++resume;
        } else {
            return false;
        }
    }
    while (*pattern == '*')
        pattern++;
    return *pattern == 0;
}
