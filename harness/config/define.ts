// What oskit.config.ts may contain. Imported by users as 'oskit/config';
// this module must stay free of heavy imports because it is loaded at run
// time by every config file.

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type ConsoleKind = 'serial' | 'vga';

/** A size in bytes, or a string with a K, M or G suffix such as '512M'. */
export type Size = number | string;

export interface UserConfig {
  /** Virtual CPUs given to QEMU (-smp). Default 4. */
  cpus?: number;
  /** The kernel's compile-time CPU limit, 1..256. Default 64. */
  maxCpus?: number;
  /** Guest RAM, 32M..64G. Default '512M'. */
  memory?: Size;
  /** Timer interrupt frequency in Hz, 10..10000. Default 100. */
  timerHz?: number;
  /** Scheduler time slice in ms, 1..1000. Default 10. */
  schedulerQuantumMs?: number;
  /** Kernel heap size, 1M..1G. Default '64M'. */
  kernelHeapSize?: Size;
  /** Compiled-in log level. Default 'info'. */
  logLevel?: LogLevel;
  /** Kernel command line put in grub.cfg. Default ''. */
  cmdline?: string;
  /** Where the kernel console writes. Default ['serial', 'vga']. */
  console?: ConsoleKind[];
  /** Harness bound for one boot to reach its first expected line. Default 60000. */
  bootTimeoutMs?: number;
  /** Harness bound for a whole `oskit test` run. Default 300000. */
  testTimeoutMs?: number;
  /** The guest's host name (/etc/hostname, config::hostname). Default 'oskit'. */
  hostname?: string;
  /**
   * More files for the root file system: 'HOST_PATH' (to /BASENAME) or
   * 'HOST_PATH:GUEST_PATH'; host paths relative to the project, directories
   * copied recursively. Default [].
   */
  rootfs?: string[];
}

/** Identity function that gives oskit.config.ts type checking. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}
