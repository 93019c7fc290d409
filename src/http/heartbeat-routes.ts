import type { Context } from 'koa';
import Router from '@koa/router';
import type { Clock } from '../clock.js';
import type { TrustProxy } from '../config.js';
import { heartbeatIntervalFor } from '../devices/esp32-config.js';
import { DEVICE_KEY_SHAPE } from '../locations/location-rules.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Monitor } from '../monitor/monitor.js';
import { clientAddress } from './client-address.js';
import type { FailureThrottle } from './failure-throttle.js';
import { parseHeartbeatPayload, type HeartbeatPayload } from './heartbeat-payload.js';
import { LogBudget } from './log-budget.js';
import { BodyAbortedError, BodyTimeoutError, BodyTooLargeError, readBodyText } from './read-body.js';

export const HEARTBEAT_BODY_LIMIT_BYTES = 4 * 1024;
/** A heartbeat body is a few hundred bytes: an authenticated device gets this long to send it. */
export const HEARTBEAT_BODY_DEADLINE_MS = 5_000;

/** A key that can never match: looked up when none was given, so every 401 costs the same. */
const NO_KEY = '-'.repeat(32);

export interface HeartbeatRouteDeps {
  monitor: Monitor;
  metrics: Metrics;
  throttle: FailureThrottle;
  clock: Clock;
  logger: Logger;
  /** Stops taking heartbeats during shutdown. */
  isAccepting: () => boolean;
  /** Which proxy header, if any, names the client (TRUST_PROXY). */
  trustProxy: TrustProxy;
  /** Tests shorten it; HEARTBEAT_BODY_DEADLINE_MS otherwise. */
  heartbeatBodyDeadlineMs?: number;
}

type Route = 'post' | 'get' | 'channel_ping';

/** The query parameter that may carry the key on each route (headers are read first on all). */
const QUERY_KEY: Record<Route, string> = { post: 'key', get: 'key', channel_ping: 'channel_key' };

type AuthenticatedPlace = { id: number };

/**
 * POST /api/heartbeat, GET /api/heartbeat?key=, GET /channelPing?channel_key= (DESIGN.md §4).
 * The key is checked from the headers or the query before any body is read: a request that fails
 * is answered 401 (or 429 once its address is over the failure budget) and its connection closed,
 * so an unauthenticated client costs one key lookup and cannot hold the server with a slow body.
 * A valid key is always accepted, whatever its address did. Every refusal happens before
 * anything is written.
 */
export function heartbeatRoutes(deps: HeartbeatRouteDeps): Router {
  const router = new Router();
  // Refusals are counted in /metrics one by one; the log gets a few lines a minute.
  const refusalLog = new LogBudget({ linesPerWindow: 10, windowMs: 60_000 });
  const bodyDeadlineMs = deps.heartbeatBodyDeadlineMs ?? HEARTBEAT_BODY_DEADLINE_MS;

  const handle = async (ctx: Context, route: Route): Promise<void> => {
    if (!deps.isAccepting()) {
      ctx.set('Retry-After', '5');
      closeAfterAnswer(ctx);
      reject(ctx, deps, 503, { error: 'shutting_down', message: 'The service is restarting; try again in a few seconds.' });
      return;
    }
    const address = clientAddress(deps.trustProxy, ctx.req.socket.remoteAddress, (name) => ctx.get(name));
    const key = keyFromHeaders(ctx) ?? singleQueryValue(ctx, QUERY_KEY[route]);
    const place = authenticate(ctx, key, address);
    if (!place) return;
    const payload = route === 'post' ? await readPayload(ctx, address) : {};
    if (payload) await accept(ctx, deps, place, key, payload, route, address);
  };

  /** Looks the key up; on failure answers 401 (or 429) identically whatever the reason and returns null. */
  const authenticate = (ctx: Context, key: string | undefined, address: string): AuthenticatedPlace | null => {
    const wellFormed = key !== undefined && DEVICE_KEY_SHAPE.test(key);
    const place = deps.monitor.authenticate(wellFormed ? key : NO_KEY);
    if (place) return place;

    const retryAfterS = deps.throttle.recordFailure(address, deps.clock.now());
    closeAfterAnswer(ctx);
    if (retryAfterS > 0) {
      ctx.set('Retry-After', String(retryAfterS));
      reject(ctx, deps, 429, { error: 'too_many_failures', message: 'Too many failed attempts from this address; try again later.' });
    } else {
      reject(ctx, deps, 401, { error: 'unauthorized', message: 'Unknown or missing device key.' });
    }
    // The log says why (never the key itself); the device is told nothing.
    const notLogged = refusalLog.take(deps.clock.now());
    if (notLogged !== null) {
      const reason = key === undefined ? 'no key' : wellFormed ? 'unknown key' : 'malformed key';
      deps.logger.info({ ip: address, path: ctx.path, reason, status: ctx.status, ...(notLogged > 0 ? { notLogged } : {}) }, 'heartbeat refused');
    }
    return null;
  };

  /** The JSON body of an authenticated POST, or null once the request has been answered. */
  const readPayload = async (ctx: Context, address: string): Promise<HeartbeatPayload | null> => {
    let text: string;
    try {
      text = await readBodyText(ctx.req, { limitBytes: HEARTBEAT_BODY_LIMIT_BYTES, deadlineMs: bodyDeadlineMs });
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        closeAfterAnswer(ctx);
        reject(ctx, deps, 413, { error: 'payload_too_large', message: `Heartbeat bodies are limited to ${HEARTBEAT_BODY_LIMIT_BYTES} bytes.` });
        return null;
      }
      if (error instanceof BodyTimeoutError) {
        closeAfterAnswer(ctx);
        reject(ctx, deps, 408, { error: 'request_timeout', message: `The body did not arrive within ${bodyDeadlineMs / 1000} s.` });
        return null;
      }
      if (error instanceof BodyAbortedError) {
        // The device lost its connection mid-upload (Wi-Fi, power): nothing to answer, not a
        // server error. 499 is nginx's "client closed request", for the metrics only.
        deps.metrics.heartbeatsRejected.inc({ status: '499' });
        deps.logger.debug({ ip: address, path: ctx.path }, 'heartbeat upload aborted by the client');
        ctx.status = 400;
        return null;
      }
      throw error;
    }
    const parsed = parseHeartbeatPayload(text);
    if (!parsed.ok) {
      reject(ctx, deps, 400, { error: 'bad_request', message: parsed.error });
      return null;
    }
    return parsed.payload;
  };

  router.post('/api/heartbeat', (ctx) => handle(ctx, 'post'));
  router.get('/api/heartbeat', (ctx) => handle(ctx, 'get'));
  router.get('/channelPing', (ctx) => handle(ctx, 'channel_ping'));
  return router;
}

/**
 * The body of a refused request is never read: closing the connection after the answer keeps a
 * client from holding it open with a body that trickles in (Node would otherwise read it out).
 */
function closeAfterAnswer(ctx: Context): void {
  ctx.set('Connection', 'close');
}

async function accept(
  ctx: Context,
  deps: HeartbeatRouteDeps,
  location: AuthenticatedPlace,
  key: string | undefined,
  payload: HeartbeatPayload,
  route: Route,
  address: string,
): Promise<void> {
  // The key goes along so that a key rotated between this check and the commit is refused.
  const stored = await deps.monitor.heartbeat(location.id, {
    key,
    uptimeMs: payload.uptime_ms,
    bootId: payload.boot_id,
    resetReason: payload.reset_reason,
    rssi: payload.rssi,
    fw: payload.fw,
    ip: address,
  });
  deps.metrics.heartbeatsReceived.inc({ route });
  ctx.status = 200;
  ctx.body = { ok: true, server_time: deps.clock.now(), interval_s: heartbeatIntervalFor(stored.timeoutS) };
}

function reject(ctx: Context, deps: HeartbeatRouteDeps, status: number, body: { error: string; message: string }): void {
  deps.metrics.heartbeatsRejected.inc({ status: String(status) });
  ctx.status = status;
  ctx.body = body;
}

function keyFromHeaders(ctx: Context): string | undefined {
  const authorization = ctx.get('Authorization');
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (bearer) return bearer[1];
  const apiKey = ctx.get('X-Api-Key').trim();
  return apiKey === '' ? undefined : apiKey;
}

function singleQueryValue(ctx: Context, name: string): string | undefined {
  const value = ctx.query[name];
  return typeof value === 'string' ? value : undefined;
}
