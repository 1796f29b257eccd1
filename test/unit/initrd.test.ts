// The root file system image: layers in order, modes, determinism, writing
// only on change, the configuration's rootfs entries and --add archives.
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { validateConfig } from '../../harness/config/schema.js';
import { OskitError } from '../../harness/errors.js';
import { isDirectory, readCpio, S_IFDIR, S_IFREG } from '../../harness/image/cpio.js';
import {
  additionEntries, additionsArchive, buildInitrd, checkRootfsSources, initrdPath, resolveAdditions, rootfsEntries, RootTree,
} from '../../harness/image/initrd.js';
import { isoInputs, isoIsStale } from '../../harness/image/iso.js';
import { parsePathSpec } from '../../harness/image/path-spec.js';
import { packageRoot, projectAt } from '../../harness/project.js';
import { tempDir } from './temp-dir.js';

function write(root: string, file: string, content: string | Buffer, mode = 0o644): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), content);
  chmodSync(path.join(root, file), mode);
}

function errorOf(fn: () => unknown): OskitError {
  try {
    fn();
  } catch (e) {
    if (e instanceof OskitError) return e;
    throw e;
  }
  throw new Error('expected an OskitError');
}

/** A project with its own fixtures/rootfs, built programs and a host tree for rootfs entries. */
function sampleProject() {
  const root = tempDir('oskit-initrd-');
  write(root, 'fixtures/rootfs/etc/motd', 'fixture motd\n');
  write(root, 'fixtures/rootfs/etc/hostname', 'fixture\n');
  write(root, 'fixtures/rootfs/root/.gitkeep', '');
  write(root, 'fixtures/rootfs/bin/hello', 'fixture hello');
  write(root, 'build/user/rootfs/bin/hello', '\x7fELF built hello', 0o755);
  write(root, 'build/user/rootfs/sbin/init', '\x7fELF init', 0o700);
  write(root, 'extra/notes.txt', 'notes\n', 0o600);
  write(root, 'extra/tree/a/b.sh', 'echo b\n', 0o775);
  symlinkSync('a/b.sh', path.join(root, 'extra/tree/link'));
  return projectAt(root);
}

const byPath = <T extends { path: string }>(entries: T[]) => new Map(entries.map((e) => [e.path, e] as const));

t.test('layers: fixtures, hostname, built programs, config rootfs, mount points', async (t) => {
  const project = sampleProject();
  const config = validateConfig({ hostname: 'box-1.lan', rootfs: ['extra/notes.txt', 'extra/tree:/opt/tree', 'extra/notes.txt:/etc/motd'] });
  const entries = rootfsEntries(project, config);
  const paths = entries.map((e) => e.path);
  t.same(paths, [...paths].sort(), 'sorted by path');
  t.same(paths, [
    'bin', 'bin/hello', 'dev', 'etc', 'etc/hostname', 'etc/motd', 'notes.txt', 'opt', 'opt/tree', 'opt/tree/a',
    'opt/tree/a/b.sh', 'opt/tree/link', 'proc', 'root', 'sbin', 'sbin/init', 'tmp',
  ]);
  const m = byPath(entries);
  const text = (p: string) => Buffer.from(m.get(p)!.data ?? []).toString();
  t.equal(text('etc/hostname'), 'box-1.lan\n', 'hostname from the configuration replaces the fixture');
  t.equal(text('bin/hello'), '\x7fELF built hello', 'built programs replace fixtures');
  t.equal(text('etc/motd'), 'notes\n', 'a later rootfs entry replaces an earlier file');
  t.equal(m.get('bin/hello')!.mode, S_IFREG | 0o755, 'executable: 0755');
  t.equal(m.get('sbin/init')!.mode, S_IFREG | 0o755, 'any x bit makes it 0755');
  t.equal(m.get('notes.txt')!.mode, S_IFREG | 0o644, 'other files 0644 whatever the host mode');
  t.equal(m.get('opt/tree/a/b.sh')!.mode, S_IFREG | 0o755);
  t.equal(m.get('opt/tree/link')!.target, 'a/b.sh', 'symlinks inside a tree are kept');
  t.equal(m.get('opt')!.mode, S_IFDIR | 0o755, 'missing parents are made');
  t.equal(m.get('tmp')!.mode, S_IFDIR | 0o1777, 'tmp is sticky and world-writable');
  t.equal(m.get('dev')!.mode, S_IFDIR | 0o755);
  t.equal(m.get('root')!.mode, S_IFDIR | 0o755, 'an empty fixture directory survives');
  t.notOk(paths.some((p) => p.endsWith('.gitkeep')), 'placeholders are not packed');
  t.ok(entries.every((e) => (e.mtime ?? 0) === 0 && (e.uid ?? 0) === 0 && (e.gid ?? 0) === 0), 'mtime 0, uid/gid 0');
});

t.test('no build/user/rootfs, no project fixtures: the package fixtures and mount points', async (t) => {
  const project = projectAt(tempDir('oskit-initrd-empty-'));
  const entries = rootfsEntries(project, validateConfig({}));
  const m = byPath(entries);
  t.equal(Buffer.from(m.get('etc/motd')!.data!).toString(), 'Welcome to oskit - a small x86-64 kernel built from scratch to learn and test with!\n');
  t.equal(Buffer.from(m.get('etc/passwd')!.data!).toString(), 'root:x:0:0:root:/root:/bin/sh\n');
  t.equal(Buffer.from(m.get('etc/group')!.data!).toString(), 'root:x:0:\n');
  t.equal(Buffer.from(m.get('etc/hostname')!.data!).toString(), 'oskit\n');
  for (const d of ['dev', 'proc', 'tmp', 'root', 'home', 'etc']) t.ok(isDirectory(m.get(d)!.mode), `${d}/`);
});

t.test("oskit's own fixtures/rootfs/etc/motd is one line", async (t) => {
  const root = packageRoot;
  t.equal(readFileSync(path.join(root, 'fixtures/rootfs/etc/motd'), 'utf8').split('\n').length, 2, 'motd is one line');
});

t.test('deterministic, written only when it changes', async (t) => {
  const project = sampleProject();
  const config = validateConfig({ rootfs: ['extra/tree:/opt/tree'] });
  const first = buildInitrd(project, config);
  t.ok(first.written);
  t.equal(first.file, initrdPath(project));
  const bytes = readFileSync(first.file);
  t.equal(bytes.length, first.bytes);
  const old = new Date(Date.now() - 60_000);
  utimesSync(first.file, old, old);
  // Touch a host file: mtimes are not in the archive.
  utimesSync(path.join(project.root, 'extra/tree/a/b.sh'), new Date(), new Date());
  const second = buildInitrd(project, config);
  t.notOk(second.written, 'unchanged tree: not rewritten');
  t.equal(Math.round(statSync(first.file).mtimeMs), old.getTime(), 'mtime kept');
  t.same(readFileSync(first.file), bytes, 'byte-identical');
  write(project.root, 'extra/tree/a/b.sh', 'echo c\n', 0o775);
  t.ok(buildInitrd(project, config).written, 'a changed file rewrites it');
  t.notSame(readFileSync(first.file), bytes);
});

t.test('the configuration rootfs field: parsing and errors', async (t) => {
  const c = validateConfig({ rootfs: ['a/b.txt', 'dir:/opt/', 'x:/usr/lib/x.so', 'root-overlay:/'] });
  t.same(c.rootfs.map((s) => [s.host, s.guest]), [['a/b.txt', '/b.txt'], ['dir', '/opt/dir'], ['x', '/usr/lib/x.so'], ['root-overlay', '/']]);
  t.match(errorOf(() => validateConfig({ rootfs: 'a' })).message, /^config: rootfs must be a list of 'HOST_PATH' or 'HOST_PATH:GUEST_PATH' strings \(got "a"\)$/);
  t.match(errorOf(() => validateConfig({ rootfs: [1] })).message, /^config: rootfs must be a list/);
  t.match(errorOf(() => validateConfig({ rootfs: ['a:etc/x'] })).message, /^config: rootfs entry "a:etc\/x": GUEST_PATH must be absolute, such as \/etc\/motd$/);
  t.match(errorOf(() => validateConfig({ rootfs: [':/x'] })).message, /HOST_PATH is empty/);
  t.match(errorOf(() => validateConfig({ rootfs: ['a:'] })).message, /GUEST_PATH is empty/);
  t.match(errorOf(() => validateConfig({ rootfs: ['.'] })).message, /\. has no name to use in the guest; give a GUEST_PATH/);
  t.match(errorOf(() => validateConfig({ rootfs: [`a:/${'n'.repeat(256)}`] })).message, /component longer than 255 bytes/);
  t.match(errorOf(() => validateConfig({ rootfs: ['a:/x\ny'] })).message, /control character/);
  const project = sampleProject();
  const missing = errorOf(() => rootfsEntries(project, validateConfig({ rootfs: ['nope.txt:/x'] })));
  t.match(missing.message, /^config: rootfs entry "nope\.txt:\/x" \(host paths are relative to the project, .*\): .*nope\.txt does not exist$/);
  t.notMatch(missing.message, /\n/, 'one line');
  t.equal(errorOf(() => checkRootfsSources(project, validateConfig({ rootfs: ['extra', 'nope.txt:/x'] }))).message, missing.message, 'the same error before the build');
  t.doesNotThrow(() => checkRootfsSources(project, validateConfig({ rootfs: ['extra/notes.txt'] })));
  t.match(errorOf(() => rootfsEntries(project, validateConfig({ rootfs: ['extra/notes.txt:/'] }))).message, /is a file; only a directory can be merged into \//);
});

t.test('a directory merged into /, and replacement rules of the tree', async (t) => {
  const project = sampleProject();
  write(project.root, 'overlay/etc/motd', 'overlay\n');
  write(project.root, 'overlay/bin', 'a file where a directory was');
  const m = byPath(rootfsEntries(project, validateConfig({ rootfs: ['overlay:/'] })));
  t.equal(Buffer.from(m.get('etc/motd')!.data!).toString(), 'overlay\n');
  t.equal(m.get('bin')!.mode, S_IFREG | 0o644, 'a file replaces a directory');
  t.notOk(m.has('bin/hello'), 'and everything that was in it');
  const tree = new RootTree();
  tree.put({ path: 'a', mode: S_IFREG | 0o644 });
  tree.put({ path: 'a/b', mode: S_IFREG | 0o644 });
  t.same(tree.sorted().map((e) => [e.path, e.mode]), [['a', S_IFDIR | 0o755], ['a/b', S_IFREG | 0o644]], 'a file under a file makes the parent a directory');
  tree.put({ path: 'a', mode: S_IFDIR | 0o700 });
  t.same(tree.sorted().map((e) => e.path), ['a', 'a/b'], 'a directory over a directory keeps its contents');
});

t.test('--add: parsing, missing paths before anything runs, the per-run archive', async (t) => {
  const project = sampleProject();
  const cwd = path.join(project.root, 'extra');
  t.same(parsePathSpec('notes.txt', '--add'), { text: 'notes.txt', host: 'notes.txt', guest: '/notes.txt' });
  t.same(parsePathSpec('notes.txt:/root/', '--add').guest, '/root/notes.txt', 'a trailing / names the directory');
  t.same(parsePathSpec('tree/:/srv//a/../b', '--add').guest, '/srv/b', 'normalised');
  t.same(parsePathSpec('/abs/dir/', '--add').guest, '/dir');
  const missing = errorOf(() => resolveAdditions(['notes.txt', 'nope:/x'], cwd));
  t.equal(missing.message, '--add "nope:/x": nope does not exist');
  t.match(missing.hint, /relative to the current directory/);
  t.match(errorOf(() => resolveAdditions(['a:b'], cwd)).message, /^--add "a:b": GUEST_PATH must be absolute/);

  // Base image first: its directories decide which parents the overlay needs.
  buildInitrd(project, validateConfig({}));
  const adds = resolveAdditions(['notes.txt:/tmp/notes.txt', 'tree:/srv/tree', 'notes.txt:/srv/tree/link'], cwd);
  const archive = additionsArchive(project, adds);
  const records = readCpio(archive);
  t.same(records.map((r) => r.path), ['srv', 'srv/tree', 'srv/tree/a', 'srv/tree/a/b.sh', 'srv/tree/link', 'tmp/notes.txt'],
    'no tmp entry: unpacking must not change /tmp\'s mode; srv is new, so it is there');
  t.equal(records.find((r) => r.path === 'srv/tree/link')!.mode, S_IFREG | 0o644, 'a later --add replaces an earlier entry');
  t.same(additionEntries(adds, new Set()).map((e) => e.path)[0], 'srv');
  t.ok(additionEntries(adds, new Set()).some((e) => e.path === 'tmp'), 'without a base image every parent is there');
});

t.test('the ISO depends on the initrd', async (t) => {
  const project = projectAt(tempDir('oskit-iso-'));
  t.same(isoInputs(project).map((p) => path.relative(project.root, p)), ['build/kernel.elf', 'build/gen/grub.cfg', 'build/initrd.cpio']);
  for (const f of isoInputs(project)) write(project.root, path.relative(project.root, f), 'x');
  write(project.root, 'build/oskit.iso', 'iso');
  const past = new Date(Date.now() - 60_000);
  for (const f of isoInputs(project)) utimesSync(f, past, past);
  t.notOk(isoIsStale(project), 'fresh');
  utimesSync(initrdPath(project), new Date(Date.now() + 1000), new Date(Date.now() + 1000));
  t.ok(isoIsStale(project), 'a newer initrd.cpio makes the ISO stale');
});
