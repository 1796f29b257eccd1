// System-call dispatch: the generated table (build/gen/syscalls.cpp, from
// harness/syscall/table.ts) maps Linux x86-64 numbers to handlers.
// Unknown or unimplemented numbers return -ENOSYS and are logged once each.
// With `trace_syscalls` on the command line every call is printed as
//   strace: PID NR = RET ARG...
// (DESIGN.md; the harness decodes it with the same table).
#include <arch/arch.hpp>
#include <arch/user.hpp>
#include <kernel/cmdline.hpp>
#include <kernel/log.hpp>
#include <kernel/percpu.hpp>
#include <lib/string.hpp>
#include <proc/process.hpp>
#include <proc/process_info.hpp>
#include <proc/sched.hpp>
#include <proc/user_entry.hpp>
#include <syscall/dispatch.hpp>
#include <syscalls.hpp>

namespace syscall {
namespace {

bool s_trace;
Atomic<u64> s_reported_unknown[(syscall_table::LIMIT + 63) / 64 + 1];

void report_unknown(u64 nr)
{
    u64 slot = nr < syscall_table::LIMIT ? nr : syscall_table::LIMIT;
    u64 bit = 1ull << (slot % 64);
    if (s_reported_unknown[slot / 64].fetch_or(bit) & bit)
        return;
    Process* p = proc::current_process();
    const char* name = nr < syscall_table::LIMIT && syscall_table::entries[nr].name ? syscall_table::entries[nr].name
                                                                                  : "unknown";
    log_info("syscall: %s (%lu) is not implemented: ENOSYS (first called by %s[%d])", name, nr, p ? p->comm : "?",
             p ? p->pid : 0);
}

// Up to 64 bytes of a user string, C-escaped and quoted, into out.
void quote_user_string(UserAddr addr, char* out, size_t size)
{
    char raw[65];
    auto len = strncpy_from_user(raw, addr, sizeof(raw));
    bool cut = false;
    size_t n;
    if (len.is_error()) {
        if (len.error().code() != ENAMETOOLONG) {
            format(out, size, "0x%lx", addr);
            return;
        }
        n = 64;
        cut = true;
    } else {
        n = len.value();
    }
    size_t o = 0;
    auto put = [&](char c) {
        if (o + 1 < size)
            out[o++] = c;
    };
    put('"');
    for (size_t i = 0; i < n; i++) {
        u8 c = static_cast<u8>(raw[i]);
        if (c == '"' || c == '\\') {
            put('\\');
            put(static_cast<char>(c));
        } else if (c == '\n') {
            put('\\');
            put('n');
        } else if (c == '\t') {
            put('\\');
            put('t');
        } else if (c < 0x20 || c > 0x7e) {
            char hex[5];
            format(hex, sizeof(hex), "\\x%02x", c);
            for (int k = 0; k < 4; k++)
                put(hex[k]);
        } else {
            put(static_cast<char>(c));
        }
    }
    put('"');
    if (cut) {
        put('.');
        put('.');
        put('.');
    }
    out[o] = 0;
}

// One trace line (DESIGN.md's grammar); result nullptr prints "?".
void print_trace(u64 nr, const i64* result, const u64* args, u8 arg_count, const syscall_table::Entry* entry,
                 char (*strings)[80])
{
    char line[640];
    size_t o = format(line, sizeof(line), "strace: %d %lu = ", proc::current_pid(), nr);
    if (result)
        o += format(line + o, sizeof(line) - o, "%ld", *result);
    else
        o += format(line + o, sizeof(line) - o, "?");
    for (u8 i = 0; i < arg_count && o < sizeof(line); i++) {
        if (entry && (entry->string_args & (1u << i)))
            o += format(line + o, sizeof(line) - o, " %s", strings[i]);
        else
            o += format(line + o, sizeof(line) - o, " 0x%lx", args[i]);
    }
    kprint_line(line);
}

} // namespace

void init()
{
    s_trace = cmdline::has("trace_syscalls");
    if (s_trace)
        log_info("syscall: tracing every system call (trace_syscalls)");
}

void handle(TrapFrame& frame)
{
    u64 nr = arch::syscall_number(frame);
    u64 args[6];
    arch::syscall_arguments(frame, args);
    const syscall_table::Entry* entry = nr < syscall_table::LIMIT ? &syscall_table::entries[nr] : nullptr;

    // Strings are captured before the call (execve replaces the memory
    // they live in).
    char strings[6][80];
    u8 arg_count = entry && entry->name ? entry->arg_count : 6;
    if (s_trace && entry) {
        for (u8 i = 0; i < arg_count; i++) {
            if (entry->string_args & (1u << i))
                quote_user_string(args[i], strings[i], sizeof(strings[i]));
        }
    }

    // exit and exit_group do not return: their trace line comes first.
    if (s_trace && (nr == 60 || nr == 231))
        print_trace(nr, nullptr, args, arg_count, entry, strings);
    i64 result;
    if (entry && entry->call) {
        result = entry->call(frame, args);
    } else {
        report_unknown(nr);
        result = -ENOSYS;
    }
    arch::set_syscall_result(frame, result);

    if (s_trace)
        print_trace(nr, &result, args, arg_count, entry, strings);
}

} // namespace syscall

// From syscall_entry.S with interrupts off; returns with interrupts off.
extern "C" void syscall_dispatch(TrapFrame* frame)
{
    arch::irq_enable();
    syscall::handle(*frame);
    arch::irq_disable();
    proc::exit_to_user(*frame);
}
