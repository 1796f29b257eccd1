// Colour for each output stream. chalk alone ignores NO_COLOR, so the level
// is decided here: NO_COLOR (any non-empty value) or a non-TTY stream means
// no colour; FORCE_COLOR wins over both, as chalk's own detection does.
import { Chalk, type ChalkInstance } from 'chalk';

function levelFor(stream: NodeJS.WriteStream): 0 | 1 | 2 | 3 {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== 'false' && force !== '0') {
    const n = Number.parseInt(force, 10);
    return (Number.isNaN(n) ? 1 : Math.min(Math.max(n, 1), 3)) as 1 | 2 | 3;
  }
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return 0;
  if (!stream.isTTY) return 0;
  if (process.env.TERM === 'dumb') return 0;
  const depth = stream.getColorDepth?.() ?? 4;
  return depth >= 24 ? 3 : depth >= 8 ? 2 : 1;
}

export const colorOut: ChalkInstance = new Chalk({ level: levelFor(process.stdout) });
export const colorErr: ChalkInstance = new Chalk({ level: levelFor(process.stderr) });

/** A chalk instance with colour on or off, for reporters writing to strings. */
export function chalkWith(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 1 : 0 });
}
