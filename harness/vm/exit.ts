// What QEMU's exit status means (DESIGN.md, "Exit status"): isa-debug-exit
// makes QEMU exit with (value << 1) | 1; a triple fault under -no-reboot
// makes it exit 0, as does quitting from the console (Ctrl-A X).
import type { ExitInfo } from './console.js';

export const EXIT_SUCCESS = 33; // kernel wrote 0x10
export const EXIT_TESTS_FAILED = 35; // 0x11
export const EXIT_PANIC = 37; // 0x12

export type Outcome = 'success' | 'tests-failed' | 'panic' | 'triple-fault' | 'quit' | 'qemu-error' | 'guest-exit' | 'signal';

export interface DecodedExit {
  outcome: Outcome;
  message: string;
  /** The status `oskit run` exits with. */
  exitCode: number;
}

/** Exit status of `oskit run` for a guest that triple-faulted. */
export const EXIT_TRIPLE_FAULT = 3;

/**
 * Decode QEMU's exit. `shutdownReason` is QMP's SHUTDOWN reason when known
 * ('guest-reset' after a triple fault under -no-reboot); `interactive` says a
 * person could have quit from the console, which also exits 0.
 */
export function decodeExit(exit: ExitInfo, shutdownReason?: string, interactive = false): DecodedExit {
  if (exit.status === null) {
    return { outcome: 'signal', message: `QEMU was killed by signal ${exit.signal}`, exitCode: 128 + (exit.signal ?? 0) };
  }
  switch (exit.status) {
    case EXIT_SUCCESS:
      return { outcome: 'success', message: 'guest exited with success (isa-debug-exit 0x10)', exitCode: 0 };
    case EXIT_TESTS_FAILED:
      return { outcome: 'tests-failed', message: 'guest reported failing tests (isa-debug-exit 0x11)', exitCode: EXIT_TESTS_FAILED };
    case EXIT_PANIC:
      return { outcome: 'panic', message: 'kernel panic or unhandled exception (isa-debug-exit 0x12)', exitCode: EXIT_PANIC };
    case 0:
      if (shutdownReason === 'guest-reset' || (!interactive && shutdownReason === undefined)) {
        return { outcome: 'triple-fault', message: 'guest reset (triple fault; QEMU stopped it under -no-reboot)', exitCode: EXIT_TRIPLE_FAULT };
      }
      return { outcome: 'quit', message: 'QEMU quit', exitCode: 0 };
    case 1:
      return { outcome: 'qemu-error', message: 'QEMU failed (exit status 1)', exitCode: 1 };
    default:
      if (exit.status % 2 === 1) {
        const value = (exit.status - 1) / 2;
        return { outcome: 'guest-exit', message: `guest wrote 0x${value.toString(16)} to isa-debug-exit (QEMU exit ${exit.status})`, exitCode: exit.status };
      }
      return { outcome: 'qemu-error', message: `QEMU exited with status ${exit.status}`, exitCode: exit.status };
  }
}

/** QEMU's own error message in its output (`qemu-system-x86_64: ...`), without the program name. */
export function qemuErrorLine(output: string): string | undefined {
  const m = /^qemu-system-[\w-]+: (?:error: )?(.+)$/m.exec(output.replaceAll('\r', ''));
  return m?.[1]?.trim();
}

/**
 * One line for a QEMU that failed on its own (exit status 1): what it said,
 * and for guest RAM the host cannot provide, that in plain words.
 */
export function explainQemuFailure(decoded: DecodedExit, output: string, memory: string): string {
  const said = qemuErrorLine(output);
  if (decoded.outcome !== 'qemu-error' || !said) return decoded.message;
  if (/cannot set up guest memory|Cannot allocate memory/i.test(said)) return `the host cannot give QEMU ${memory} of guest RAM (QEMU: ${said})`;
  return `${decoded.message}: ${said}`;
}
