#pragma once
// printf-style formatting into a buffer, the one formatter behind the log,
// panic and test output. Supports %d %i %u %x %X %o %p %s %c %%, the flags
// '-' (left-justify) and '0' (zero-pad), a width (or '*'), a precision for
// %s, and the length modifiers l, ll, z. Always terminates the buffer and
// returns the length the full output would have had (like vsnprintf).
#include <lib/types.hpp>

using va_list = __builtin_va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_end(ap) __builtin_va_end(ap)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_copy(d, s) __builtin_va_copy(d, s)

#define PRINTF_FORMAT(fmt_index, args_index) __attribute__((format(printf, fmt_index, args_index)))

size_t vformat(char* buf, size_t size, const char* fmt, va_list ap);
size_t format(char* buf, size_t size, const char* fmt, ...) PRINTF_FORMAT(3, 4);
