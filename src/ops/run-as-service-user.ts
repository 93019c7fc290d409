import { chownSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ServiceUser {
  uid: number;
  gid: number;
}

/**
 * The container starts as root only to make its data folder the service user's, then gives root
 * up for good before any other code runs. A fresh fly.io volume (or a Docker bind mount) is owned
 * by root, and a service running as `node` could not create its database there; asking people to
 * `fly ssh … chown` does not work on a machine that never starts. Anything already owned by the
 * service user is left alone; files a root shell created (a `docker exec` backup) are handed over.
 *
 * Returns what it changed, for the log. Outside a container (not root) it does nothing.
 */
export function runAsServiceUser(dataFolder: string, user: ServiceUser): { handedOver: number } {
  if (process.getuid?.() !== 0) return { handedOver: 0 };
  mkdirSync(dataFolder, { recursive: true });
  const handedOver = handOver(dataFolder, user);
  // Group first: once the uid is dropped, the gid can no longer be changed.
  process.setgroups?.([user.gid]);
  process.setgid?.(user.gid);
  process.setuid?.(user.uid);
  return { handedOver };
}

function handOver(path: string, user: ServiceUser): number {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return 0;
  let changed = 0;
  if (stat.uid !== user.uid || stat.gid !== user.gid) {
    chownSync(path, user.uid, user.gid);
    changed += 1;
  }
  if (stat.isDirectory()) for (const entry of readdirSync(path)) changed += handOver(join(path, entry), user);
  return changed;
}
