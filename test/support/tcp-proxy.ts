/**
 * A TCP proxy in front of a server (PostgreSQL in the failover tests) that can imitate a network
 * partition. `freeze()` stops forwarding in both directions but keeps every socket OPEN: nothing
 * is reset, nothing is closed, the bytes just stop arriving — as when a cable or a route goes
 * away, which is the case a leader must notice by itself (a reset would tell it at once).
 * Connections opened while frozen are accepted and left hanging too. `thaw()` delivers what
 * waited and forwards again; `close()` ends everything.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** The port to connect to instead of the target's. */
  readonly port: number;
  /** Rewrites a postgres:// address so it goes through this proxy. */
  urlThrough(url: string): string;
  readonly frozen: boolean;
  /** Connections open now (each a client socket and its upstream socket). */
  readonly connections: number;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

/** One client and its upstream, forwarded while not frozen. */
class Pair {
  private upstream: Socket | null = null;
  /** A side that ended or closed while frozen: passed on to the other side at the thaw. */
  private endedWhileFrozen = new Set<Socket>();
  closed = false;

  constructor(
    readonly client: Socket,
    private readonly target: { host: string; port: number },
    private readonly isFrozen: () => boolean,
    private readonly onClosed: (pair: Pair) => void,
  ) {
    client.setNoDelay(true);
    client.on('error', () => this.failed(client));
    if (isFrozen()) client.pause();
    else this.connectUpstream();
  }

  private connectUpstream(): void {
    const upstream = connect(this.target.port, this.target.host);
    upstream.setNoDelay(true);
    this.upstream = upstream;
    upstream.on('error', () => this.failed(upstream));
    this.forward(this.client, upstream);
    this.forward(upstream, this.client);
  }

  /** Manual forwarding (no pipe), so a freeze can stop it without closing anything. */
  private forward(from: Socket, to: Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => {
          if (!this.isFrozen()) from.resume();
        });
      }
    });
    from.on('end', () => {
      if (this.isFrozen()) this.endedWhileFrozen.add(from);
      else to.end();
    });
    from.on('close', () => {
      if (this.isFrozen()) this.endedWhileFrozen.add(from);
      else this.destroy();
    });
  }

  /** A reset or a refused upstream: passed on at once, or at the thaw if the partition hides it. */
  private failed(side: Socket): void {
    if (this.isFrozen()) this.endedWhileFrozen.add(side);
    else this.destroy();
  }

  freeze(): void {
    this.client.pause();
    this.upstream?.pause();
  }

  thaw(): void {
    if (this.closed) return;
    if (!this.upstream) this.connectUpstream();
    if (this.endedWhileFrozen.size > 0) {
      // The partition hid a close (the server dropping a silent session): the other side learns it now.
      this.destroy();
      return;
    }
    this.client.resume();
    this.upstream?.resume();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
    this.upstream?.destroy();
    this.onClosed(this);
  }
}

/** Starts a proxy on 127.0.0.1 (a free port) forwarding to `target`. */
export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const to = { host: target.host ?? '127.0.0.1', port: target.port };
  const pairs = new Set<Pair>();
  let frozen = false;
  const server: Server = createServer((client) => {
    pairs.add(new Pair(client, to, () => frozen, (pair) => pairs.delete(pair)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    get frozen() {
      return frozen;
    },
    get connections() {
      return pairs.size;
    },
    urlThrough(url: string): string {
      const address = new URL(url);
      address.hostname = '127.0.0.1';
      address.port = String(port);
      return address.toString();
    },
    freeze() {
      frozen = true;
      for (const pair of pairs) pair.freeze();
    },
    thaw() {
      frozen = false;
      for (const pair of [...pairs]) pair.thaw();
    },
    async close() {
      frozen = false;
      for (const pair of [...pairs]) pair.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
