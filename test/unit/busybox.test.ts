// --busybox: the ELF check, the applet list, the entries it adds to a run's
// archive, and that a user's --add still wins over them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { busyboxEntries, elfInterpreter, hostBusybox, OSKIT_BIN, parseAppletList } from '../../harness/image/busybox.js';
import { S_IFLNK, S_IFMT, S_IFREG } from '../../harness/image/cpio.js';
import { additionEntries, resolveAdditions } from '../../harness/image/initrd.js';

/** A minimal ELF64 header with one program header of type `ptype` (3 = PT_INTERP). */
function elf(ptype: number, interp = '/lib64/ld-linux-x86-64.so.2'): Buffer {
  const b = Buffer.alloc(0x200);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2; // ELFCLASS64
  b[5] = 1; // little-endian
  b.writeBigUInt64LE(64n, 32); // e_phoff
  b.writeUInt16LE(56, 54); // e_phentsize
  b.writeUInt16LE(1, 56); // e_phnum
  b.writeUInt32LE(ptype, 64);
  b.writeBigUInt64LE(0x100n, 64 + 8); // p_offset
  b.writeBigUInt64LE(BigInt(interp.length + 1), 64 + 32); // p_filesz
  b.write(`${interp}\0`, 0x100, 'latin1');
  return b;
}

t.test('static or dynamic: PT_INTERP', async (t) => {
  t.equal(elfInterpreter(elf(3)), '/lib64/ld-linux-x86-64.so.2');
  t.equal(elfInterpreter(elf(1)), '', 'PT_LOAD only: static');
  t.equal(elfInterpreter(Buffer.from('#!/bin/sh\n')), undefined);
  const elf32 = elf(1);
  elf32[4] = 1;
  t.equal(elfInterpreter(elf32), undefined, 'ELF32 is not ours');
});

t.test('busybox --list', async (t) => {
  t.same(parseAppletList('[\n[[\nash\nbusybox\nls\n\nsh\n'), ['[', '[[', 'ash', 'ls', 'sh']);
});

t.test('the entries: busybox, a /bin link per applet, our programs under /oskit/bin', async (t) => {
  const bb = Buffer.from('BB');
  const ours = new Map<string, Uint8Array>([['ls', Buffer.from('our ls')], ['usertests', Buffer.from('ut')]]);
  const entries = busyboxEntries(bb, ['sh', 'ls', 'ls', '['], ours);
  const by = new Map(entries.map((e) => [e.path, e]));
  t.same(entries.map((e) => e.path), ['oskit', OSKIT_BIN, `${OSKIT_BIN}/ls`, `${OSKIT_BIN}/usertests`, 'bin/busybox', 'bin/[', 'bin/ls', 'bin/sh']);
  t.equal(by.get('bin/busybox')!.mode, S_IFREG | 0o755);
  t.same(by.get('bin/busybox')!.data, bb);
  t.equal(by.get('bin/sh')!.mode & S_IFMT, S_IFLNK);
  t.equal(by.get('bin/sh')!.target, 'busybox', 'a relative link: /bin/busybox');
  t.same(by.get(`${OSKIT_BIN}/ls`)!.data, Buffer.from('our ls'));

  // In the run's archive: a later --add replaces what --busybox put there.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oskit-bb-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'mysh'), 'mine');
  const merged = additionEntries(resolveAdditions(['mysh:/bin/sh'], dir), new Set(['bin']), entries);
  const sh = merged.find((e) => e.path === 'bin/sh')!;
  t.equal(sh.mode & S_IFMT, S_IFREG, '--add wins');
  t.same(sh.data, Buffer.from('mine'));
  t.notOk(merged.some((e) => e.path === 'bin'), 'the root image has /bin: the archive does not touch it');
  t.ok(merged.some((e) => e.path === 'oskit'), '/oskit is new: its entry is there');
});

t.test("the host's busybox, when it is there", async (t) => {
  let found;
  try {
    found = hostBusybox();
  } catch (e) {
    t.match((e as Error).message, /^--busybox: /, 'a one-line reason');
    return;
  }
  t.ok(found.applets.includes('sh') && found.applets.includes('ls'), 'sh and ls are applets');
  t.notOk(found.applets.includes('busybox'));
  t.throws(() => hostBusybox('/nonexistent/busybox'), /--busybox: \/nonexistent\/busybox not found/);
  t.throws(() => hostBusybox('/etc/hostname'), /is not an x86-64 ELF program/);
});
