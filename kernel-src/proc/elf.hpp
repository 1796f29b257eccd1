#pragma once
// The ELF64 loader for static executables (ET_EXEC, and static-pie ET_DYN
// without an interpreter): checks every header field it relies on (anything
// malformed or unsupported is ENOEXEC, never a fault), then maps each
// PT_LOAD segment as a private file mapping plus zero-filled memory for .bss.
#include <lib/error_or.hpp>
#include <mm/address_space.hpp>
#include <mm/page_source.hpp>

namespace elf {

// ELF64 header and program header (System V ABI, ELF-64 Object File Format).
struct Header {
    u8 ident[16];
    u16 type;
    u16 machine;
    u32 version;
    u64 entry;
    u64 phoff;
    u64 shoff;
    u32 flags;
    u16 ehsize;
    u16 phentsize;
    u16 phnum;
    u16 shentsize;
    u16 shnum;
    u16 shstrndx;
};
static_assert(sizeof(Header) == 64);

struct ProgramHeader {
    u32 type;
    u32 flags;
    u64 offset;
    u64 vaddr;
    u64 paddr;
    u64 filesz;
    u64 memsz;
    u64 align;
};
static_assert(sizeof(ProgramHeader) == 56);

constexpr u16 ET_EXEC = 2, ET_DYN = 3;
constexpr u16 EM_X86_64 = 62;
constexpr u32 PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_GNU_STACK = 0x6474e551;
constexpr u32 PF_X = 1, PF_W = 2, PF_R = 4;
constexpr u16 MAX_PROGRAM_HEADERS = 128;
// Where static-pie programs are placed (Linux's ELF_ET_DYN_BASE on x86-64).
constexpr u64 DYN_BASE = 0x555555554000ull;

struct Image {
    u64 entry;          // where execution starts (load bias applied)
    u64 load_bias;      // 0 for ET_EXEC
    u64 phdr;           // address of the program headers in memory (AT_PHDR)
    u16 phnum;
    u16 phent;
    u64 brk;            // first byte after the highest segment
    u64 start_code, end_code;
    bool executable_stack;
};

// Reads and checks the ELF header and program headers. ENOEXEC for a file
// that is not a loadable static x86-64 ELF (or is corrupt), ENOENT when it
// needs a program interpreter (there is no dynamic linker here).
struct Parsed {
    Header header;
    ProgramHeader phdrs[MAX_PROGRAM_HEADERS];
};
ErrorOr<void> parse(PageSource& file, Parsed& out);

// Maps a parsed file's segments into `as` (an empty address space).
ErrorOr<Image> load(const Parsed& parsed, RefPtr<PageSource> file, vm::AddressSpace& as);

} // namespace elf
