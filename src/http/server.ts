import { createServer, type RequestListener, type Server } from 'node:http';

export interface HttpServerTimeouts {
  /** Time to receive a request's headers. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included (heartbeats and Telegram's webhook posts are small). */
  requestTimeoutMs: number;
  /** How often Node checks the two above (its default, 30 s, would let a slow client overstay). */
  checkEveryMs: number;
}

/**
 * Seconds, not Node's defaults (60 s for headers, 300 s for a request): every request this server
 * takes is small. A keep-alive connection may still sit idle between requests for 65 s (longer
 * than fly.io's and most proxies' idle timeouts, so the proxy closes first and never reuses a
 * connection we are closing).
 */
export const HTTP_SERVER_TIMEOUTS: HttpServerTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, checkEveryMs: 1_000 };
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createHttpServer(listener: RequestListener, timeouts: HttpServerTimeouts = HTTP_SERVER_TIMEOUTS): Server {
  const server = createServer(
    { headersTimeout: timeouts.headersTimeoutMs, requestTimeout: timeouts.requestTimeoutMs, connectionsCheckingInterval: timeouts.checkEveryMs },
    listener,
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return server;
}
