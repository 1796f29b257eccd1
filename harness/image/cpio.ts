// cpio "newc" archives, the format of Linux's initramfs
// (Documentation/driver-api/early-userspace/buffer-format.rst): each entry is
// a 110-byte ASCII header ("070701" and thirteen 8-hex-digit fields), the
// name with its NUL padded so that header + name is a multiple of 4 bytes,
// then the data padded to a multiple of 4. The archive ends with an entry
// named TRAILER!!!. The writer is a pure function of its entries.

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;

export const NEWC_MAGIC = '070701';
export const TRAILER = 'TRAILER!!!';
const HEADER_SIZE = 110;
const MAX_FIELD = 0xffffffff;

export interface CpioEntry {
  /** Path inside the archive, relative: 'etc/motd', never '/etc/motd' or './etc'. */
  path: string;
  /** st_mode: the file type bits (S_IFREG, S_IFDIR, S_IFLNK) and the permission bits. */
  mode: number;
  /** Contents of a regular file (empty when absent). */
  data?: Uint8Array;
  /** Target of a symbolic link (stored as its data, without a NUL). */
  target?: string;
  /** Seconds since the epoch (default 0). */
  mtime?: number;
  uid?: number;
  gid?: number;
  /** Default: 2 for directories, 1 otherwise. */
  nlink?: number;
}

export function isDirectory(mode: number): boolean {
  return (mode & S_IFMT) === S_IFDIR;
}

export function isRegular(mode: number): boolean {
  return (mode & S_IFMT) === S_IFREG;
}

export function isSymlink(mode: number): boolean {
  return (mode & S_IFMT) === S_IFLNK;
}

function hex8(value: number, field: string, path: string): string {
  if (!Number.isInteger(value) || value < 0 || value > MAX_FIELD) {
    throw new RangeError(`cpio: ${field} of ${path} does not fit in 32 bits (${value})`);
  }
  return value.toString(16).toUpperCase().padStart(8, '0');
}

const pad4 = (n: number) => (4 - (n % 4)) % 4;

/** Why a path cannot be an archive name, or undefined when it can. */
export function badArchivePath(p: string): string | undefined {
  if (p === '') return 'the path is empty';
  if (p.includes('\0')) return 'the path contains a NUL byte';
  if (p.startsWith('/')) return 'the path starts with /';
  if (p.endsWith('/')) return 'the path ends with /';
  if (p.split('/').some((c) => c === '' || c === '.' || c === '..')) return 'the path has an empty, . or .. component';
  return undefined;
}

function header(fields: number[], path: string): string {
  const names = ['ino', 'mode', 'uid', 'gid', 'nlink', 'mtime', 'filesize', 'devmajor', 'devminor', 'rdevmajor', 'rdevminor', 'namesize', 'check'];
  return NEWC_MAGIC + fields.map((v, i) => hex8(v, names[i]!, path)).join('');
}

/**
 * The archive for `entries`, in their order, followed by the trailer. Inode
 * numbers are 1, 2, 3... in that order (every entry has its own, so the
 * kernel's hard-link detection, which keys on nlink >= 2 and the inode
 * number, never joins two files); device numbers and the checksum are 0.
 * Throws for a path that is not a clean relative path, a file type other than
 * regular file, directory and symlink, or a field beyond 32 bits.
 */
export function writeCpio(entries: readonly CpioEntry[]): Buffer {
  const chunks: Buffer[] = [];
  let offset = 0;
  const push = (b: Buffer) => {
    chunks.push(b);
    offset += b.length;
  };
  const record = (ino: number, e: Required<Omit<CpioEntry, 'data' | 'target'>>, body: Uint8Array) => {
    const name = Buffer.from(`${e.path}\0`, 'utf8');
    push(Buffer.from(header([ino, e.mode, e.uid, e.gid, e.nlink, e.mtime, body.length, 0, 0, 0, 0, name.length, 0], e.path), 'ascii'));
    push(name);
    push(Buffer.alloc(pad4(offset)));
    push(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    push(Buffer.alloc(pad4(offset)));
  };
  entries.forEach((e, i) => {
    const bad = badArchivePath(e.path);
    if (bad) throw new Error(`cpio: bad entry path ${JSON.stringify(e.path)}: ${bad}`);
    let body: Uint8Array;
    if (isRegular(e.mode)) body = e.data ?? new Uint8Array(0);
    else if (isSymlink(e.mode)) {
      if (!e.target) throw new Error(`cpio: symlink ${e.path} has no target`);
      body = Buffer.from(e.target, 'utf8');
    } else if (isDirectory(e.mode)) body = new Uint8Array(0);
    else throw new Error(`cpio: ${e.path} has mode 0${e.mode.toString(8)}; only regular files, directories and symlinks are written`);
    record(i + 1, {
      path: e.path,
      mode: e.mode,
      mtime: e.mtime ?? 0,
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      nlink: e.nlink ?? (isDirectory(e.mode) ? 2 : 1),
    }, body);
  });
  // The trailer as Linux's usr/gen_init_cpio writes it: nlink 1, everything else 0.
  record(0, { path: TRAILER, mode: 0, mtime: 0, uid: 0, gid: 0, nlink: 1 }, new Uint8Array(0));
  return Buffer.concat(chunks);
}

export interface CpioRecord extends Required<Omit<CpioEntry, 'data' | 'target'>> {
  ino: number;
  data: Buffer;
  target?: string;
}

/**
 * Read a newc archive back, up to its trailer (tests, and the overlay
 * builder that asks which directories the root image has). Throws on a bad
 * magic, a truncated header, name or body, or a missing trailer.
 */
export function readCpio(archive: Uint8Array): CpioRecord[] {
  const buf = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  const out: CpioRecord[] = [];
  let at = 0;
  for (;;) {
    if (at + HEADER_SIZE > buf.length) throw new Error(`cpio: truncated header at offset ${at}`);
    const magic = buf.toString('ascii', at, at + 6);
    if (magic !== NEWC_MAGIC) throw new Error(`cpio: bad magic ${JSON.stringify(magic)} at offset ${at}`);
    const field = (i: number) => {
      const text = buf.toString('ascii', at + 6 + i * 8, at + 14 + i * 8);
      if (!/^[0-9a-fA-F]{8}$/.test(text)) throw new Error(`cpio: bad header field ${JSON.stringify(text)} at offset ${at}`);
      return Number.parseInt(text, 16);
    };
    const [ino, mode, uid, gid, nlink, mtime, filesize] = [0, 1, 2, 3, 4, 5, 6].map(field) as [number, number, number, number, number, number, number];
    const namesize = field(11);
    const nameStart = at + HEADER_SIZE;
    if (namesize < 1 || nameStart + namesize > buf.length) throw new Error(`cpio: truncated name at offset ${at}`);
    if (buf[nameStart + namesize - 1] !== 0) throw new Error(`cpio: name not NUL-terminated at offset ${at}`);
    const name = buf.toString('utf8', nameStart, nameStart + namesize - 1);
    let dataStart = nameStart + namesize;
    dataStart += pad4(dataStart);
    if (dataStart + filesize > buf.length) throw new Error(`cpio: truncated data of ${name}`);
    const data = buf.subarray(dataStart, dataStart + filesize);
    at = dataStart + filesize;
    at += pad4(at);
    if (name === TRAILER) return out;
    const rec: CpioRecord = { ino, path: name, mode, uid, gid, nlink, mtime, data };
    if (isSymlink(mode)) rec.target = data.toString('utf8');
    out.push(rec);
  }
}
