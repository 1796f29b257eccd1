// One-line messages from the harness to the user, always on stderr so that
// stdout stays clean for TAP and JSON reports.
import { colorErr } from './color.js';
import { OskitError } from './errors.js';

/** A one-line notice such as the KVM fallback. */
export function notice(message: string): void {
  process.stderr.write(`${colorErr.yellow('oskit:')} ${message}\n`);
}

/** A header line naming what runs (accelerator, CPU count). */
export function header(message: string): void {
  process.stderr.write(`${colorErr.bold('oskit:')} ${message}\n`);
}

/** Print an OskitError the way the CLI reports every failure. */
export function printError(error: OskitError): void {
  if (error.details) process.stderr.write(error.details.endsWith('\n') ? error.details : `${error.details}\n`);
  process.stderr.write(colorErr.red(`oskit: ${error.message}`) + '\n');
  if (error.hint) process.stderr.write(colorErr.red(`hint: ${error.hint}`) + '\n');
}
