// execve (see exec.hpp): interpreter scripts (#!), the ELF image, the
// initial stack Linux's ABI describes (System V AMD64 ABI 3.4.1; Linux's
// fs/binfmt_elf.c create_elf_tables), and the switch to the new image.
#include <arch/arch.hpp>
#include <arch/user.hpp>
#include <kernel/crng.hpp>
#include <kernel/log.hpp>
#include <kernel/percpu.hpp>
#include <kernel/time.hpp>
#include <lib/new.hpp>
#include <lib/string.hpp>
#include <mm/heap.hpp>
#include <proc/elf.hpp>
#include <proc/exec.hpp>
#include <proc/process_files.hpp>
#include <proc/sched.hpp>

namespace proc {
namespace {

constexpr size_t MAX_ARG_STRLEN = 128 * 1024; // one string, as Linux
constexpr size_t ARG_MAX = 2 * 1024 * 1024;   // all strings and pointers
constexpr int MAX_INTERPRETER_DEPTH = 4;      // BINPRM_MAX_RECURSION
constexpr size_t SCRIPT_LINE_MAX = 256;       // BINPRM_BUF_SIZE

// Auxiliary vector types (include/uapi/linux/auxvec.h, asm/auxvec.h).
enum : u64 {
    AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
    AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16,
    AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31, AT_MINSIGSTKSZ = 51,
};

// "#!interpreter [argument]": returns false when the first line has no
// interpreter (ENOEXEC).
bool parse_script_line(const char* buf, size_t n, char* interp, size_t interp_size, char* arg, size_t arg_size)
{
    size_t i = 2;
    size_t end = 2;
    while (end < n && buf[end] != '\n')
        end++;
    while (i < end && (buf[i] == ' ' || buf[i] == '\t'))
        i++;
    size_t start = i;
    while (i < end && buf[i] != ' ' && buf[i] != '\t')
        i++;
    if (i == start || i - start >= interp_size)
        return false;
    memcpy(interp, buf + start, i - start);
    interp[i - start] = 0;
    while (i < end && (buf[i] == ' ' || buf[i] == '\t'))
        i++;
    size_t arg_end = end;
    while (arg_end > i && (buf[arg_end - 1] == ' ' || buf[arg_end - 1] == '\t' || buf[arg_end - 1] == '\r'))
        arg_end--;
    size_t len = min(arg_end - i, arg_size - 1);
    memcpy(arg, buf + i, len);
    arg[len] = 0;
    return true;
}

struct StackLayout {
    u64 sp;
    u64 arg_start, arg_end, env_start, env_end;
};

// Lays out the initial stack below USER_STACK_TOP in a kernel buffer and
// copies it into the new address space:
//   argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL, (padding),
//   16 random bytes, "x86_64", argv strings, envp strings, execfn, 8 zero bytes.
ErrorOr<StackLayout> build_stack(vm::AddressSpace& as, const elf::Image& image, const StringList& argv,
                                 const StringList& envp, const char* execfn)
{
    const u64 top = vm::USER_STACK_TOP;
    size_t execfn_len = strlen(execfn) + 1;
    size_t strings = argv.bytes() + envp.bytes() + execfn_len + 8;
    u64 strings_start = top - strings;
    u64 platform = align_down(strings_start - 7, 8); // "x86_64\0"
    u64 random = align_down(platform - 16, 16);
    constexpr size_t AUX_PAIRS = 20;
    size_t pointers = 1 + argv.count() + 1 + envp.count() + 1 + 2 * AUX_PAIRS;
    u64 sp = align_down(random - pointers * 8, 16);
    if (top - sp > ARG_MAX + 64 * 1024)
        return Error::from_errno(E2BIG);

    size_t size = top - sp;
    u8* buf = static_cast<u8*>(heap::alloc(size));
    if (!buf)
        return Error::from_errno(ENOMEM);
    memset(buf, 0, size);
    auto at = [&](u64 addr) { return buf + (addr - sp); };

    StackLayout layout {};
    u64 cursor = strings_start;
    u64* slots = reinterpret_cast<u64*>(at(sp));
    size_t k = 0;
    slots[k++] = argv.count();
    layout.arg_start = cursor;
    for (size_t i = 0; i < argv.count(); i++) {
        size_t len = strlen(argv.at(i)) + 1;
        memcpy(at(cursor), argv.at(i), len);
        slots[k++] = cursor;
        cursor += len;
    }
    slots[k++] = 0;
    layout.arg_end = layout.env_start = cursor;
    for (size_t i = 0; i < envp.count(); i++) {
        size_t len = strlen(envp.at(i)) + 1;
        memcpy(at(cursor), envp.at(i), len);
        slots[k++] = cursor;
        cursor += len;
    }
    slots[k++] = 0;
    layout.env_end = cursor;
    u64 execfn_addr = cursor;
    memcpy(at(cursor), execfn, execfn_len);
    memcpy(at(platform), "x86_64", 7);
    u64 r[2] = { crng::next_u64(), crng::next_u64() };
    memcpy(at(random), r, 16);

    const u64 aux[][2] = {
        { AT_HWCAP, arch::user_hwcap() },      { AT_PAGESZ, PAGE_SIZE },   { AT_CLKTCK, 100 },
        { AT_PHDR, image.phdr },    { AT_PHENT, image.phent },  { AT_PHNUM, image.phnum },
        { AT_BASE, 0 },             { AT_FLAGS, 0 },            { AT_ENTRY, image.entry },
        { AT_UID, 0 },              { AT_EUID, 0 },             { AT_GID, 0 },
        { AT_EGID, 0 },             { AT_SECURE, 0 },           { AT_RANDOM, random },
        { AT_HWCAP2, 0 },           { AT_EXECFN, execfn_addr }, { AT_PLATFORM, platform },
        { AT_MINSIGSTKSZ, 2048 + arch::fpu_area_size() },       { AT_NULL, 0 },
    };
    static_assert(sizeof(aux) / sizeof(aux[0]) == AUX_PAIRS);
    for (const auto& pair : aux) {
        slots[k++] = pair[0];
        slots[k++] = pair[1];
    }
    auto copied = as.copy_in(sp, buf, size);
    heap::free(buf);
    TRY(copied);
    layout.sp = sp;
    return layout;
}

} // namespace

const char* command_name(const char* path)
{
    const char* name = path;
    for (const char* c = path; *c; c++) {
        if (*c == '/' && c[1])
            name = c + 1;
    }
    return name;
}

ErrorOr<void> StringList::append(const char* s, size_t len)
{
    TRY(m_offsets.append(static_cast<u32>(m_bytes.size())));
    TRY(m_bytes.ensure_capacity(m_bytes.size() + len + 1));
    for (size_t i = 0; i < len; i++)
        TRY(m_bytes.append(s[i]));
    TRY(m_bytes.append('\0'));
    return {};
}

ErrorOr<void> StringList::prepend(const char* s)
{
    StringList fresh;
    TRY(fresh.append(s, strlen(s)));
    for (size_t i = 0; i < count(); i++)
        TRY(fresh.append(at(i), strlen(at(i))));
    *this = move(fresh);
    return {};
}

void StringList::remove_first()
{
    if (!count())
        return;
    StringList fresh;
    for (size_t i = 1; i < count(); i++)
        (void)fresh.append(at(i), strlen(at(i)));
    *this = move(fresh);
}

// Copies one argument or environment string. Most are short: they go
// through a buffer on the stack, and only a longer one gets a heap buffer
// of the largest size Linux allows (MAX_ARG_STRLEN).
ErrorOr<size_t> copy_arg_string(UserAddr src, StringList& out)
{
    char small[256];
    auto len = strncpy_from_user(small, src, sizeof(small));
    if (!len.is_error()) {
        TRY(out.append(small, len.value()));
        return len.value();
    }
    if (len.error().code() != ENAMETOOLONG)
        return len.release_error();
    char* big = static_cast<char*>(heap::alloc(MAX_ARG_STRLEN));
    if (!big)
        return Error::from_errno(ENOMEM);
    len = strncpy_from_user(big, src, MAX_ARG_STRLEN);
    ErrorOr<void> appended = len.is_error() ? ErrorOr<void>() : out.append(big, len.value());
    heap::free(big);
    if (len.is_error())
        return Error::from_errno(len.error().code() == ENAMETOOLONG ? E2BIG : len.error().code());
    TRY(appended);
    return len.value();
}

ErrorOr<void> copy_string_array(UserAddr array, StringList& out, size_t& total)
{
    if (!array)
        return {};
    for (size_t i = 0;; i++) {
        u64 ptr = TRY(get_user<u64>(array + i * 8));
        if (!ptr)
            return {};
        size_t len = TRY(copy_arg_string(ptr, out));
        total += len + 1 + 8;
        if (total > ARG_MAX)
            return Error::from_errno(E2BIG);
    }
}

ErrorOr<void> execve(Process* p, const char* path, StringList& argv, StringList& envp)
{
    Thread* t = p->thread;
    bool is_current = t == sched::current();
    char* file_path = static_cast<char*>(heap::alloc(4096));
    if (!file_path)
        return Error::from_errno(ENOMEM);
    struct FreeOnExit {
        void* p;
        ~FreeOnExit() { heap::free(p); }
    } free_path { file_path };
    strlcpy(file_path, path, 4096);

    // Interpreter scripts: "#!/bin/sh -e" runs /bin/sh -e SCRIPT ARGS...
    RefPtr<PageSource> file;
    for (int depth = 0;; depth++) {
        file = TRY(open_executable(p, file_path));
        char head[SCRIPT_LINE_MAX];
        size_t n = TRY(file->read(0, head, sizeof(head)));
        if (n < 2 || head[0] != '#' || head[1] != '!')
            break;
        if (depth >= MAX_INTERPRETER_DEPTH)
            return Error::from_errno(ELOOP);
        char interp[SCRIPT_LINE_MAX], arg[SCRIPT_LINE_MAX];
        if (!parse_script_line(head, n, interp, sizeof(interp), arg, sizeof(arg)))
            return Error::from_errno(ENOEXEC);
        // argv becomes: interp [arg] script argv[1..]
        argv.remove_first();
        TRY(argv.prepend(file_path));
        if (arg[0])
            TRY(argv.prepend(arg));
        TRY(argv.prepend(interp));
        strlcpy(file_path, interp, 4096);
    }

    auto* parsed = new (std::nothrow) elf::Parsed;
    if (!parsed)
        return Error::from_errno(ENOMEM);
    auto parse_result = elf::parse(*file, *parsed);
    if (parse_result.is_error()) {
        delete parsed;
        return parse_result;
    }
    auto created = vm::AddressSpace::create();
    if (created.is_error()) {
        delete parsed;
        return created.release_error();
    }
    RefPtr<vm::AddressSpace> as = created.release_value();
    auto loaded = elf::load(*parsed, file, *as);
    delete parsed;
    elf::Image image = TRY(move(loaded));
    {
        vm::AddressSpace::MapRequest stack;
        stack.hint = vm::USER_STACK_TOP - vm::USER_STACK_SIZE;
        stack.length = vm::USER_STACK_SIZE;
        stack.prot = vm::ProtRead | vm::ProtWrite | (image.executable_stack ? vm::ProtExec : 0);
        stack.fixed = true;
        stack.stack = true;
        TRY(as->map(move(stack)));
    }
    as->init_break(image.brk);
    StackLayout stack = TRY(build_stack(*as, image, argv, envp, path));

    char* exe = static_cast<char*>(heap::alloc(sizeof(p->exe)));
    if (!exe)
        return Error::from_errno(ENOMEM);
    executable_path(p, file_path, exe, sizeof(p->exe));

    // The point of no return: everything below succeeds.
    release_vfork_parent(p);
    close_files_on_exec(p);
    signal::reset_for_exec(p);
    {
        SpinlockGuard guard(table_lock());
        strlcpy(p->comm, command_name(file_path), sizeof(p->comm));
        strlcpy(p->exe, exe, sizeof(p->exe));
        p->arg_start = stack.arg_start;
        p->arg_end = stack.arg_end;
        p->env_start = stack.env_start;
        p->env_end = stack.env_end;
        p->start_code = image.start_code;
        p->end_code = image.end_code;
        p->start_stack = stack.sp;
    }
    heap::free(exe);
    thread::set_name(t, p->comm);
    {
        u64 flags = arch::irq_save();
        RefPtr<vm::AddressSpace> old = move(p->aspace);
        p->aspace = as;
        t->aspace = as.ptr();
        if (is_current)
            vm::switch_address_space(old.ptr(), as.ptr(), this_cpu()->id);
        arch::irq_restore(flags);
        // `old` goes here: freed unless a vfork parent still uses it.
    }
    arch::fpu_init_area(t->fpu_area);
    if (is_current) {
        arch::fpu_load_current(*t);
        arch::set_user_fs_base(*t, 0);
    } else {
        t->fs_base = 0;
    }
    t->clear_child_tid = 0;
    arch::init_user_frame(*t->user_frame(), image.entry, stack.sp);
    return {};
}

} // namespace proc
