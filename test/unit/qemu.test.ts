import t from 'tap';
import { escapeOptionValue, memoryArg, qemuArgs, resolveMachine, serialArgs, shellQuote } from '../../harness/vm/qemu.js';

const base = { accel: 'tcg' as const, smp: 4, memoryBytes: 512 * 1024 * 1024, iso: 'build/oskit.iso' };

function valueAfter(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

t.test('TCG defaults', async (t) => {
  const a = qemuArgs(base);
  t.equal(valueAfter(a, '-M'), 'q35');
  t.equal(valueAfter(a, '-cpu'), 'max');
  t.equal(valueAfter(a, '-accel'), 'tcg');
  t.equal(valueAfter(a, '-smp'), '4');
  t.equal(valueAfter(a, '-m'), '512M');
  t.equal(valueAfter(a, '-cdrom'), 'build/oskit.iso');
  t.equal(valueAfter(a, '-boot'), 'd');
  t.ok(a.includes('-no-reboot'));
  t.equal(valueAfter(a, '-device'), 'isa-debug-exit,iobase=0xf4,iosize=0x04');
  t.equal(valueAfter(a, '-serial'), 'chardev:serial0');
  t.equal(valueAfter(a, '-chardev'), 'stdio,id=serial0,signal=off');
  t.equal(valueAfter(a, '-monitor'), 'none');
  t.equal(valueAfter(a, '-display'), 'none');
  t.notOk(a.includes('-fw_cfg'), 'no fw_cfg without per-run arguments');
  t.notOk(a.includes('-qmp'));
  t.notOk(a.includes('-s'));
});

t.test('KVM uses the host CPU', async (t) => {
  const a = qemuArgs({ ...base, accel: 'kvm' });
  t.equal(valueAfter(a, '-cpu'), 'host');
  t.equal(valueAfter(a, '-accel'), 'kvm');
});

t.test('options', async (t) => {
  const a = qemuArgs({
    ...base,
    smp: 1,
    memoryBytes: 16 * 1024 ** 3,
    cmdlineExtra: 'ktest=pmm.*,heap crash=pf',
    display: true,
    qmpSocket: '/tmp/x/qmp.sock',
    gdb: true,
    serial: 'mon:stdio',
    extraArgs: ['-d', 'int'],
  });
  t.equal(valueAfter(a, '-m'), '16384M');
  t.equal(valueAfter(a, '-fw_cfg'), 'name=opt/oskit/cmdline,string=ktest=pmm.*,,heap crash=pf', 'commas doubled');
  t.notOk(a.includes('-display'), 'a window with --display');
  t.equal(valueAfter(a, '-qmp'), 'unix:/tmp/x/qmp.sock,server=on,wait=off');
  t.ok(a.includes('-s') && a.includes('-S'));
  t.equal(valueAfter(a, '-chardev'), 'stdio,id=serial0,mux=on,signal=off');
  t.equal(valueAfter(a, '-mon'), 'chardev=serial0,mode=readline');
  t.same(a.slice(-2), ['-d', 'int'], 'extra args last');
});

t.test('the per-run archive of --add files is the fw_cfg file opt/oskit/initrd', async (t) => {
  const a = qemuArgs({ ...base, cmdlineExtra: 'init=/bin/cat -- /x', initrdOverlay: 'build/add-1,2.cpio' });
  const fwCfg = a.flatMap((v, i) => (v === '-fw_cfg' ? [a[i + 1]] : []));
  t.same(fwCfg, ['name=opt/oskit/cmdline,string=init=/bin/cat -- /x', 'name=opt/oskit/initrd,file=build/add-1,,2.cpio'], 'both files; commas in the path doubled');
  t.notOk(qemuArgs(base).includes('-fw_cfg'));
});

t.test('machine: the machine field or a -M in extraArgs replaces q35', async (t) => {
  const count = (a: string[]) => a.filter((x) => x === '-M' || x === '-machine' || x === '--machine').length;
  const field = qemuArgs({ ...base, machine: 'pc,acpi=off' });
  t.equal(valueAfter(field, '-M'), 'pc,acpi=off', 'machine field');
  t.equal(count(field), 1, 'one -M');
  for (const flag of ['-M', '-machine', '--machine']) {
    const extra = qemuArgs({ ...base, extraArgs: ['-d', 'int', flag, 'pc,acpi=off', '-no-hpet'] });
    t.equal(valueAfter(extra, '-M'), 'pc,acpi=off', `${flag} in extraArgs replaces the default`);
    t.equal(count(extra), 1, `${flag}: the default -M q35 is gone, not merely followed`);
    t.same(extra.slice(-3), ['-d', 'int', '-no-hpet'], 'the other extra args stay, in order');
  }
  const props = qemuArgs({ ...base, extraArgs: ['-M', 'hpet=off'] });
  t.equal(valueAfter(props, '-M'), 'q35,hpet=off', 'properties only: appended to the default type');
  t.equal(count(props), 1);
  t.same(resolveMachine('pc', ['-M', 'type=q35,acpi=off']), { machine: 'type=q35,acpi=off', extraArgs: [] }, 'type= names a type');
  t.same(resolveMachine('pc', ['-M', 'acpi=off', '-M', 'hpet=off']), { machine: 'pc,acpi=off,hpet=off', extraArgs: [] }, 'several -M fold in order');
  t.same(resolveMachine(undefined, ['-M']), { machine: 'q35', extraArgs: ['-M'] }, 'a trailing -M without a value is left for QEMU to reject');
});

t.test('helpers', async (t) => {
  t.equal(escapeOptionValue('a,b,,c'), 'a,,b,,,,c');
  t.equal(memoryArg(32 * 1024 * 1024), '32M');
  t.equal(shellQuote(['qemu', '-fw_cfg', 'name=x,string=a b', "it's"]), "qemu -fw_cfg 'name=x,string=a b' 'it'\\''s'");
});

t.test("a stdio serial with QEMU's own log of it", async (t) => {
  t.same(serialArgs('stdio', 'build/logs/.x.log.qemu'), ['-chardev', 'stdio,id=serial0,signal=off,logfile=build/logs/.x.log.qemu,logappend=off', '-serial', 'chardev:serial0']);
  t.same(serialArgs('mon:stdio', '/tmp/a,b'), ['-chardev', 'stdio,id=serial0,mux=on,signal=off,logfile=/tmp/a,,b,logappend=off', '-serial', 'chardev:serial0', '-mon', 'chardev=serial0,mode=readline'], 'the monitor muxed in, as mon:stdio does; commas doubled');
  t.same(serialArgs('file:x.log', '/tmp/l'), ['-serial', 'file:x.log'], 'other backends as they are');
  t.same(serialArgs('stdio'), ['-chardev', 'stdio,id=serial0,signal=off', '-serial', 'chardev:serial0'], 'a ^C on the pty is for the guest, never a signal to QEMU');
});
