// Loading oskit.config.ts: transpile it with TypeScript, write the result
// inside the oskit package (so `import 'oskit/config'` resolves through the
// package's self-reference), import it, validate the default export.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { OskitError } from '../errors.js';
import type { Project } from '../project.js';
import { validateConfig, type Config } from './schema.js';

let loadCounter = 0;

/**
 * Load and validate a configuration file. `explicit` is a path given with
 * --config (must exist); without it, <project>/oskit.config.ts is used when
 * present and the defaults otherwise.
 */
export async function loadConfig(project: Project, explicit?: string): Promise<Config> {
  const file = explicit ? path.resolve(explicit) : path.join(project.root, 'oskit.config.ts');
  if (!existsSync(file)) {
    if (explicit) throw new OskitError(`config file not found: ${explicit}`);
    return validateConfig(undefined);
  }
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw new OskitError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  const ts = (await import('typescript')).default;
  const out = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const syntax = out.diagnostics?.[0];
  if (syntax) {
    const where = syntax.file && syntax.start !== undefined ? syntax.file.getLineAndCharacterOfPosition(syntax.start) : undefined;
    const msg = ts.flattenDiagnosticMessageText(syntax.messageText, ' ');
    throw new OskitError(`config: ${file}${where ? `:${where.line + 1}:${where.character + 1}` : ''}: ${msg}`);
  }
  const dir = path.join(project.packageRoot, 'build');
  mkdirSync(dir, { recursive: true });
  const compiled = path.join(dir, '.oskit.config.mjs');
  writeFileSync(compiled, out.outputText);
  let mod: { default?: unknown };
  try {
    // The query makes each load a new module: Node caches ES modules by URL.
    mod = (await import(`${pathToFileURL(compiled).href}?load=${process.pid}.${loadCounter++}`)) as { default?: unknown };
  } catch (e) {
    throw new OskitError(`config: ${file} failed to load: ${(e as Error).message}`);
  }
  if (mod.default === undefined) {
    throw new OskitError(`config: ${file} has no default export`, "write: export default defineConfig({ ... })");
  }
  return validateConfig(mod.default);
}
