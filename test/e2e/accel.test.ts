// The accelerator notice names QEMU's own reason, on any host: a stand-in
// qemu-system-x86_64 first on PATH fails `-cpu host` under KVM the way this
// machine's KVM does (`failed to set MSR 0x10a`, then an assertion aborts
// QEMU), and handles `-cpu host,-arch-capabilities` either by hanging (the
// guest never runs) or by running it (under TCG in disguise). Everything
// else goes to the real QEMU.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findExecutable } from '../../harness/doctor/tools.js';
import { tempDir } from '../unit/temp-dir.js';
import { qemuTest, runCli } from './helpers.js';

const realQemu = findExecutable('qemu-system-x86_64') ?? '/usr/bin/qemu-system-x86_64';

/** A directory holding the stand-in QEMU and a node standing in for /dev/kvm. */
function fakeQemu(fallback: 'hangs' | 'runs'): Record<string, string> {
  const dir = tempDir('oskit-fake-qemu-');
  const script = `#!/bin/bash
args=("$@"); kvm=0; cpu=
for ((i = 0; i < \${#args[@]}; i++)); do
  [[ \${args[i]} == -accel && \${args[i+1]} == kvm ]] && kvm=1
  [[ \${args[i]} == -cpu ]] && cpu=\${args[i+1]}
done
if ((kvm)); then
  if [[ $cpu == host ]]; then
    echo "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69" >&2
    echo "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion \\\`ret == cpu->kvm_msr_buf->nmsrs' failed." >&2
    kill -ABRT $$
  fi
  ${fallback === 'hangs' ? 'exec sleep 30' : ''}
  for ((i = 0; i < \${#args[@]}; i++)); do
    [[ \${args[i]} == kvm ]] && args[i]=tcg
    [[ \${args[i]} == host,-arch-capabilities ]] && args[i]=max
  done
fi
exec ${realQemu} "\${args[@]}"
`;
  writeFileSync(path.join(dir, 'qemu-system-x86_64'), script);
  chmodSync(path.join(dir, 'qemu-system-x86_64'), 0o755);
  writeFileSync(path.join(dir, 'kvm'), '');
  return { PATH: `${dir}:${process.env.PATH ?? ''}`, OSKIT_KVM_DEVICE: path.join(dir, 'kvm') };
}

qemuTest('-cpu host refused and the fallback model hangs: run and doctor name both reasons in QEMU\'s words', async (t) => {
  const env = fakeQemu('hangs');
  const reason = '-cpu host: failed to set MSR 0x10a to 0x69; -cpu host,-arch-capabilities: probe guest did not run within 4 s';
  const r = await runCli(t, ['run', '--accel', 'auto', '--cmdline', 'crash=pf'], env);
  t.equal(r.exitCode, 37, r.stderr);
  const notices = r.stderr.split('\n').filter((l) => /KVM/.test(l));
  t.same(notices, [`oskit: KVM unusable here (${reason}); using TCG`], 'one notice with both reasons');
  t.match(r.stderr, /^oskit: accel tcg,/m);
  const d = await runCli(t, ['doctor'], env);
  t.match(d.stdout, new RegExp(`^accelerator: tcg: KVM unusable here \\(${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`, 'm'), 'doctor says the same');
  const k = await runCli(t, ['test', '--accel', 'kvm'], env);
  t.equal(k.exitCode, 1);
  t.match(k.stderr, `oskit: --accel kvm: KVM does not run guests here (${reason})`, '--accel kvm refuses with the reasons');
});

qemuTest('-cpu host refused, -cpu host,-arch-capabilities runs: KVM is used with it, and the notice says why', async (t) => {
  const env = fakeQemu('runs');
  const r = await runCli(t, ['test', '--accel', 'auto', '--filter', 'lib', '--reporter', 'json'], env);
  t.equal(r.exitCode, 0, r.stderr);
  t.match(r.stderr, /^oskit: KVM with -cpu host,-arch-capabilities \(-cpu host: failed to set MSR 0x10a to 0x69\)$/m);
  t.match(r.stderr, /^oskit: accel kvm, /m);
  const json = JSON.parse(r.stdout) as { passed: boolean; accel: string; qemuCommand: string };
  t.equal(json.accel, 'kvm');
  t.match(json.qemuCommand, / -cpu host,-arch-capabilities -accel kvm /, 'the kernel boots with the model that ran');
});
