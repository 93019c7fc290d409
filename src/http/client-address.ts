import { isIP } from 'node:net';
import type { TrustProxy } from '../config.js';

/**
 * The client's address as the throttle counts it and the place's card shows it (DESIGN.md §4):
 * the connection's, unless TRUST_PROXY names a proxy whose header to believe. A header that is
 * missing or is not an address falls back to the connection, so a client that bypasses the proxy
 * is still counted under some real address.
 */
export function clientAddress(trust: TrustProxy, socketAddress: string | undefined, header: (name: string) => string): string {
  const connection = socketAddress ? normalizeAddress(socketAddress) : 'unknown';
  switch (trust.kind) {
    case 'none':
      return connection;
    case 'fly':
      // fly.io's proxy sets Fly-Client-IP itself, replacing whatever the client sent.
      return parseAddress(header('fly-client-ip')) ?? connection;
    case 'hops': {
      // Each trusted proxy appends the address it saw; the last `hops` entries are theirs to vouch
      // for, and the one they got the request from is the client. Entries further left are the
      // client's own words. (Node joins repeated X-Forwarded-For headers with ", ".)
      const entries = header('x-forwarded-for')
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '');
      const entry = entries[entries.length - trust.hops];
      return (entry === undefined ? undefined : parseAddress(entry)) ?? connection;
    }
  }
}

/** An IPv4 client of a dual-stack server shows as ::ffff:a.b.c.d: store and count it as a.b.c.d. */
export function normalizeAddress(address: string): string {
  return /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1] ?? address;
}

/** One address from a header: bare, or with a port (`a.b.c.d:port`, `[v6]:port`); null if it is none. */
function parseAddress(text: string): string | null {
  const value = text.trim();
  if (isIP(value)) return normalizeAddress(value);
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value)?.[1];
  if (bracketed !== undefined && isIP(bracketed) === 6) return normalizeAddress(bracketed);
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(value)?.[1];
  if (withPort !== undefined && isIP(withPort) === 4) return withPort;
  return null;
}
