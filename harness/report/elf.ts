// Reading the symbol table of an ELF64 little-endian file (System V ABI,
// "Object Files": ELF header, section headers, Elf64_Sym), without tools.

export interface ElfSymbol {
  name: string;
  value: bigint;
  size: bigint;
  /** STT_* type: 0 NOTYPE, 1 OBJECT, 2 FUNC. */
  type: number;
}

const SHT_SYMTAB = 2;
const STT_SECTION = 3;
const STT_FILE = 4;
const SHN_UNDEF = 0;
const SHN_ABS = 0xfff1;

/** The defined code and data symbols of an ELF64 LSB file, sorted by address. */
export function readElfSymbols(buf: Buffer): ElfSymbol[] {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  if (buf[4] !== 2) throw new Error('not a 64-bit ELF file');
  if (buf[5] !== 1) throw new Error('not a little-endian ELF file');
  const shoff = Number(buf.readBigUInt64LE(0x28));
  const shentsize = buf.readUInt16LE(0x3a);
  const shnum = buf.readUInt16LE(0x3c);
  const section = (i: number) => {
    const off = shoff + i * shentsize;
    return {
      type: buf.readUInt32LE(off + 4),
      offset: Number(buf.readBigUInt64LE(off + 0x18)),
      size: Number(buf.readBigUInt64LE(off + 0x20)),
      link: buf.readUInt32LE(off + 0x28),
      entsize: Number(buf.readBigUInt64LE(off + 0x38)),
    };
  };
  const symbols: ElfSymbol[] = [];
  for (let i = 0; i < shnum; i++) {
    const sh = section(i);
    if (sh.type !== SHT_SYMTAB) continue;
    const strtab = section(sh.link);
    const entsize = sh.entsize || 24;
    for (let off = sh.offset; off + entsize <= sh.offset + sh.size; off += entsize) {
      const nameOff = buf.readUInt32LE(off);
      const info = buf[off + 4]!;
      const shndx = buf.readUInt16LE(off + 6);
      const value = buf.readBigUInt64LE(off + 8);
      const size = buf.readBigUInt64LE(off + 16);
      const type = info & 0xf;
      if (shndx === SHN_UNDEF || shndx === SHN_ABS || type === STT_SECTION || type === STT_FILE || nameOff === 0) continue;
      const start = strtab.offset + nameOff;
      const end = buf.indexOf(0, start);
      const name = buf.toString('utf8', start, end < 0 ? strtab.offset + strtab.size : end);
      if (!name || name.startsWith('.L')) continue;
      symbols.push({ name, value, size, type });
    }
  }
  symbols.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : b.type - a.type));
  return symbols;
}
