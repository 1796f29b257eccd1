// What `oskit soak` types and what each command must print, as pure
// functions of a seed: a small PRNG, a model of the files the soak keeps in
// /tmp/soak, the commands drawn from it, and the verdict on MemFree samples.
// The same seed gives the same commands in the same order (a failure is
// reproduced with --seed).

/** mulberry32: a small, fast 32-bit PRNG; the same seed, the same stream. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SoakCommand {
  line: string;
  /** What the command must print (exactly, or matching). */
  expect: string | RegExp;
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];
export const SOAK_DIR = '/tmp/soak';
const MAX_FILES = 6;

export const HELLO = 'Hello from user space!\nSystem call test: write() works!\n';

/** The commands of one soak, drawn one at a time. */
export class SoakPlan {
  private readonly random: () => number;
  /** File name -> contents, as the guest's /tmp/soak must hold them. */
  readonly files = new Map<string, string>();

  constructor(readonly seed: number) {
    this.random = prng(seed);
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  private words(): string {
    return Array.from({ length: 1 + this.int(4) }, () => this.pick(WORDS)).join(' ');
  }

  /** The command typed first: a fresh directory for the files. */
  setup(): SoakCommand {
    return { line: `rm -rf ${SOAK_DIR}; mkdir ${SOAK_DIR}`, expect: '' };
  }

  /** The next command and what it must print. */
  next(): SoakCommand {
    const names = [...this.files.keys()].sort();
    const existing = names.length ? this.pick(names) : undefined;
    const kinds: Array<() => SoakCommand> = [
      () => {
        const w = this.words();
        return { line: `echo ${w}`, expect: `${w}\n` };
      },
      () => {
        const name = names.length >= MAX_FILES && existing ? existing : `f${this.int(100)}`;
        const w = this.words();
        this.files.set(name, `${w}\n`);
        return { line: `echo ${w} > ${SOAK_DIR}/${name}`, expect: '' };
      },
      () => {
        if (!existing) return { line: `ls ${SOAK_DIR}`, expect: '' };
        const w = this.words();
        this.files.set(existing, `${this.files.get(existing)}${w}\n`);
        return { line: `echo ${w} >> ${SOAK_DIR}/${existing}`, expect: '' };
      },
      () => (existing ? { line: `cat ${SOAK_DIR}/${existing}`, expect: this.files.get(existing)! } : { line: 'true', expect: '' }),
      () => (existing ? { line: `cat < ${SOAK_DIR}/${existing} | wc -l`, expect: `${this.files.get(existing)!.split('\n').length - 1}\n` } : { line: 'false || echo no files', expect: 'no files\n' }),
      () => {
        if (!existing) return { line: 'true && echo none yet', expect: 'none yet\n' };
        this.files.delete(existing);
        return { line: `rm ${SOAK_DIR}/${existing}`, expect: '' };
      },
      () => ({ line: `ls ${SOAK_DIR}`, expect: names.length ? `${names.join('  ')}\n` : '' }),
      () => {
        const n = 1 + this.int(50);
        return { line: `yes ${this.pick(WORDS)} | head -n ${n} | wc -l`, expect: `${n}\n` };
      },
      () => ({ line: '/bin/hello', expect: HELLO }),
      () => ({ line: 'forktest', expect: /^Parent process: PID \d+\nChild process: PID \d+\nFork and exec working correctly!\n$/ }),
      () => {
        const n = this.int(256);
        return { line: `sh -c 'exit ${n}'; echo $?`, expect: `${n}\n` };
      },
      () => ({ line: 'ls /nonexistent 2>&1 | wc -l', expect: '1\n' }),
      () => ({ line: 'uptime', expect: /^System uptime: \d+d \d+h \d+m \d+s\nTick count: \d+\n$/ }),
      () => ({ line: 'ps', expect: /^PID {3}STATE {5}CPU {2}CMD\n1 +\w+ +\d+ +init\n2 +\w+ +\d+ +sh\n\d+ +RUNNING +\d+ +ps\n$/ }),
      () => ({ line: 'sleep 0.1 & wait', expect: /^\[1\] \d+\n\[1\]\+ Done {2}sleep 0\.1\n$/ }),
      () => ({ line: 'fault null; echo $?', expect: /^fault: null\n(?:\[ *\d+\.\d+\] fault\[\d+\]: killed by SIGSEGV.*\n)?Segmentation fault\n139\n$/ }),
      () => {
        const w = this.pick(WORDS);
        return { line: `echo "${w} x" | grep -F ${w}`, expect: `${w} x\n` };
      },
    ];
    return this.pick(kinds)();
  }
}

/** The line that samples free memory, and its value in kB. */
export const MEMFREE_COMMAND = 'grep MemFree /proc/meminfo';
export function parseMemFree(output: string): number | undefined {
  const m = /^MemFree: +(\d+) kB\n$/.exec(output);
  return m ? Number(m[1]) : undefined;
}

/** How far free memory may fall before the soak calls it a leak (the files the soak keeps are a few pages). */
export const LEAK_KB = 1024;

/**
 * undefined when free memory holds steady, else why not: the soak fails when
 * MemFree keeps falling, i.e. the lowest sample of the second half is more
 * than LEAK_KB below the lowest of the first half, and the last sample is
 * too (a dip that recovers is not a leak). The first sample (warm-up:
 * caches the kernel fills once) is left out.
 */
export function leakVerdict(samplesKb: readonly number[]): string | undefined {
  const s = samplesKb.slice(1);
  if (s.length < 4) return undefined;
  const half = Math.floor(s.length / 2);
  const first = Math.min(...s.slice(0, half));
  const second = Math.min(...s.slice(half));
  const last = s[s.length - 1]!;
  if (first - second > LEAK_KB && first - last > LEAK_KB) {
    return `MemFree keeps falling: ${first} kB at best in the first half, ${second} kB in the second, ${last} kB at the end (samples: ${samplesKb.join(' ')})`;
  }
  return undefined;
}
