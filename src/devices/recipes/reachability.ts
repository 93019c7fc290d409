import { isIP } from 'node:net';

/**
 * Can a device elsewhere reach this URL? The service only knows the address it was given
 * (PUBLIC_URL, or a placeholder without it); a recipe with an address the device cannot reach
 * would fail quietly at the place, so the recipe says so.
 */
export type Reach =
  /** No usable host: the placeholder for a missing PUBLIC_URL, or not a URL at all. */
  | 'unknown'
  /** The device itself (localhost, 127.x, ::1, 0.0.0.0): never this server, seen from a device. */
  | 'loopback'
  /** A private network (10.x, 192.168.x, fd00::…, *.local…): only from inside that network. */
  | 'private'
  | 'public';

export function reachOf(url: string): Reach {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return 'unknown';
  }
  if (host === '' || /[<>]/.test(host)) return 'unknown';
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return 'loopback';
  const family = isIP(bare);
  if (family === 4) return ipv4Reach(bare);
  if (family === 6) return ipv6Reach(bare);
  if (!bare.includes('.') || /\.(local|lan|home|internal|intranet|home\.arpa|localdomain)$/.test(bare)) return 'private';
  return 'public';
}

function ipv4Reach(address: string): Reach {
  const [a = 0, b = 0] = address.split('.').map(Number);
  if (a === 127 || a === 0) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127)) {
    return 'private';
  }
  return 'public';
}

function ipv6Reach(address: string): Reach {
  if (address === '::1' || address === '::') return 'loopback';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) return ipv4Reach(mapped[1]);
  if (/^f[cd]/.test(address) || /^fe[89ab]/.test(address)) return 'private';
  return 'public';
}

/** Plain HTTP to a public address: the key crosses the internet readable by anyone on the way. */
export function isPlainHttp(url: string): boolean {
  return /^http:\/\//i.test(url);
}
