// The newc writer: exact bytes for a small archive, padding for every name
// and data length modulo 4, a round trip through the reader, and GNU cpio's
// own reading of our archives (listing and extraction) when it is installed.
import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { findExecutable } from '../../harness/doctor/tools.js';
import { readCpio, S_IFDIR, S_IFLNK, S_IFREG, writeCpio, type CpioEntry } from '../../harness/image/cpio.js';
import { tempDir } from './temp-dir.js';

const fields = (hdr: string) => hdr.slice(6, 110).match(/.{8}/g)!.map((h) => Number.parseInt(h, 16));

t.test('one file: header fields, name and data padding, trailer', async (t) => {
  const archive = writeCpio([{ path: 'etc/motd', mode: S_IFREG | 0o644, data: Buffer.from('hi\n'), mtime: 1700000000 }]);
  const hdr = archive.toString('ascii', 0, 110);
  t.equal(hdr.slice(0, 6), '070701', 'newc magic');
  t.match(hdr, /^070701[0-9A-F]{104}$/, 'thirteen 8-digit upper-case hex fields');
  const [ino, mode, uid, gid, nlink, mtime, filesize, maj, min, rmaj, rmin, namesize, check] = fields(hdr);
  t.same([ino, mode, uid, gid, nlink, mtime, filesize], [1, 0o100644, 0, 0, 1, 1700000000, 3]);
  t.same([maj, min, rmaj, rmin, check], [0, 0, 0, 0, 0]);
  t.equal(namesize, 9, 'name size counts the NUL');
  // 110 + 9 = 119 -> padded to 120; data 3 -> padded to 4.
  t.equal(archive.toString('ascii', 110, 119), 'etc/motd\0');
  t.equal(archive[119], 0, 'name padding');
  t.equal(archive.toString('ascii', 120, 123), 'hi\n');
  t.equal(archive[123], 0, 'data padding');
  const trailer = archive.toString('ascii', 124, 234);
  t.same(fields(trailer), [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 11, 0], 'trailer as gen_init_cpio writes it');
  t.equal(archive.toString('ascii', 234, 245), 'TRAILER!!!\0');
  t.equal(archive.length, 248, 'ends after the trailer padded to 4 bytes');
  t.equal(archive.length % 4, 0);
});

t.test('every name and data length keeps 4-byte alignment', async (t) => {
  const entries: CpioEntry[] = [];
  for (let n = 1; n <= 8; n++) entries.push({ path: 'f'.repeat(n), mode: S_IFREG | 0o644, data: Buffer.alloc(n, n) });
  const archive = writeCpio(entries);
  let at = 0;
  let seen = 0;
  while (true) {
    t.equal(at % 4, 0, `header ${seen} is aligned`);
    t.equal(archive.toString('ascii', at, at + 6), '070701');
    const f = fields(archive.toString('ascii', at, at + 110));
    const name = archive.toString('ascii', at + 110, at + 110 + f[11]! - 1);
    if (name === 'TRAILER!!!') break;
    const dataAt = Math.ceil((at + 110 + f[11]!) / 4) * 4;
    t.same(archive.subarray(dataAt, dataAt + f[6]!), Buffer.alloc(name.length, name.length), `${name}: data right after the padded name`);
    at = Math.ceil((dataAt + f[6]!) / 4) * 4;
    seen++;
  }
  t.equal(seen, 8);
  t.same(readCpio(archive).map((r) => r.data.length), [1, 2, 3, 4, 5, 6, 7, 8]);
});

const SAMPLE: CpioEntry[] = [
  { path: 'bin', mode: S_IFDIR | 0o755 },
  { path: 'bin/hello', mode: S_IFREG | 0o755, data: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 255]) },
  { path: 'etc', mode: S_IFDIR | 0o755 },
  { path: 'etc/empty', mode: S_IFREG | 0o644 },
  { path: 'etc/motd', mode: S_IFREG | 0o644, data: Buffer.from('Welcome\n') },
  { path: 'etc/mtab', mode: S_IFLNK | 0o777, target: '../proc/mounts' },
  { path: 'tmp', mode: S_IFDIR | 0o1777, mtime: 86400 },
  { path: 'usr/share/naïve café', mode: S_IFREG | 0o600, data: Buffer.from('utf-8 name'), uid: 1000, gid: 100 },
];

t.test('round trip through the reader', async (t) => {
  const records = readCpio(writeCpio(SAMPLE));
  t.equal(records.length, SAMPLE.length);
  records.forEach((r, i) => {
    const e = SAMPLE[i]!;
    t.equal(r.path, e.path);
    t.equal(r.mode, e.mode, `${e.path} mode`);
    t.equal(r.ino, i + 1, 'inodes numbered in order');
    t.equal(r.mtime, e.mtime ?? 0);
    t.equal(r.uid, e.uid ?? 0);
    t.equal(r.gid, e.gid ?? 0);
    t.equal(r.nlink, (e.mode & 0o170000) === S_IFDIR ? 2 : 1);
    if (e.target) t.equal(r.target, e.target, 'symlink target stored as data');
    else t.same(r.data, Buffer.from(e.data ?? []), `${e.path} data`);
  });
  t.same(writeCpio([]), writeCpio([]), 'an empty archive is just the trailer');
  t.same(readCpio(writeCpio([])), []);
});

t.test('bad input is refused', async (t) => {
  t.throws(() => writeCpio([{ path: '/etc/motd', mode: S_IFREG | 0o644 }]), /starts with \//);
  t.throws(() => writeCpio([{ path: './etc', mode: S_IFDIR | 0o755 }]), /\. or \.\. component/);
  t.throws(() => writeCpio([{ path: 'a//b', mode: S_IFDIR | 0o755 }]), /empty/);
  t.throws(() => writeCpio([{ path: 'etc/', mode: S_IFDIR | 0o755 }]), /ends with \//);
  t.throws(() => writeCpio([{ path: '', mode: S_IFDIR | 0o755 }]), /empty/);
  t.throws(() => writeCpio([{ path: 'dev/null', mode: 0o020666 }]), /only regular files, directories and symlinks/);
  t.throws(() => writeCpio([{ path: 'l', mode: S_IFLNK | 0o777 }]), /no target/);
  t.throws(() => writeCpio([{ path: 'f', mode: S_IFREG | 0o644, mtime: 2 ** 32 }]), /mtime of f does not fit in 32 bits/);
  const good = writeCpio(SAMPLE);
  t.throws(() => readCpio(good.subarray(0, 50)), /truncated header/);
  t.throws(() => readCpio(good.subarray(0, good.length - 8)), /truncated/);
  t.throws(() => readCpio(Buffer.concat([Buffer.from('070707'), good.subarray(6)])), /bad magic/);
});

const gnuCpio = findExecutable('cpio');
t.test('GNU cpio lists and extracts our archives', { skip: gnuCpio ? false : 'GNU cpio not installed (apt-get install cpio)' }, async (t) => {
  const dir = tempDir('oskit-cpio-');
  const file = path.join(dir, 'a.cpio');
  writeFileSync(file, writeCpio(SAMPLE));
  const list = spawnSync('cpio', ['-it', '--quiet', '-F', file], { encoding: 'utf8' });
  t.equal(list.status, 0, list.stderr);
  t.same(list.stdout.trim().split('\n'), SAMPLE.map((e) => e.path), 'cpio -it lists every entry in order');
  const verbose = spawnSync('cpio', ['-itv', '--quiet', '-F', file], { encoding: 'utf8' });
  t.match(verbose.stdout, /^-rwxr-xr-x +1 root +root +8 .* bin\/hello$/m);
  t.match(verbose.stdout, /^lrwxrwxrwx .* etc\/mtab -> \.\.\/proc\/mounts$/m);
  t.match(verbose.stdout, /^drwxrwxrwt .* tmp$/m);
  const out = path.join(dir, 'x');
  (await import('node:fs')).mkdirSync(out);
  const extract = spawnSync('cpio', ['-idm', '--quiet', '--no-absolute-filenames', '-F', file], { cwd: out, encoding: 'utf8' });
  t.equal(extract.status, 0, extract.stderr);
  t.same(readFileSync(path.join(out, 'bin/hello')), SAMPLE[1]!.data);
  t.equal(lstatSync(path.join(out, 'bin/hello')).mode & 0o7777, 0o755);
  t.equal(readFileSync(path.join(out, 'etc/motd'), 'utf8'), 'Welcome\n');
  t.equal(readFileSync(path.join(out, 'etc/empty'), 'utf8'), '');
  t.equal(readlinkSync(path.join(out, 'etc/mtab')), '../proc/mounts');
  t.equal(lstatSync(path.join(out, 'tmp')).mode & 0o7777, 0o1777);
  t.equal(lstatSync(path.join(out, 'tmp')).mtimeMs, 86400_000, 'mtime kept (-m)');
  t.equal(readFileSync(path.join(out, 'usr/share/naïve café'), 'utf8'), 'utf-8 name');
  // And the other way: an archive GNU cpio wrote reads back with ours.
  const made = spawnSync('sh', ['-c', 'find bin etc tmp | LC_ALL=C sort | cpio -o -H newc --quiet'], { cwd: out });
  t.equal(made.status, 0, String(made.stderr));
  const records = readCpio(made.stdout);
  t.same(records.map((r) => r.path), ['bin', 'bin/hello', 'etc', 'etc/empty', 'etc/motd', 'etc/mtab', 'tmp']);
  t.same(records.find((r) => r.path === 'bin/hello')!.data, SAMPLE[1]!.data);
  t.equal(records.find((r) => r.path === 'etc/mtab')!.target, '../proc/mounts');
});
