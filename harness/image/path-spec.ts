// 'HOST_PATH' or 'HOST_PATH:GUEST_PATH': how the configuration's `rootfs`
// entries and `--add` name a host file or directory and where it goes in the
// guest. Pure: the host path is checked when the image is made.
import path from 'node:path';
import { OskitError } from '../errors.js';

export interface PathSpec {
  /** The text as given. */
  text: string;
  /** The host path as given (relative paths are resolved by the caller). */
  host: string;
  /** Absolute, normalised guest path: '/etc/motd', or '/' for the root itself. */
  guest: string;
}

/** Linux's NAME_MAX and PATH_MAX (include/uapi/linux/limits.h). */
export const NAME_MAX = 255;
export const PATH_MAX = 4096;

/** Why `guest` cannot be a guest path, or undefined. */
function badGuestPath(guest: string): string | undefined {
  if (!guest.startsWith('/')) return 'GUEST_PATH must be absolute, such as /etc/motd';
  // Control characters would end up in the kernel's log lines and in shells.
  if (/[\x00-\x1f\x7f]/.test(guest)) return 'GUEST_PATH contains a control character';
  if (Buffer.byteLength(guest) >= PATH_MAX) return `GUEST_PATH is longer than ${PATH_MAX - 1} bytes`;
  const long = guest.split('/').find((c) => Buffer.byteLength(c) > NAME_MAX);
  if (long !== undefined) return `GUEST_PATH has a component longer than ${NAME_MAX} bytes`;
  return undefined;
}

/**
 * Parse one spec. The text is split at its first ':' (so a host path cannot
 * contain ':'). Without a guest path the file goes to '/' + its basename. A
 * guest path ending in '/' (other than '/' itself) names the directory to put
 * it in: 'notes.txt:/root/' is /root/notes.txt. A directory given as '/'
 * has its contents merged into the root. `where` starts every error message
 * ('config: rootfs', '--add').
 */
export function parsePathSpec(text: string, where: string): PathSpec {
  const fail = (why: string): never => {
    throw new OskitError(`${where} ${JSON.stringify(text)}: ${why}`, "write HOST_PATH or HOST_PATH:GUEST_PATH, such as notes.txt or notes.txt:/root/notes.txt");
  };
  const colon = text.indexOf(':');
  const host = colon < 0 ? text : text.slice(0, colon);
  if (host === '') fail('HOST_PATH is empty');
  if (host.includes('\0')) fail('HOST_PATH contains a NUL byte');
  const name = path.posix.basename(host);
  let guest: string;
  if (colon < 0) {
    if (name === '' || name === '.' || name === '..') fail(`${host} has no name to use in the guest; give a GUEST_PATH`);
    guest = `/${name}`;
  } else {
    guest = text.slice(colon + 1);
    if (guest === '') fail('GUEST_PATH is empty');
    if (guest.length > 1 && guest.endsWith('/')) {
      if (name === '' || name === '.' || name === '..') fail(`${host} has no name to put in ${guest}`);
      guest += name;
    }
  }
  const bad = badGuestPath(guest);
  if (bad) fail(bad);
  guest = path.posix.normalize(guest);
  if (guest.length > 1 && guest.endsWith('/')) guest = guest.slice(0, -1);
  return { text, host, guest };
}

/** The archive path of a guest path: '/etc/motd' -> 'etc/motd', '/' -> ''. */
export function archivePath(guest: string): string {
  return guest.replace(/^\/+/, '');
}
