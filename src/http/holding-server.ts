import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import { createHttpServer } from './server.js';

/** What a device is told to wait before it tries again (as heartbeats get while storage fails). */
const RETRY_AFTER_S = 5;

/**
 * Answers on the service's port while the database cannot even be opened yet (a full disk, an I/O
 * error, a lock at start): every request gets 503 with Retry-After, and /health says db: error —
 * not "connection refused", which a device, a load balancer or a person reads as "the service is
 * gone". Nothing is read or written; the real server takes the port once the database opens.
 */
export class HoldingServer {
  private constructor(private readonly server: Server) {}

  /** Listens on `port` (0: any), or returns null when the port cannot be had (it is logged). */
  static async listen(port: number, startedAt: number, logger: Logger): Promise<HoldingServer | null> {
    const server = createHttpServer((request, response) => {
      request.resume();
      const health = (request.url ?? '').split('?')[0] === '/health';
      const body = health
        ? { status: 'unavailable', db: 'error', bot: 'disabled', uptime: Math.round((Date.now() - startedAt) / 1000) }
        : { error: 'The service cannot use its database yet (see its log); try again in a few seconds.' };
      response.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(RETRY_AFTER_S), connection: 'close' });
      response.end(JSON.stringify(body));
    });
    return new Promise((resolve) => {
      server.once('error', (error) => {
        logger.warn({ err: error, port }, 'could not answer on the port while waiting for the database');
        resolve(null);
      });
      server.listen(port, () => resolve(new HoldingServer(server)));
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Frees the port for the real server. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}
