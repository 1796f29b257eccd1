#include <lib/string.hpp>
#include <proc/elf.hpp>

namespace elf {
namespace {

Error noexec() { return Error::from_errno(ENOEXEC); }

u32 prot_of(u32 flags)
{
    u32 prot = 0;
    if (flags & PF_R)
        prot |= vm::ProtRead;
    if (flags & PF_W)
        prot |= vm::ProtWrite;
    if (flags & PF_X)
        prot |= vm::ProtExec;
    return prot;
}

} // namespace

ErrorOr<void> parse(PageSource& file, Parsed& out)
{
    Header& h = out.header;
    size_t got = TRY(file.read(0, &h, sizeof(h)));
    if (got < sizeof(h))
        return noexec();
    // \x7fELF, 64-bit, little-endian, version 1.
    if (h.ident[0] != 0x7f || h.ident[1] != 'E' || h.ident[2] != 'L' || h.ident[3] != 'F' || h.ident[4] != 2 ||
        h.ident[5] != 1 || h.ident[6] != 1)
        return noexec();
    if ((h.type != ET_EXEC && h.type != ET_DYN) || h.machine != EM_X86_64 || h.version != 1)
        return noexec();
    if (h.phentsize != sizeof(ProgramHeader) || h.phnum == 0 || h.phnum > MAX_PROGRAM_HEADERS)
        return noexec();
    u64 table_size = static_cast<u64>(h.phnum) * sizeof(ProgramHeader);
    if (h.phoff > file.size() || table_size > file.size() - h.phoff)
        return noexec();
    got = TRY(file.read(h.phoff, out.phdrs, table_size));
    if (got < table_size)
        return noexec();

    bool any_load = false;
    u64 file_size = file.size();
    for (u16 i = 0; i < h.phnum; i++) {
        const ProgramHeader& ph = out.phdrs[i];
        if (ph.type == PT_INTERP)
            return Error::from_errno(ENOENT); // no dynamic linker on this system
        if (ph.type != PT_LOAD)
            continue;
        any_load = true;
        if (ph.filesz > ph.memsz || ph.offset > file_size || ph.filesz > file_size - ph.offset)
            return noexec();
        // File offset and address must agree modulo the page size.
        if ((ph.offset & (PAGE_SIZE - 1)) != (ph.vaddr & (PAGE_SIZE - 1)))
            return noexec();
        if (ph.vaddr + ph.memsz < ph.vaddr || ph.memsz > vm::USER_STACK_TOP)
            return noexec();
    }
    if (!any_load)
        return noexec();
    return {};
}

ErrorOr<Image> load(const Parsed& parsed, RefPtr<PageSource> file, vm::AddressSpace& as)
{
    const Header& h = parsed.header;
    Image image {};
    image.load_bias = h.type == ET_DYN ? DYN_BASE : 0;
    u64 lowest = ~0ull, highest = 0;
    for (u16 i = 0; i < h.phnum; i++) {
        const ProgramHeader& ph = parsed.phdrs[i];
        if (ph.type == PT_GNU_STACK)
            image.executable_stack = ph.flags & PF_X;
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        u64 vaddr = ph.vaddr + image.load_bias;
        u64 start = align_down(vaddr, PAGE_SIZE);
        u64 file_end = vaddr + ph.filesz;           // end of the bytes from the file
        u64 mem_end = align_up(vaddr + ph.memsz, PAGE_SIZE);
        if (start < vm::USER_LOW || mem_end > vm::USER_STACK_TOP - vm::USER_STACK_SIZE)
            return noexec();
        u32 prot = prot_of(ph.flags);
        // The file part: pages [start, align_up(file_end)), the tail of the
        // last page past p_filesz reads as zero (source_bytes stops there).
        u64 file_part_end = align_up(file_end, PAGE_SIZE);
        if (ph.filesz > 0) {
            vm::AddressSpace::MapRequest req;
            req.hint = start;
            req.length = file_part_end - start;
            req.prot = prot;
            req.fixed = true;
            req.source = file;
            req.offset = align_down(ph.offset, PAGE_SIZE);
            req.source_bytes = file_end - start;
            TRY(as.map(move(req)));
        } else {
            file_part_end = start;
        }
        // .bss beyond the last file page: anonymous zero pages.
        if (mem_end > file_part_end) {
            vm::AddressSpace::MapRequest req;
            req.hint = file_part_end;
            req.length = mem_end - file_part_end;
            req.prot = prot;
            req.fixed = true;
            TRY(as.map(move(req)));
        }
        lowest = min(lowest, start);
        highest = max(highest, mem_end);
        if (ph.flags & PF_X) {
            image.start_code = image.start_code ? min(image.start_code, vaddr) : vaddr;
            image.end_code = max(image.end_code, vaddr + ph.filesz);
        }
        // AT_PHDR: the program headers' address, from the segment holding them.
        if (!image.phdr && h.phoff >= ph.offset && h.phoff - ph.offset < ph.filesz)
            image.phdr = vaddr + (h.phoff - ph.offset);
    }
    for (u16 i = 0; i < h.phnum; i++) {
        if (parsed.phdrs[i].type == PT_PHDR)
            image.phdr = parsed.phdrs[i].vaddr + image.load_bias;
    }
    image.entry = h.entry + image.load_bias;
    if (image.entry < lowest || image.entry >= highest)
        return noexec();
    image.phnum = h.phnum;
    image.phent = h.phentsize;
    image.brk = highest;
    return image;
}

} // namespace elf
