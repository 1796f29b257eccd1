// A minimal QMP client (QEMU Machine Protocol, docs/interop/qmp-spec):
// JSON lines over a unix socket; a greeting, qmp_capabilities, then
// commands and asynchronous events. Keys for the PS/2 keyboard
// (input-send-event), screendump, and the VGA text screen read back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { OskitError } from '../errors.js';
import { decodeVgaText, keysFor, VGA_TEXT_ADDRESS, VGA_TEXT_BYTES } from './keys.js';

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
}

export class Qmp {
  private buffer = '';
  private readonly pendingReplies: Array<{ resolve: (v: unknown) => void; reject: (e: Error) => void }> = [];
  private readonly eventListeners = new Set<(e: QmpEvent) => void>();
  readonly events: QmpEvent[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('close', () => {
      for (const p of this.pendingReplies.splice(0)) p.reject(new Error('QMP connection closed'));
    });
    socket.on('error', () => {
      // close follows; pending commands are rejected there
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (!line) continue;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if ('QMP' in msg) continue; // greeting
      if (typeof msg.event === 'string') {
        const e: QmpEvent = { event: msg.event, data: msg.data as Record<string, unknown> | undefined };
        this.events.push(e);
        for (const l of this.eventListeners) l(e);
        continue;
      }
      const p = this.pendingReplies.shift();
      if (!p) continue;
      if ('error' in msg) p.reject(new Error(`QMP error: ${JSON.stringify(msg.error)}`));
      else p.resolve(msg.return);
    }
  }

  /**
   * Connect to QEMU's QMP socket, retrying while QEMU starts (it creates the
   * socket during start-up), bounded by `timeoutMs`; `alive` stops the retries
   * when QEMU has already exited.
   */
  static async connect(socketPath: string, timeoutMs: number, alive: () => boolean = () => true): Promise<Qmp> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.createConnection(socketPath);
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
        const qmp = new Qmp(socket);
        await qmp.execute('qmp_capabilities');
        return qmp;
      } catch (e) {
        if (!alive()) throw new OskitError('QEMU exited before its QMP socket accepted a connection');
        if (Date.now() > deadline) {
          throw new OskitError(`could not connect to QEMU's QMP socket ${socketPath} within ${timeoutMs} ms: ${(e as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  }

  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pendingReplies.push({ resolve, reject });
      this.socket.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n');
    });
  }

  onEvent(listener: (e: QmpEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** The reason of the last SHUTDOWN event ('guest-reset' after a triple fault under -no-reboot). */
  shutdownReason(): string | undefined {
    const e = [...this.events].reverse().find((ev) => ev.event === 'SHUTDOWN');
    return typeof e?.data?.reason === 'string' ? e.data.reason : undefined;
  }

  /**
   * Press one character's keys on the guest's PS/2 keyboard (modifiers held
   * while the key goes down, all released in reverse order) with
   * input-send-event: the guest sees scancodes as from a person's keyboard.
   */
  async pressChar(ch: string): Promise<void> {
    const keys = keysFor(ch);
    if (!keys) throw new OskitError(`no key on a US keyboard types ${JSON.stringify(ch)}`);
    await this.pressKeys(keys);
  }

  /** Press qcodes together (e.g. ['ctrl', 'c']) and release them. */
  async pressKeys(qcodes: readonly string[]): Promise<void> {
    const event = (key: string, down: boolean) => ({ type: 'key', data: { down, key: { type: 'qcode', data: key } } });
    const events = [...qcodes.map((k) => event(k, true)), ...[...qcodes].reverse().map((k) => event(k, false))];
    await this.execute('input-send-event', { events });
  }

  /** Write a PNG of the guest's screen (QEMU >= 7.1). */
  async screendump(file: string): Promise<void> {
    await this.execute('screendump', { filename: path.resolve(file), format: 'png' });
  }

  /** The VGA text screen (0xB8000, 80x25) as 25 lines, read with pmemsave. */
  async readVgaText(): Promise<string[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'oskit-vga-'));
    const file = path.join(dir, 'text.bin');
    try {
      await this.execute('pmemsave', { val: VGA_TEXT_ADDRESS, size: VGA_TEXT_BYTES, filename: file });
      return decodeVgaText(readFileSync(file));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
