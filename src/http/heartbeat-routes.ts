import type { Context } from 'koa';
import Router from '@koa/router';
import type { Clock } from '../clock.js';
import { heartbeatIntervalFor } from '../devices/esp32-config.js';
import { DEVICE_KEY_SHAPE } from '../locations/location-rules.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Monitor } from '../monitor/monitor.js';
import type { FailureThrottle } from './failure-throttle.js';
import { parseHeartbeatPayload, type HeartbeatPayload } from './heartbeat-payload.js';
import { BodyTooLargeError, readBodyText } from './read-body.js';

export const HEARTBEAT_BODY_LIMIT_BYTES = 4 * 1024;

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
}

type Route = 'post' | 'get' | 'channel_ping';

/**
 * POST /api/heartbeat, GET /api/heartbeat?key=, GET /channelPing?channel_key= (DESIGN.md §4).
 * Every refusal happens before anything is written.
 */
export function heartbeatRoutes(deps: HeartbeatRouteDeps): Router {
  const router = new Router();

  router.post('/api/heartbeat', async (ctx) => {
    if (refuseWhenClosingOrThrottled(ctx, deps, 'post')) return;
    let bodyText: string;
    try {
      bodyText = await readBodyText(ctx.req, HEARTBEAT_BODY_LIMIT_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        ctx.set('Connection', 'close');
        return reject(ctx, deps, 413, { error: 'payload_too_large', message: `Heartbeat bodies are limited to ${HEARTBEAT_BODY_LIMIT_BYTES} bytes.` });
      }
      throw error;
    }
    const key = keyFromHeaders(ctx);
    const location = authenticate(ctx, deps, key);
    if (!location) return;
    const parsed = parseHeartbeatPayload(bodyText);
    if (!parsed.ok) return reject(ctx, deps, 400, { error: 'bad_request', message: parsed.error });
    await accept(ctx, deps, location, key, parsed.payload, 'post');
  });

  router.get('/api/heartbeat', async (ctx) => {
    if (refuseWhenClosingOrThrottled(ctx, deps, 'get')) return;
    const key = singleQueryValue(ctx, 'key');
    const location = authenticate(ctx, deps, key);
    if (location) await accept(ctx, deps, location, key, {}, 'get');
  });

  router.get('/channelPing', async (ctx) => {
    if (refuseWhenClosingOrThrottled(ctx, deps, 'channel_ping')) return;
    const key = singleQueryValue(ctx, 'channel_key');
    const location = authenticate(ctx, deps, key);
    if (location) await accept(ctx, deps, location, key, {}, 'channel_ping');
  });

  return router;
}

function refuseWhenClosingOrThrottled(ctx: Context, deps: HeartbeatRouteDeps, route: Route): boolean {
  if (!deps.isAccepting()) {
    ctx.set('Retry-After', '5');
    reject(ctx, deps, 503, { error: 'shutting_down', message: 'The service is restarting; try again in a few seconds.' });
    return true;
  }
  const retryAfterS = deps.throttle.retryAfterS(ctx.ip, deps.clock.now());
  if (retryAfterS > 0) {
    ctx.set('Retry-After', String(retryAfterS));
    reject(ctx, deps, 429, { error: 'too_many_failures', message: 'Too many failed attempts from this address; try again later.' });
    deps.logger.debug({ ip: ctx.ip, route }, 'heartbeat throttled');
    return true;
  }
  return false;
}

/** Looks the key up; on failure answers 401 identically whatever the reason and returns null. */
type AuthenticatedPlace = { id: number; timeout_s: number };

function authenticate(ctx: Context, deps: HeartbeatRouteDeps, key: string | undefined): AuthenticatedPlace | null {
  const wellFormed = key !== undefined && DEVICE_KEY_SHAPE.test(key);
  const location = deps.monitor.authenticate(wellFormed ? key : NO_KEY);
  if (location) return location;
  deps.throttle.recordFailure(ctx.ip, deps.clock.now());
  // The log says why (never the key itself); the device is told nothing.
  const reason = key === undefined ? 'no key' : wellFormed ? 'unknown key' : 'malformed key';
  deps.logger.info({ ip: ctx.ip, path: ctx.path, reason }, 'heartbeat refused');
  reject(ctx, deps, 401, { error: 'unauthorized', message: 'Unknown or missing device key.' });
  return null;
}

async function accept(ctx: Context, deps: HeartbeatRouteDeps, location: AuthenticatedPlace, key: string | undefined, payload: HeartbeatPayload, route: Route): Promise<void> {
  await deps.monitor.heartbeat(location.id, {
    key,
    uptimeMs: payload.uptime_ms,
    bootId: payload.boot_id,
    resetReason: payload.reset_reason,
    rssi: payload.rssi,
    fw: payload.fw,
    ip: ctx.ip,
  });
  deps.metrics.heartbeatsReceived.inc({ route });
  ctx.status = 200;
  ctx.body = { ok: true, server_time: deps.clock.now(), interval_s: heartbeatIntervalFor(location.timeout_s) };
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
