#pragma once
// The kernel log: one API to every console (COM1 and the VGA text screen).
//
// log_info("pmm: ...") prints "[    1.234] pmm: ..." with the time since boot.
// kprint() prints raw text with no timestamp (KTAP output, crash reports).
// Lines from different CPUs never interleave within a line.
#include <lib/format.hpp>

namespace klog {
enum class Level : int { Error = 0, Warn = 1, Info = 2, Debug = 3 };
void log(Level level, const char* fmt, ...) PRINTF_FORMAT(2, 3);
void vlog(Level level, const char* fmt, va_list ap);
} // namespace klog

void kprint(const char* fmt, ...) PRINTF_FORMAT(1, 2);
// Prints `text` as one line at column 0 (no timestamp).
void kprint_line(const char* text);

#define log_error(...) klog::log(klog::Level::Error, __VA_ARGS__)
#define log_warn(...) klog::log(klog::Level::Warn, __VA_ARGS__)
#define log_info(...) klog::log(klog::Level::Info, __VA_ARGS__)
#define log_debug(...) klog::log(klog::Level::Debug, __VA_ARGS__)
