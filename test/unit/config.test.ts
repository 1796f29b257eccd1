import { writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { loadConfig } from '../../harness/config/load.js';
import { applyOverrides, DEFAULTS, formatSize, GiB, MiB, parseSize, validateConfig } from '../../harness/config/schema.js';
import { OskitError } from '../../harness/errors.js';
import { projectAt } from '../../harness/project.js';
import { tempDir } from './temp-dir.js';


function errorOf(fn: () => unknown): OskitError {
  try {
    fn();
  } catch (e) {
    if (e instanceof OskitError) return e;
    throw e;
  }
  throw new Error('expected an OskitError');
}

t.test('defaults', async (t) => {
  const c = validateConfig({});
  t.same(c, DEFAULTS);
  t.equal(c.cpus, 4);
  t.equal(c.maxCpus, 64);
  t.equal(c.memoryBytes, 512 * MiB);
  t.equal(c.kernelHeapSize, 64 * MiB);
  t.same(c.console, ['serial', 'vga']);
  t.equal(c.bootTimeoutMs, 60000);
  t.equal(c.testTimeoutMs, 300000);
  t.equal(c.hostname, 'oskit');
  t.same(c.rootfs, []);
  t.same(validateConfig(undefined), DEFAULTS);
});

t.test('sizes', async (t) => {
  t.equal(parseSize('512M'), 512 * MiB);
  t.equal(parseSize('2g'), 2 * GiB);
  t.equal(parseSize('64K'), 64 * 1024);
  t.equal(parseSize('1GiB'), GiB);
  t.equal(parseSize(4096), 4096);
  t.equal(parseSize('12X'), undefined);
  t.equal(parseSize('-1M'), undefined);
  t.equal(parseSize(1.5), undefined);
  t.equal(formatSize(16 * GiB), '16G');
  t.equal(formatSize(1536 * MiB), '1536M');
  t.equal(validateConfig({ memory: '1G' }).memoryBytes, GiB);
  t.equal(validateConfig({ kernelHeapSize: '1536K' }).kernelHeapSize, 1536 * 1024);
});

t.test('each kind of bad value is one error naming field, value and range', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [{ timerHz: 5 }, /^config: timerHz must be an integer from 10 to 10000 \(got 5\)$/],
    [{ timerHz: 100.5 }, /timerHz must be an integer from 10 to 10000 \(got 100\.5\)/],
    [{ timerHz: '100' }, /timerHz must be an integer .*\(got "100"\)/],
    [{ cpus: 0 }, /cpus must be an integer from 1 to 256 \(got 0\)/],
    [{ maxCpus: 257 }, /maxCpus must be an integer from 1 to 256 \(got 257\)/],
    [{ schedulerQuantumMs: 0 }, /schedulerQuantumMs must be an integer from 1 to 1000/],
    [{ memory: '16M' }, /memory must be a size from 32M to 64G .*\(got "16M"\)/],
    [{ memory: '128G' }, /memory must be a size from 32M to 64G/],
    [{ memory: 'lots' }, /memory must be a size .*\(got "lots"\)/],
    [{ memory: '33000K' }, /memory must be a whole number of MiB/],
    [{ kernelHeapSize: '2G' }, /kernelHeapSize must be a size from 1M to 1G/],
    [{ logLevel: 'verbose' }, /logLevel must be one of 'error', 'warn', 'info', 'debug' \(got "verbose"\)/],
    [{ cmdline: 42 }, /cmdline must be a string/],
    [{ cmdline: "it's" }, /cmdline must be a string of printable ASCII without single quotes/],
    [{ console: [] }, /console must be a non-empty array of 'serial' and\/or 'vga' \(got \[\]\)/],
    [{ console: ['serial', 'hdmi'] }, /console must be .*\(got \["serial","hdmi"\]\)/],
    [{ console: 'serial' }, /console must be a non-empty array/],
    [{ bootTimeoutMs: 10 }, /bootTimeoutMs must be an integer from 1000/],
    [{ testTimeoutMs: -1 }, /testTimeoutMs must be an integer from 1000/],
    [{ cpu: 4 }, /^config: unknown field cpu$/],
    [42, /default export must be an object/],
  ];
  for (const [input, re] of cases) {
    const e = errorOf(() => validateConfig(input));
    t.match(e.message, re, JSON.stringify(input));
    t.equal(e.message.split('\n').length, 1, 'one line');
  }
});

t.test('hostname', async (t) => {
  for (const ok of ['oskit', 'a', 'box-1', 'build.example.org', 'x'.repeat(63), `${'a'.repeat(31)}.${'b'.repeat(32)}`]) {
    t.equal(validateConfig({ hostname: ok }).hostname, ok, ok);
  }
  for (const bad of ['', '-box', 'box-', 'a..b', '.a', 'a b', 'x'.repeat(64), `${'a'.repeat(32)}.${'b'.repeat(32)}`, 'caf\u00e9', 5]) {
    t.match(errorOf(() => validateConfig({ hostname: bad })).message,
      /^config: hostname must be a host name of at most 64 characters: dot-separated labels of letters, digits and '-', not starting or ending with '-' \(got .*\)$/, String(bad));
  }
});

t.test('valid values are kept', async (t) => {
  const c = validateConfig({ cpus: 2, maxCpus: 8, timerHz: 1000, logLevel: 'debug', console: ['serial'], cmdline: ' loglevel=3 ' });
  t.equal(c.cpus, 2);
  t.equal(c.maxCpus, 8);
  t.equal(c.timerHz, 1000);
  t.equal(c.logLevel, 'debug');
  t.same(c.console, ['serial']);
  t.equal(c.cmdline, 'loglevel=3');
});

t.test('command-line overrides', async (t) => {
  const base = validateConfig({});
  t.equal(applyOverrides(base, { smp: '2' }).cpus, 2);
  t.equal(applyOverrides(base, { mem: '16G' }).memoryBytes, 16 * GiB);
  t.match(errorOf(() => applyOverrides(base, { smp: 'two' })).message, /^--smp must be an integer from 1 to 256 \(got "two"\)$/);
  t.match(errorOf(() => applyOverrides(base, { mem: '1T' })).message, /^--mem must be .* \(got "1T"\)$/);
  t.equal(base.cpus, 4, 'base config unchanged');
});

t.test('loading oskit.config.ts through the package self-reference', async (t) => {
  const dir = tempDir('oskit-config-');
  const project = projectAt(dir);
  writeFileSync(path.join(dir, 'oskit.config.ts'), [
    "import { defineConfig } from 'oskit/config';",
    "const hz: number = 250;",
    "export default defineConfig({ cpus: 2, timerHz: hz, memory: '1G', console: ['serial'] });",
  ].join('\n'));
  const c = await loadConfig(project);
  t.equal(c.cpus, 2);
  t.equal(c.timerHz, 250);
  t.equal(c.memoryBytes, GiB);
  t.same(c.console, ['serial']);

  writeFileSync(path.join(dir, 'oskit.config.ts'), "export default { timerHz: 5 };\n");
  await t.rejects(loadConfig(project), { message: 'config: timerHz must be an integer from 10 to 10000 (got 5)' }, 'reloads the changed file');

  const other = path.join(dir, 'other.ts');
  writeFileSync(other, "export default { logLevel: 'debug' };\n");
  t.equal((await loadConfig(project, other)).logLevel, 'debug');

  await t.rejects(loadConfig(project, path.join(dir, 'missing.ts')), { message: `config file not found: ${path.join(dir, 'missing.ts')}` });
  t.same(await loadConfig(projectAt(tempDir('oskit-empty-'))), DEFAULTS, 'no config file: defaults');
});
