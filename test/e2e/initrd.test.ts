// The root file system reaches the kernel: GRUB loads build/initrd.cpio as
// the Multiboot2 module whose command line is `initrd`, byte for byte.
import { statSync } from 'node:fs';
import { initrdPath } from '../../harness/image/initrd.js';
import { prepareSession, startConsole } from '../../harness/vm/session.js';
import { bootOptions, project, qemuTest } from './helpers.js';

qemuTest('GRUB loads build/initrd.cpio as the module named initrd', async (t) => {
  const session = await prepareSession(project, bootOptions);
  const { console: vm } = startConsole(session, { logName: 'e2e-initrd.log' });
  try {
    const m = await vm.expect(/boot: module ([0-9a-f]+)-([0-9a-f]+) "([^"]*)"/, session.config.bootTimeoutMs);
    t.equal(m[3], 'initrd', 'the module command line is initrd');
    const size = Number.parseInt(m[2]!, 16) - Number.parseInt(m[1]!, 16);
    t.equal(size, statSync(initrdPath(project)).size, 'its size is that of build/initrd.cpio');
    t.equal(Number.parseInt(m[1]!, 16) % 4096, 0, 'page-aligned');
    await vm.expect(/oskit ready/, session.config.bootTimeoutMs);
  } finally {
    await vm.kill();
  }
});
