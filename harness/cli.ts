// The `oskit` command: commander wiring only. Every command is a function in
// its module, callable without the CLI (the tests do).
import { Command, Option } from 'commander';
import { prepare } from './build/pipeline.js';
import { benchBoot } from './bench/boot.js';
import { bootJson, formatBootReport } from './bench/boot-report.js';
import { benchSmp, smpReport } from './bench/smp.js';
import { formatSmpTable, smpJson } from './bench/smp-report.js';
import { benchSys } from './bench/sys.js';
import { formatSysTable, sysJson } from './bench/sys-report.js';
import { colorErr } from './color.js';
import { runDoctor } from './doctor/doctor.js';
import { formatSyscallList } from './syscall/list.js';
import { syscallsMarkdown } from './syscall/generate.js';
import { isOskitError, OskitError } from './errors.js';
import { printError } from './log.js';
import { findProject, packageVersion, rel } from './project.js';
import { parseCount, REPORTERS, testCommand, type Reporter } from './test-command.js';
import { runSoak } from './vm/soak.js';
import { runDebug } from './vm/debug.js';
import { runExec } from './vm/exec.js';
import { MAX_REPEAT } from './vm/repeat.js';
import { runInteractive } from './vm/run.js';

interface Global {
  config?: string;
}

interface BootFlags {
  accel?: string;
  smp?: string;
  mem?: string;
}

const accelOption = () => new Option('--accel <mode>', 'accelerator: auto (probe KVM, else TCG), kvm or tcg').choices(['auto', 'kvm', 'tcg']);
const smpOption = () => new Option('--smp <n>', 'virtual CPUs (overrides cpus in the config)');
const memOption = () => new Option('--mem <size>', 'guest RAM such as 512M or 2G (overrides memory)');
const addOption = () => new Option('--add <host[:guest]>', 'add a host file or directory to the root file system for this run (repeatable; default guest path /BASENAME)')
  .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
const busyboxOption = () => new Option('--busybox', "put the host's static busybox (Debian busybox-static) in the root: a /bin link per applet, busybox's being the defaults; oskit's own programs stay under /oskit/bin");
const traceOption = () => new Option('--trace-syscalls', 'trace every system call (trace_syscalls on the kernel command line)');

interface RootfsFlags {
  add?: string[];
  busybox?: boolean;
  traceSyscalls?: boolean;
}

/** The root file system options run, exec, test (and shell) share: --add, --busybox, --trace-syscalls. */
export function rootfsOptions(flags: RootfsFlags) {
  return {
    ...(flags.add ? { add: flags.add } : {}),
    ...(flags.busybox ? { busybox: true } : {}),
    ...(flags.traceSyscalls ? { traceSyscalls: true } : {}),
  };
}

/**
 * In `oskit exec [options] PATH [ARGS...]` everything from PATH on belongs to
 * the program, options included (`oskit exec /bin/ls -l`). Commander reads
 * options anywhere, so a `--` goes in before PATH; option values are skipped
 * by the options' own definitions (exec's and the global ones).
 */
export function separateProgramArgs(program: Command, argv: readonly string[]): string[] {
  const takesValue = (cmd: Command, flag: string) => cmd.options.find((o) => o.long === flag || o.short === flag)?.required ?? false;
  let i = 2;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--' || !a.startsWith('-')) break;
    if (!a.includes('=') && takesValue(program, a)) i++;
  }
  const exec = program.commands.find((c) => c.name() === 'exec');
  if (!exec || argv[i] !== 'exec') return [...argv];
  for (i++; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return [...argv];
    if (!a.startsWith('-') || a === '-') return [...argv.slice(0, i), '--', ...argv.slice(i)];
    if (!a.includes('=') && (takesValue(exec, a) || takesValue(program, a))) i++;
  }
  return [...argv];
}

function bootOptions(global: Global, flags: BootFlags) {
  return {
    ...(global.config ? { configFile: global.config } : {}),
    ...(flags.accel ? { accel: flags.accel } : {}),
    ...(flags.smp !== undefined ? { smp: flags.smp } : {}),
    ...(flags.mem !== undefined ? { mem: flags.mem } : {}),
  };
}

/** Run a command body; an OskitError becomes one red line and its exit code. */
async function guarded(body: () => Promise<number | void>): Promise<never> {
  let code = 0;
  try {
    code = (await body()) ?? 0;
  } catch (e) {
    if (isOskitError(e)) {
      printError(e);
      code = e.exitCode;
    } else {
      process.stderr.write(colorErr.red(`oskit: internal error: ${(e as Error)?.stack ?? String(e)}`) + '\n');
      code = 70;
    }
  }
  process.exit(code);
}

export function buildProgram(): Command {
  const program = new Command('oskit');
  program
    .description('build, boot and test an x86-64 hobby kernel')
    .version(packageVersion())
    .option('--config <file>', 'configuration file (default: oskit.config.ts in the project)')
    .showHelpAfterError('hint: oskit help <command> shows its options')
    .configureOutput({ outputError: (str, write) => write(colorErr.red(str.replace(/^error: /, 'oskit: '))) });
  const global = () => program.opts<Global>();

  program
    .command('build')
    .description('generate build/gen/*, write build/build.ninja, build build/kernel.elf and the user programs (build/user/rootfs), pack build/initrd.cpio')
    .action(() => guarded(async () => {
      const project = findProject();
      const out = await prepare(project, bootOptions(global(), {}));
      const user = out.userPrograms.length > 0 ? `, ${out.userPrograms.length} user programs in build/user/rootfs` : '';
      process.stderr.write(`oskit: built ${rel(project, out.kernelElf)}${user} and ${rel(project, out.initrd.file)} (${out.initrd.entries} entries, ${Math.ceil(out.initrd.bytes / 1024)} KiB)\n`);
    }));

  program
    .command('iso')
    .description('build and make build/oskit.iso with grub-mkrescue')
    .action(() => guarded(async () => {
      const project = findProject();
      const out = await prepare(project, { ...bootOptions(global(), {}), iso: true });
      process.stderr.write(`oskit: ${rel(project, out.iso!)}\n`);
    }));

  program
    .command('run')
    .description('build what is stale and boot with the serial console on this terminal (Ctrl-A X quits)')
    .addOption(accelOption())
    .addOption(smpOption())
    .addOption(memOption())
    .option('--display', 'open a QEMU window (VGA) as well')
    .option('--cmdline <args>', 'extra kernel arguments for this run, e.g. crash=pf')
    .addOption(addOption())
    .addOption(busyboxOption())
    .addOption(traceOption())
    .argument('[qemu-args...]', 'extra QEMU arguments after --')
    .action((qemuExtra: string[], flags: BootFlags & RootfsFlags & { display?: boolean; cmdline?: string }) => guarded(async () => {
      const decoded = await runInteractive(findProject(), {
        ...bootOptions(global(), flags),
        ...rootfsOptions(flags),
        ...(flags.display ? { display: true } : {}),
        ...(flags.cmdline ? { cmdlineExtra: flags.cmdline } : {}),
        extraArgs: qemuExtra,
      });
      return decoded.exitCode;
    }));

  program
    .command('shell')
    .description("build what is stale, boot, and give this terminal to the guest's shell (exit halts it; Ctrl-A X quits, Ctrl-A H lists the keys)")
    .addOption(accelOption())
    .addOption(smpOption())
    .addOption(memOption())
    .option('--display', 'open a QEMU window (VGA and the PS/2 keyboard) as well')
    .addOption(addOption())
    .addOption(busyboxOption())
    .action((flags: BootFlags & RootfsFlags & { display?: boolean }) => guarded(async () => {
      const decoded = await runInteractive(findProject(), {
        ...bootOptions(global(), flags),
        ...rootfsOptions(flags),
        ...(flags.display ? { display: true } : {}),
        kind: 'shell',
      });
      return decoded.exitCode;
    }));

  program
    .command('soak')
    .description('type a seeded random mix of commands for M minutes; fail on a panic, hang, lost prompt, wrong output or falling free memory')
    .requiredOption('--minutes <m>', 'how long to type (fractions allowed)')
    .option('--seed <s>', 'the random seed (printed; the same seed types the same commands)')
    .addOption(accelOption())
    .addOption(smpOption())
    .addOption(memOption())
    .action((flags: BootFlags & { minutes: string; seed?: string }) => guarded(async () => {
      const minutes = Number(flags.minutes);
      if (!Number.isFinite(minutes) || minutes <= 0) throw new OskitError(`--minutes must be a positive number (got ${JSON.stringify(flags.minutes)})`);
      if (flags.seed !== undefined && !/^\d+$/.test(flags.seed)) throw new OskitError(`--seed must be a non-negative integer (got ${JSON.stringify(flags.seed)})`);
      const r = await runSoak(findProject(), {
        ...bootOptions(global(), flags),
        minutes,
        ...(flags.seed !== undefined ? { seed: Number(flags.seed) } : {}),
      });
      const mem = r.memFreeKb;
      console.log(`soak: passed: ${r.commands} commands in ${(r.elapsedMs / 60_000).toFixed(1)} min, seed ${r.seed}, MemFree ${mem[0]} -> ${mem.at(-1)} kB over ${mem.length} samples, no panic, no hang`);
      return 0;
    }));

  program
    .command('debug')
    .description('boot halted with a gdb stub on :1234 and attach gdb to build/kernel.elf')
    .addOption(accelOption())
    .addOption(smpOption())
    .addOption(memOption())
    .option('--display', 'open a QEMU window (VGA) as well')
    .option('--cmdline <args>', 'extra kernel arguments for this run')
    .argument('[qemu-args...]', 'extra QEMU arguments after --')
    .action((qemuExtra: string[], flags: BootFlags & { display?: boolean; cmdline?: string }) => guarded(async () => {
      return runDebug(findProject(), {
        ...bootOptions(global(), flags),
        ...(flags.display ? { display: true } : {}),
        ...(flags.cmdline ? { cmdlineExtra: flags.cmdline } : {}),
        extraArgs: qemuExtra,
      });
    }));

  program
    .command('test')
    .description("run the kernel's KTAP test suites under QEMU and report")
    .addOption(accelOption())
    .addOption(smpOption())
    .addOption(memOption())
    .option('--filter <glob>', 'only suites or suite.case names matching the glob (ktest=GLOB)')
    .addOption(new Option('--reporter <kind>', 'report format (default: pretty on a TTY, tap otherwise)').choices(REPORTERS))
    .option('--raw', 'print the raw serial log (symbolised) instead of a report')
    .addOption(addOption())
    .addOption(busyboxOption())
    .addOption(traceOption())
    .option('--repeat <n>', 'boot N times (a fresh boot each) and report how often each test passed')
    .argument('[qemu-args...]', 'extra QEMU arguments after --')
    .action((qemuExtra: string[], flags: BootFlags & RootfsFlags & { filter?: string; reporter?: Reporter; raw?: boolean; repeat?: string }) => guarded(async () => {
      return testCommand(findProject(), {
        ...bootOptions(global(), flags),
        ...rootfsOptions(flags),
        ...(flags.filter ? { filter: flags.filter } : {}),
        ...(flags.reporter ? { reporter: flags.reporter } : {}),
        ...(flags.raw ? { raw: true } : {}),
        ...(flags.repeat !== undefined ? { repeat: parseCount('--repeat', flags.repeat, MAX_REPEAT) } : {}),
        ...(qemuExtra.length ? { extraArgs: qemuExtra } : {}),
      });
    }));

  program
    .command('exec')
    .description('boot with PATH as PID 1, show its output and exit with its exit status (128+N when killed by signal N)')
    .usage('[options] PATH [ARGS...]')
    .addOption(accelOption())
    .addOption(smpOption())
    .addOption(memOption())
    .addOption(addOption())
    .addOption(busyboxOption())
    .addOption(traceOption())
    .option('--cmdline <args>', 'extra kernel arguments for this run (before init=PATH)')
    .option('--verbose', 'also show the boot log on stderr, and where the serial log is')
    .argument('<path>', 'guest path of the program, such as /bin/hello')
    .argument('[args...]', "the program's arguments: everything after PATH, options included")
    .action((guestPath: string, args: string[], flags: BootFlags & RootfsFlags & { cmdline?: string; verbose?: boolean }) => guarded(async () => {
      const run = await runExec(findProject(), {
        ...bootOptions(global(), flags),
        ...rootfsOptions(flags),
        ...(flags.cmdline ? { cmdlineExtra: flags.cmdline } : {}),
        ...(flags.verbose ? { verbose: true } : {}),
        path: guestPath,
        args,
      });
      return run.exitCode;
    }));

  const bench = program.command('bench').description('benchmarks (medians of several runs)');
  bench
    .command('boot')
    .description('wall time from QEMU spawn to the shell prompt, against a kernel that exits at once (QEMU, firmware and GRUB: the floor)')
    .addOption(accelOption())
    .addOption(smpOption())
    .addOption(memOption())
    .option('--runs <n>', 'boots of each kernel', '5')
    .option('--json', 'print the results as JSON instead of a table')
    .action((flags: BootFlags & { runs: string; json?: boolean }) => guarded(async () => {
      const runs = /^\d+$/.test(flags.runs) ? Number(flags.runs) : NaN;
      if (!Number.isInteger(runs) || runs < 1 || runs > 1000) throw new OskitError(`--runs must be an integer from 1 to 1000 (got ${JSON.stringify(flags.runs)})`);
      const report = await benchBoot(findProject(), {
        ...bootOptions(global(), flags),
        runs,
        onRun: (i, kind, ms) => process.stderr.write(`oskit: run ${i}/${runs}: ${kind === 'floor' ? 'floor' : 'oskit to the prompt'} ${(ms / 1000).toFixed(3)} s\n`),
      });
      process.stdout.write(flags.json ? bootJson(report) : formatBootReport(report));
    }));

  bench
    .command('smp')
    .description('distributed sum of 1..10,000,000 on 1..N guest CPUs (bench=smp): median time, speedup, efficiency')
    .addOption(accelOption())
    .addOption(smpOption())
    .addOption(memOption())
    .option('--runs <n>', 'runs per CPU count', '5')
    .option('--json', 'print the results as JSON instead of a table')
    .action((flags: BootFlags & { runs: string; json?: boolean }) => guarded(async () => {
      const runs = /^\d+$/.test(flags.runs) ? Number(flags.runs) : NaN;
      if (!Number.isInteger(runs) || runs < 1 || runs > 1000) throw new OskitError(`--runs must be an integer from 1 to 1000 (got ${JSON.stringify(flags.runs)})`);
      const result = await benchSmp(findProject(), {
        ...bootOptions(global(), flags),
        runs,
        onSample: (s) => {
          if (s.run === runs) process.stderr.write(`oskit: ${s.cpus} CPU${s.cpus === 1 ? '' : 's'}: ${runs} run${runs === 1 ? '' : 's'} done\n`);
        },
      });
      const report = smpReport(result);
      process.stdout.write(flags.json ? smpJson(report) : formatSmpTable(report));
      if (!flags.json) process.stderr.write(`oskit: serial log: ${report.log}, ${(result.durationMs / 1000).toFixed(1)} s\n`);
    }));

  bench
    .command('sys')
    .description('system-call costs (bench-sys as PID 1): medians over several boots; --against linux runs the same binary as /init of a Linux guest in the same QEMU')
    .addOption(accelOption())
    .addOption(smpOption())
    .addOption(memOption())
    .option('--runs <n>', 'boots of each kernel', '3')
    .option('--iters <n>', 'samples per metric per boot (bench-sys -n)', '100')
    .addOption(new Option('--against <kernel>', 'also run the benchmark under another kernel').choices(['linux']))
    .option('--linux <bzImage>', 'the Linux kernel for --against linux (default: /boot/vmlinuz-$(uname -r), else Debian\'s linux-image-amd64 via apt-get download into build/linux)')
    .option('--json', 'print the results as JSON instead of a table')
    .action((flags: BootFlags & { runs: string; iters: string; against?: 'linux'; linux?: string; json?: boolean }) => guarded(async () => {
      const runs = parseCount('--runs', flags.runs, 100);
      const iters = parseCount('--iters', flags.iters, 100000);
      if (flags.linux && !flags.against) throw new OskitError('--linux names the kernel for --against linux: add --against linux');
      const report = await benchSys(findProject(), {
        ...bootOptions(global(), flags),
        runs,
        iters,
        ...(flags.against ? { against: flags.against } : {}),
        ...(flags.linux ? { linux: flags.linux } : {}),
        onProgress: (m) => process.stderr.write(`oskit: ${m}\n`),
      });
      process.stdout.write(flags.json ? sysJson(report) : formatSysTable(report));
    }));

  program
    .command('syscalls')
    .description('the Linux x86-64 system calls and which ones the kernel implements')
    .option('--markdown', "the table as DESIGN.md has it")
    .option('--all', 'also list the calls that return ENOSYS')
    .action((flags: { markdown?: boolean; all?: boolean }) => guarded(async () => {
      process.stdout.write(flags.markdown ? syscallsMarkdown() : formatSyscallList(flags.all ?? false));
    }));

  program
    .command('doctor')
    .description('check the host tools and the accelerator; --fix installs missing Debian packages')
    .option('--fix', 'apt-get install the missing packages (as root; prints the command otherwise)')
    .action((flags: { fix?: boolean }) => guarded(async () => runDoctor(findProject(), { fix: flags.fix ?? false })));

  return program;
}

/** Entry point used by bin/oskit. */
export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
  await program.parseAsync(separateProgramArgs(program, argv));
}

