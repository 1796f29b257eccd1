// `oskit syscalls`: the table as a person reads it in a terminal.
import { SYSCALLS } from './table.js';

export function formatSyscallList(all: boolean): string {
  const rows = SYSCALLS.filter((s) => all || s.impl);
  const lines = rows.map((s) => {
    const sig = `${s.name}(${s.args.map((a) => `${a.type} ${a.name}`).join(', ')})`;
    return `${String(s.nr).padStart(3)}  ${s.impl ? 'yes   ' : 'ENOSYS'}  ${sig}`;
  });
  const implemented = SYSCALLS.filter((s) => s.impl).length;
  lines.push(`${implemented} of ${SYSCALLS.length} implemented${all ? '' : ' (--all lists the others)'}`);
  return `${lines.join('\n')}\n`;
}
