import { defineConfig } from 'oskit/config';

export default defineConfig({
  cpus: 4,
  maxCpus: 64,
  memory: '512M',
  timerHz: 100,
  schedulerQuantumMs: 10,
  kernelHeapSize: '64M',
  logLevel: 'info',
  cmdline: '',
  console: ['serial', 'vga'],
  bootTimeoutMs: 60_000,
  testTimeoutMs: 300_000,
});
