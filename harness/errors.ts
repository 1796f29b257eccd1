// The one error type of the harness: a user-facing message, an optional
// hint, and the process exit code. The CLI prints it without a stack trace.

export interface OskitErrorOptions {
  /** Exit status for the CLI (default 1). */
  exitCode?: number;
  /** Extra text printed before the message (compiler output, console tail). */
  details?: string;
}

export class OskitError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;
  readonly details: string | undefined;

  constructor(message: string, hint?: string, options: OskitErrorOptions = {}) {
    super(message);
    this.name = 'OskitError';
    this.hint = hint;
    this.exitCode = options.exitCode ?? 1;
    this.details = options.details;
  }
}

export function isOskitError(value: unknown): value is OskitError {
  return value instanceof OskitError;
}
