// process: user mode end to end with tiny ELF programs built here — exit
// statuses, the initial stack, system calls through `syscall` and `int
// $0x80`, faults that kill only the faulting process (with Linux's wait
// status), fork with copy-on-write, execve, signals, and pages coming back.
#include <kernel/ktest.hpp>
#include <kernel/percpu.hpp>
#include <lib/string.hpp>
#include <mm/accounting.hpp>
#include <mm/heap.hpp>
#include <mm/pmm.hpp>
#include <proc/elf.hpp>
#include <proc/exec_registry.hpp>
#include <proc/process.hpp>
#include <proc/sched.hpp>

namespace {

constexpr u64 CODE_BASE = 0x400000;
constexpr u64 DATA_BASE = 0x600000;

// A static ELF64 executable: one RX segment with `code` at CODE_BASE (the
// entry point) and, when data_size > 0, an RW segment at DATA_BASE with
// data_size bytes (the first data_file_bytes from `data`, the rest .bss).
struct ElfBuilder {
    u8 image[8192] = {};
    size_t size = 0;

    ElfBuilder(const u8* code, size_t code_size, const u8* data = nullptr, size_t data_file_bytes = 0,
               size_t data_size = 0)
    {
        auto* h = reinterpret_cast<elf::Header*>(image);
        memcpy(h->ident, "\x7f" "ELF\x02\x01\x01", 7);
        h->type = elf::ET_EXEC;
        h->machine = elf::EM_X86_64;
        h->version = 1;
        h->entry = CODE_BASE + 0x1000;
        h->phoff = sizeof(elf::Header);
        h->ehsize = sizeof(elf::Header);
        h->phentsize = sizeof(elf::ProgramHeader);
        h->phnum = data_size ? 2 : 1;
        auto* ph = reinterpret_cast<elf::ProgramHeader*>(image + sizeof(elf::Header));
        ph[0] = { elf::PT_LOAD, elf::PF_R | elf::PF_X, 0x1000, CODE_BASE + 0x1000, 0, code_size, code_size, 0x1000 };
        memcpy(image + 0x1000, code, code_size);
        size = 0x1000 + code_size;
        if (data_size) {
            ph[1] = { elf::PT_LOAD, elf::PF_R | elf::PF_W, 0x1000 + 0x800, DATA_BASE + 0x800, 0, data_file_bytes,
                      data_size, 0x1000 };
            if (data_file_bytes)
                memcpy(image + 0x1800, data, data_file_bytes);
            size = max<size_t>(size, 0x1800 + data_file_bytes);
        }
    }
    RefPtr<PageSource> source() { return adopt<PageSource>(new MemoryPageSource(image, size)); }
};

// Runs a registered program as a parentless process; returns its wait status.
i32 run(KTest& t, const char* path, ElfBuilder& program, const char* const* argv = nullptr)
{
    proc::exec_registry::set(path, program.source());
    const char* default_argv[] = { path, nullptr };
    const char* envp[] = { "TEST=1", nullptr };
    auto pid = proc::spawn(path, argv ? argv : default_argv, envp);
    proc::exec_registry::set(path, nullptr);
    if (pid.is_error()) {
        t.fail(__FILE__, __LINE__, "spawn %s: %s", path, pid.error().name());
        return -1;
    }
    return proc::wait_spawned(pid.value());
}

// mov $231, %eax ; mov $N, %edi ; syscall      (exit_group(N))
#define EXIT_WITH(n) 0xb8, 0xe7, 0, 0, 0, 0xbf, (n), 0, 0, 0, 0x0f, 0x05

void exit_status(KTest& t)
{
    const u8 code[] = { EXIT_WITH(42) };
    ElfBuilder p(code, sizeof(code));
    KEXPECT_EQ(t, run(t, "/test/exit42", p), 42 << 8);
}

void argc_from_the_initial_stack(KTest& t)
{
    // mov (%rsp), %rdi ; mov $231, %eax ; syscall   (exit(argc))
    const u8 code[] = { 0x48, 0x8b, 0x3c, 0x24, 0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05 };
    ElfBuilder p(code, sizeof(code));
    const char* argv[] = { "/test/argc", "a", "b", "c", nullptr };
    KEXPECT_EQ(t, run(t, "/test/argc", p, argv), 4 << 8);
}

void stack_is_aligned(KTest& t)
{
    // mov %rsp, %rdi ; and $15, %edi ; mov $231, %eax ; syscall  (exit(rsp % 16))
    const u8 code[] = { 0x48, 0x89, 0xe7, 0x83, 0xe7, 0x0f, 0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05 };
    ElfBuilder p(code, sizeof(code));
    KEXPECT_EQ(t, run(t, "/test/align", p), 0);
}

void getpid_and_int80(KTest& t)
{
    // mov $39, %eax ; int $0x80 ; mov %eax, %edi ; mov $231, %eax ; syscall
    const u8 code[] = { 0xb8, 39, 0, 0, 0, 0xcd, 0x80, 0x89, 0xc7, 0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05 };
    ElfBuilder p(code, sizeof(code));
    i32 status = run(t, "/test/getpid", p);
    // The pid, modulo 256, came back through int $0x80.
    KEXPECT(t, (status & 0x7f) == 0);
    KEXPECT_NE(t, (status >> 8) & 0xff, 0);
}

void unknown_syscall_is_enosys(KTest& t)
{
    // mov $400, %eax ; syscall ; neg %eax ; mov %eax, %edi ; mov $231, %eax ; syscall
    const u8 code[] = { 0xb8, 0x90, 0x01, 0, 0, 0x0f, 0x05, 0xf7, 0xd8, 0x89, 0xc7, 0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05 };
    ElfBuilder p(code, sizeof(code));
    KEXPECT_EQ(t, run(t, "/test/enosys", p), ENOSYS << 8);
}

void bad_pointer_is_efault(KTest& t)
{
    // uname(0xffffffff80000000) ; exit(-result)
    // mov $63, %eax ; movabs $0xffffffff80000000, %rdi ; syscall ; neg %eax ; mov %eax,%edi ; exit
    const u8 code[] = { 0xb8, 63, 0, 0, 0, 0x48, 0xbf, 0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x05,
                        0xf7, 0xd8, 0x89, 0xc7, 0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05 };
    ElfBuilder p(code, sizeof(code));
    KEXPECT_EQ(t, run(t, "/test/efault", p), EFAULT << 8);
}

void faults_kill_only_the_process(KTest& t)
{
    struct Case {
        const char* name;
        u8 code[16];
        size_t size;
        i32 signal;
    };
    const Case cases[] = {
        // movabs $0xffffffff80000000, %rax ; movb $1, (%rax)
        { "kernel-write", { 0x48, 0xb8, 0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0xff, 0xc6, 0x00, 0x01 }, 13, SIGSEGV },
        // movb $1, 0 (a null pointer)
        { "null", { 0xc6, 0x04, 0x25, 0, 0, 0, 0, 0x01 }, 8, SIGSEGV },
        { "hlt", { 0xf4 }, 1, SIGSEGV },
        { "cli", { 0xfa }, 1, SIGSEGV },
        { "ud2", { 0x0f, 0x0b }, 2, SIGILL },
        // xor %ecx, %ecx ; div %ecx
        { "div0", { 0x31, 0xc9, 0xf7, 0xf1 }, 4, SIGFPE },
        { "int3", { 0xcc }, 1, SIGTRAP },
        // write to our own code: read-only
        { "write-text", { 0xc6, 0x05, 0xf9, 0xff, 0xff, 0xff, 0x01 }, 7, SIGSEGV },
    };
    for (const Case& c : cases) {
        ElfBuilder p(c.code, c.size);
        char path[32];
        format(path, sizeof(path), "/test/%s", c.name);
        i32 status = run(t, path, p);
        if ((status & 0x7f) != c.signal)
            t.fail(__FILE__, __LINE__, "%s: wait status 0x%x, expected killed by signal %d", c.name, status, c.signal);
    }
}

void stack_overflow_hits_the_guard(KTest& t)
{
    // 1: call 1b   (recursion without end)
    const u8 code[] = { 0xe8, 0xfb, 0xff, 0xff, 0xff };
    ElfBuilder p(code, sizeof(code));
    KEXPECT_EQ(t, run(t, "/test/recurse", p), SIGSEGV);
}

void data_and_bss(KTest& t)
{
    // A data segment of 8 bytes (value 0x11) and .bss after it: exit with
    // data[0] + bss[100], after writing 5 into bss[100].
    // movb $5, 0x600864 ; movzbl 0x600800, %edi ; movzbl 0x600864, %eax ; add %eax, %edi ; exit
    const u8 code[] = { 0xc6, 0x04, 0x25, 0x64, 0x08, 0x60, 0x00, 0x05,
                        0x0f, 0xb6, 0x3c, 0x25, 0x00, 0x08, 0x60, 0x00,
                        0x0f, 0xb6, 0x04, 0x25, 0x64, 0x08, 0x60, 0x00,
                        0x01, 0xc7, 0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05 };
    const u8 data[8] = { 0x11 };
    ElfBuilder p(code, sizeof(code), data, sizeof(data), 4096);
    KEXPECT_EQ(t, run(t, "/test/data", p), 0x16 << 8);
}

void fork_wait_and_copy_on_write(KTest& t)
{
    // data[0] = 1 ; pid = fork() ; if child: data[0] = 7, exit(data[0])
    // parent: wait4(pid, &data[8], 0, 0) ; exit(data[0] * 16 + (data[9]))  -> 1*16 + 7 = 23
    const u8 code[] = {
        0xc6, 0x04, 0x25, 0x00, 0x08, 0x60, 0x00, 0x01,       // movb $1, 0x600800
        0xb8, 57, 0, 0, 0, 0x0f, 0x05,                        // fork
        0x85, 0xc0,                                           // test %eax, %eax
        0x75, 0x17,                                           // jnz parent (+23)
        0xc6, 0x04, 0x25, 0x00, 0x08, 0x60, 0x00, 0x07,       // child: movb $7, 0x600800
        0x0f, 0xb6, 0x3c, 0x25, 0x00, 0x08, 0x60, 0x00,       // movzbl 0x600800, %edi
        0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05,                      // exit
        // parent: wait4(%eax, 0x600808, 0, 0)
        0x89, 0xc7,                                           // mov %eax, %edi
        0xbe, 0x08, 0x08, 0x60, 0x00,                         // mov $0x600808, %esi
        0x31, 0xd2,                                           // xor %edx, %edx
        0x4d, 0x31, 0xd2,                                     // xor %r10, %r10
        0xb8, 61, 0, 0, 0, 0x0f, 0x05,                        // wait4
        0x0f, 0xb6, 0x3c, 0x25, 0x00, 0x08, 0x60, 0x00,       // movzbl 0x600800, %edi (1: ours unchanged)
        0xc1, 0xe7, 0x04,                                     // shl $4, %edi
        0x0f, 0xb6, 0x04, 0x25, 0x09, 0x08, 0x60, 0x00,       // movzbl 0x600809, %eax (child's exit code)
        0x01, 0xc7,                                           // add %eax, %edi
        0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05,                      // exit
    };
    u8 data[16] = {};
    ElfBuilder p(code, sizeof(code), data, sizeof(data), 4096);
    KEXPECT_EQ(t, run(t, "/test/fork", p), 23 << 8);
}

void pages_come_back(KTest& t)
{
    const u8 code[] = { EXIT_WITH(0) };
    ElfBuilder p(code, sizeof(code));
    // Warm the caches (heap slabs), then count.
    for (int i = 0; i < 3; i++)
        run(t, "/test/warm", p);
    sched::sleep_ns(20 * 1000000ull, false);
    u64 before = pmm::stats().free_pages;
    u64 tables = accounting::page_tables.pages();
    heap::Stats heap_before = heap::stats();
    for (int i = 0; i < 30; i++)
        KEXPECT_EQ(t, run(t, "/test/round", p), 0);
    sched::sleep_ns(20 * 1000000ull, false);
    u64 mid = pmm::stats().free_pages;
    for (int i = 0; i < 100; i++)
        KEXPECT_EQ(t, run(t, "/test/round", p), 0);
    sched::sleep_ns(20 * 1000000ull, false);
    heap::Stats heap_after = heap::stats();
    t.note("free pages %lu -> %lu -> %lu; heap bytes %lu -> %lu, heap pages %lu -> %lu", before, mid,
           pmm::stats().free_pages, heap_before.bytes_in_use, heap_after.bytes_in_use, heap_before.pages_held,
           heap_after.pages_held);
    // No page lost: every page is free again or held by the heap, which
    // keeps an empty slab per size class for reuse; and the heap itself has
    // exactly the bytes in use it had.
    KEXPECT_EQ(t, accounting::page_tables.pages(), tables);
    KEXPECT_EQ(t, heap_after.bytes_in_use, heap_before.bytes_in_use);
    KEXPECT_EQ(t, pmm::stats().free_pages + heap_after.pages_held, before + heap_before.pages_held);
}

void real_programs_give_everything_back(KTest& t)
{
    // /bin/true from the initrd: files, file-backed pages, an FsContext.
    const char* argv[] = { "/bin/true", nullptr };
    auto round = [&](int n) {
        for (int i = 0; i < n; i++) {
            auto pid = proc::spawn("/bin/true", argv, nullptr);
            if (pid.is_error()) {
                t.skip("no /bin/true in the initrd");
                return false;
            }
            proc::wait_spawned(pid.value());
        }
        sched::sleep_ns(20 * 1000000ull, false);
        return true;
    };
    if (!round(5))
        return;
    u64 free_before = pmm::stats().free_pages;
    heap::Stats heap_before = heap::stats();
    u64 tables = accounting::page_tables.pages(), anon = accounting::anon.pages();
    round(100);
    heap::Stats heap_mid = heap::stats();
    u64 free_mid = pmm::stats().free_pages;
    round(100);
    heap::Stats heap_after = heap::stats();
    u64 free_after = pmm::stats().free_pages;
    t.note("free %lu -> %lu -> %lu; heap bytes %lu -> %lu -> %lu, pages %lu -> %lu -> %lu", free_before, free_mid,
           free_after, heap_before.bytes_in_use, heap_mid.bytes_in_use, heap_after.bytes_in_use, heap_before.pages_held,
           heap_mid.pages_held, heap_after.pages_held);
    KEXPECT_EQ(t, accounting::page_tables.pages(), tables);
    KEXPECT_EQ(t, accounting::anon.pages(), anon);
    KEXPECT_EQ(t, heap_after.bytes_in_use, heap_before.bytes_in_use);
    KEXPECT_EQ(t, free_after + heap_after.pages_held, free_before + heap_before.pages_held);
}

void elf_loader_rejects_bad_files(KTest& t)
{
    const u8 code[] = { EXIT_WITH(0) };
    struct Mutation {
        const char* what;
        void (*apply)(ElfBuilder&);
        int expected;
    };
    const Mutation mutations[] = {
        { "bad magic", [](ElfBuilder& b) { b.image[1] = 'X'; }, ENOEXEC },
        { "32-bit class", [](ElfBuilder& b) { b.image[4] = 1; }, ENOEXEC },
        { "big endian", [](ElfBuilder& b) { b.image[5] = 2; }, ENOEXEC },
        { "wrong machine", [](ElfBuilder& b) { reinterpret_cast<elf::Header*>(b.image)->machine = 3; }, ENOEXEC },
        { "relocatable", [](ElfBuilder& b) { reinterpret_cast<elf::Header*>(b.image)->type = 1; }, ENOEXEC },
        { "no program headers", [](ElfBuilder& b) { reinterpret_cast<elf::Header*>(b.image)->phnum = 0; }, ENOEXEC },
        { "phoff past the end", [](ElfBuilder& b) { reinterpret_cast<elf::Header*>(b.image)->phoff = 1 << 30; }, ENOEXEC },
        { "wrong phentsize", [](ElfBuilder& b) { reinterpret_cast<elf::Header*>(b.image)->phentsize = 32; }, ENOEXEC },
        { "segment past the file", [](ElfBuilder& b) {
              reinterpret_cast<elf::ProgramHeader*>(b.image + 64)->filesz = 1 << 30;
          }, ENOEXEC },
        { "filesz > memsz", [](ElfBuilder& b) {
              auto* ph = reinterpret_cast<elf::ProgramHeader*>(b.image + 64);
              ph->memsz = ph->filesz - 1;
          }, ENOEXEC },
        { "misaligned offset", [](ElfBuilder& b) { reinterpret_cast<elf::ProgramHeader*>(b.image + 64)->offset += 1; }, ENOEXEC },
        { "kernel address", [](ElfBuilder& b) {
              auto* ph = reinterpret_cast<elf::ProgramHeader*>(b.image + 64);
              ph->vaddr = 0xffffffff80001000ull;
              reinterpret_cast<elf::Header*>(b.image)->entry = ph->vaddr;
          }, ENOEXEC },
        { "entry outside the segments", [](ElfBuilder& b) { reinterpret_cast<elf::Header*>(b.image)->entry = 0x900000; }, ENOEXEC },
        { "interpreter", [](ElfBuilder& b) { reinterpret_cast<elf::ProgramHeader*>(b.image + 64)->type = elf::PT_INTERP; }, ENOENT },
    };
    for (const Mutation& m : mutations) {
        ElfBuilder p(code, sizeof(code));
        m.apply(p);
        proc::exec_registry::set("/test/bad", p.source());
        const char* argv[] = { "/test/bad", nullptr };
        auto pid = proc::spawn("/test/bad", argv, nullptr);
        proc::exec_registry::set("/test/bad", nullptr);
        if (!pid.is_error()) {
            proc::wait_spawned(pid.value());
            t.fail(__FILE__, __LINE__, "%s: loaded", m.what);
        } else if (pid.error().code() != m.expected) {
            t.fail(__FILE__, __LINE__, "%s: %s, expected %s", m.what, pid.error().name(), errno_name(m.expected));
        }
    }
    // Truncated: every prefix of a good file is refused or runs; none faults.
    ElfBuilder good(code, sizeof(code));
    const size_t cuts[] = { 0, 10, 63, 64, 100, 119, 120, 0x1000, 0x1005 };
    for (size_t cut : cuts) {
        auto src = adopt<PageSource>(new MemoryPageSource(good.image, cut));
        proc::exec_registry::set("/test/cut", src);
        const char* argv[] = { "/test/cut", nullptr };
        auto pid = proc::spawn("/test/cut", argv, nullptr);
        proc::exec_registry::set("/test/cut", nullptr);
        if (!pid.is_error()) {
            proc::wait_spawned(pid.value());
            t.fail(__FILE__, __LINE__, "a file cut at %lu bytes was loaded", cut);
        } else {
            KEXPECT_EQ(t, pid.error().code(), static_cast<int>(ENOEXEC));
        }
    }
}

void runs_on_every_cpu(KTest& t)
{
    // Many processes that spin a little and exit with the CPU they ended on
    // (getcpu(&x, 0, 0); exit(x)).
    // loop: dec %ecx ; jnz loop (ecx = 2,000,000), then getcpu(0x600800,0,0), exit(byte 0x600800)
    const u8 code[] = { 0xb9, 0x80, 0x84, 0x1e, 0x00,                // mov $2000000, %ecx
                        0xff, 0xc9, 0x75, 0xfc,                      // dec %ecx ; jnz -4
                        0xbf, 0x00, 0x08, 0x60, 0x00,                // mov $0x600800, %edi
                        0x31, 0xf6, 0x31, 0xd2,                      // xor %esi,%esi ; xor %edx,%edx
                        0xb8, 0x35, 0x01, 0, 0, 0x0f, 0x05,          // getcpu (309)
                        0x0f, 0xb6, 0x3c, 0x25, 0x00, 0x08, 0x60, 0x00, // movzbl 0x600800, %edi
                        0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05 };
    u8 data[8] = {};
    ElfBuilder p(code, sizeof(code), data, sizeof(data), 4096);
    proc::exec_registry::set("/test/cpu", p.source());
    u32 n = percpu::count() * 4;
    i32 pids[64];
    const char* argv[] = { "/test/cpu", nullptr };
    for (u32 i = 0; i < n && i < 64; i++) {
        auto pid = proc::spawn("/test/cpu", argv, nullptr);
        KASSERT_TRUE(t, !pid.is_error());
        pids[i] = pid.value();
    }
    proc::exec_registry::set("/test/cpu", nullptr);
    u64 seen = 0;
    for (u32 i = 0; i < n && i < 64; i++)
        seen |= 1ull << ((proc::wait_spawned(pids[i]) >> 8) & 63);
    u32 distinct = __builtin_popcountll(seen);
    t.note("%u processes ended on %u of %u CPUs (mask 0x%lx)", n, distinct, percpu::count(), seen);
    if (percpu::count() > 1)
        KEXPECT_GE(t, distinct, 2u);
}

} // namespace

KTEST_SUITE(process, KTEST_CASE(exit_status), KTEST_CASE(argc_from_the_initial_stack), KTEST_CASE(stack_is_aligned),
            KTEST_CASE(getpid_and_int80), KTEST_CASE(unknown_syscall_is_enosys), KTEST_CASE(bad_pointer_is_efault),
            KTEST_CASE(faults_kill_only_the_process), KTEST_CASE(stack_overflow_hits_the_guard),
            KTEST_CASE(data_and_bss), KTEST_CASE(fork_wait_and_copy_on_write), KTEST_CASE(pages_come_back),
            KTEST_CASE(elf_loader_rejects_bad_files), KTEST_CASE(runs_on_every_cpu),
            KTEST_CASE(real_programs_give_everything_back));
