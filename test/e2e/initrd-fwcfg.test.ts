// The root file system from an initrd passed through QEMU fw_cfg
// (opt/oskit/initrd): the kernel reads it by DMA, unpacks it over the root
// file system GRUB loaded, mounts it read-only at /, and the initrd suite
// finds its files there. A malformed archive is refused with one log line
// and the kernel still boots with the module's root.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runKernelTests } from '../../harness/vm/ktest.js';
import { tempDir } from '../unit/temp-dir.js';
import { bootOptions, project, qemuTest } from './helpers.js';

// A bound catches a hang (measured: about 2 s under TCG).
const BOUND_MS = 20_000;

interface Entry {
  name: string;
  mode: number;
  body?: string;
}

/** A cpio newc archive (the format of Linux's initramfs). */
function newc(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    size += b.length;
  };
  const pad = () => {
    if (size % 4) push(Buffer.alloc(4 - (size % 4)));
  };
  let ino = 1;
  for (const e of [...entries, { name: 'TRAILER!!!', mode: 0 }]) {
    const body = Buffer.from(e.body ?? '');
    const name = Buffer.from(`${e.name}\0`);
    const fields = [ino++, e.mode, 0, 0, 1, 1700000000, body.length, 0, 0, 0, 0, name.length, 0];
    push(Buffer.from(`070701${fields.map((f) => f.toString(16).padStart(8, '0')).join('')}`));
    push(name);
    pad();
    push(body);
    pad();
  }
  return Buffer.concat(parts);
}

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

qemuTest('fw_cfg initrd: read by DMA, unpacked, mounted read-only at /, files readable', async (t) => {
  const dir = tempDir('oskit-initrd-');
  const archive = path.join(dir, 'initrd.cpio');
  writeFileSync(
    archive,
    newc([
      { name: 'oskit-e2e', mode: S_IFDIR | 0o755 },
      { name: 'oskit-e2e/marker', mode: S_IFREG | 0o640, body: 'oskit initrd marker\n' },
      { name: 'oskit-e2e/link', mode: S_IFLNK | 0o777, body: 'marker' },
      { name: 'oskit-e2e/sub', mode: S_IFDIR | 0o700 },
    ]),
  );
  const run = await runKernelTests(project, {
    ...bootOptions,
    filter: 'initrd',
    timeoutMs: BOUND_MS,
    extraArgs: ['-fw_cfg', `name=opt/oskit/initrd,file=${archive}`],
  });
  t.same(run.problems, [], 'no problems');
  t.ok(run.passed, `the initrd suite passed (log: ${run.logFile})`);
  t.match(run.output, /initrd: fw_cfg opt\/oskit\/initrd: \d+ KiB read by DMA in \d+ ms/, 'read by DMA');
  // Two archives: the root file system GRUB loads (build/initrd.cpio) and this one over it.
  t.match(run.output, /vfs: initrd mounted at \/ read-only \(\d+ files, \d+ KiB, 2 archives, \d+ ms\)/, 'mounted with its figures');
  const suite = run.result.tests.find((s) => s.name === 'initrd');
  const contents = suite?.children.find((c) => c.name === 'boot_archive_contents');
  t.equal(contents?.status, 'pass', 'initrd.boot_archive_contents passed');
  t.match(run.output, /boot_archive_contents: the end-to-end archive's files are in \//, 'and found the archive\'s files in /');
});

qemuTest('fw_cfg initrd: a malformed archive is refused, the root comes from the module alone', async (t) => {
  const dir = tempDir('oskit-initrd-bad-');
  const archive = path.join(dir, 'bad.cpio');
  const good = newc([{ name: 'x', mode: S_IFREG | 0o644, body: 'x' }]);
  writeFileSync(archive, good.subarray(0, good.length - 20)); // the trailer cut short
  const run = await runKernelTests(project, {
    ...bootOptions,
    filter: 'vfs',
    timeoutMs: BOUND_MS,
    extraArgs: ['-fw_cfg', `name=opt/oskit/initrd,file=${archive}`],
  });
  t.same(run.problems, [], 'no problems');
  t.ok(run.passed, 'the vfs suite passed');
  t.match(run.output, /initrd: fw_cfg opt\/oskit\/initrd is not a valid cpio newc archive: truncated header at offset \d+/);
  t.match(run.output, /vfs: initrd mounted at \/ read-only \(\d+ files, \d+ KiB, 1 archive, \d+ ms\)/, 'the module alone');
});
