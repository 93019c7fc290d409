import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Counter } from 'prom-client';
import type { Clock } from '../clock.js';
import type { TrustProxy } from '../config.js';
import { StorageUnavailableError } from '../db/storage-faults.js';
import { heartbeatIntervalFor } from '../devices/esp32-config.js';
import { DEVICE_KEY_SHAPE } from '../places/place-rules.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { HeartbeatRefusedError, type Monitor } from '../monitor/monitor.js';
import { clientAddress } from './client-address.js';
import type { FailureThrottle } from './failure-throttle.js';
import { eventParameters, parseEventPayload } from './event-payload.js';
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

type Route = 'post' | 'get' | 'channel_ping' | 'event_post' | 'event_get';

/** The query parameter that may carry the key on each route (headers are read first on all). */
const QUERY_KEY: Record<Route, string> = { post: 'key', get: 'key', channel_ping: 'channel_key', event_post: 'key', event_get: 'key' };

/** The place and device a key belongs to. */
type AuthenticatedDevice = { id: number; deviceId: number };

interface Answer {
  error: string;
  message: string;
}

/**
 * Takes a request if it is for a heartbeat route, returning true; anything else is left to the
 * general (Koa) stack. Heartbeats are most of the traffic, so they are served here on the plain
 * Node request: the general stack's context, router and middleware cost as much as the heartbeat
 * itself (profile of bench:ingest).
 */
export type HeartbeatEndpoint = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * POST /api/heartbeat, GET /api/heartbeat?key=, GET /channelPing?channel_key= (DESIGN.md §4), and
 * the one-shot mains event GET/POST /api/event (PROTOCOL.md: the same keys, answers and limits).
 * The key is checked from the headers or the query before any body is read: a request that fails
 * is answered 401 (or 429 once its address is over the failure budget) and its connection closed,
 * so an unauthenticated client costs one key lookup and cannot hold the server with a slow body.
 * A valid key is always accepted, whatever its address did. Every refusal happens before
 * anything is written; a device is answered 200 only once its heartbeat is stored.
 */
export function heartbeatEndpoint(deps: HeartbeatRouteDeps): HeartbeatEndpoint {
  const requests = new HeartbeatRequests(deps);
  return (request, response) => requests.take(request, response);
}

/** The parts of one heartbeat request, in order: route, authenticate, read, store, answer. */
class HeartbeatRequests {
  // Refusals are counted in /metrics one by one; the log gets a few lines a minute.
  private readonly refusalLog = new LogBudget({ linesPerWindow: 10, windowMs: 60_000 });
  private readonly bodyDeadlineMs: number;
  /** The accepted-heartbeat counter of each route, labelled once rather than per request. */
  private readonly received: Record<Route, Counter.Internal>;

  constructor(private readonly deps: HeartbeatRouteDeps) {
    this.bodyDeadlineMs = deps.heartbeatBodyDeadlineMs ?? HEARTBEAT_BODY_DEADLINE_MS;
    this.received = {
      post: deps.metrics.heartbeatsReceived.labels('post'),
      get: deps.metrics.heartbeatsReceived.labels('get'),
      channel_ping: deps.metrics.heartbeatsReceived.labels('channel_ping'),
      event_post: deps.metrics.heartbeatsReceived.labels('event_post'),
      event_get: deps.metrics.heartbeatsReceived.labels('event_get'),
    };
  }

  /** Routes the request: true when it is a heartbeat route's (answered here), false to leave it to Koa. */
  take(request: IncomingMessage, response: ServerResponse): boolean {
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const route = routeOf(queryAt === -1 ? url : url.slice(0, queryAt), request.method);
    if (route === null) return false;
    if (route === 'wrong-method') {
      const event = pathOf(request).startsWith('/api/event');
      sendJson(response, 405, { error: 'method_not_allowed', message: event ? 'Use GET or POST for events.' : 'Use POST or GET for heartbeats.' }, { allow: event ? 'GET, POST' : 'GET, HEAD, POST' });
      return true;
    }
    this.handle(request, response, route, queryAt === -1 ? '' : url.slice(queryAt + 1)).catch((error: unknown) => this.fail(request, response, error));
    return true;
  }

  private async handle(request: IncomingMessage, response: ServerResponse, route: Route, query: string): Promise<void> {
    const { deps } = this;
    if (!deps.isAccepting()) {
      this.reject(response, 503, { error: 'shutting_down', message: 'The service is restarting; try again in a few seconds.' }, { 'retry-after': '5', connection: 'close' });
      return;
    }
    const address = clientAddress(deps.trustProxy, request.socket.remoteAddress, (name) => headerText(request, name));
    const key = keyFromHeaders(request) ?? singleQueryValue(query, QUERY_KEY[route]);
    const place = this.authenticate(request, response, key, address);
    if (!place) return;
    if (route === 'event_post' || route === 'event_get') {
      await this.handleEvent(request, response, route, query, key, place, address);
      return;
    }
    const payload = route === 'post' ? await this.readPayload(request, response, address) : {};
    if (!payload) return;
    // The key goes along so that a key rotated between this check and the commit is refused.
    const stored = await deps.monitor.heartbeat(place.id, {
      key,
      uptimeMs: payload.uptime_ms,
      bootId: payload.boot_id,
      resetReason: payload.reset_reason,
      rssi: payload.rssi,
      fw: payload.fw,
      ip: address,
      deviceId: place.deviceId,
      mains: payload.mains,
      mainsChangedMsAgo: payload.mains_changed_ms_ago,
      link: payload.link,
    });
    this.received[route].inc();
    sendJson(response, 200, { ok: true, server_time: deps.clock.now(), interval_s: heartbeatIntervalFor(stored.timeoutS) });
  }

  /** A mains event of an authenticated device: its parameters (query, JSON or form body), then the monitor. */
  private async handleEvent(
    request: IncomingMessage,
    response: ServerResponse,
    route: 'event_post' | 'event_get',
    query: string,
    key: string | undefined,
    place: AuthenticatedDevice,
    address: string,
  ): Promise<void> {
    const body = route === 'event_post' ? await this.readBody(request, response, address) : '';
    if (body === null) return;
    const gathered = eventParameters(query, body, headerText(request, 'content-type'));
    const parsed = gathered.ok ? parseEventPayload(gathered.params) : gathered;
    if (!parsed.ok) {
      this.reject(response, 400, { error: 'bad_request', message: parsed.error });
      return;
    }
    const { mains, at, msAgo, id } = parsed.payload;
    const result = this.deps.monitor.event(place.id, { key, deviceId: place.deviceId, mains, at, msAgo, id, ip: address });
    this.received[route].inc();
    sendJson(response, 200, { ok: true, applied: result.applied });
  }

  /** Looks the key up; on failure answers 401 (or 429) identically whatever the reason and returns null. */
  private authenticate(request: IncomingMessage, response: ServerResponse, key: string | undefined, address: string): AuthenticatedDevice | null {
    const wellFormed = key !== undefined && DEVICE_KEY_SHAPE.test(key);
    const place = this.deps.monitor.authenticate(wellFormed ? key : NO_KEY);
    if (place) return place;
    this.refuse(request, response, key === undefined ? 'no key' : wellFormed ? 'unknown key' : 'malformed key', address);
    return null;
  }

  /** Answers a request whose key did not authenticate: 401, or 429 once its address is over the failure budget. */
  private refuse(request: IncomingMessage, response: ServerResponse, reason: string, address: string): void {
    const { deps } = this;
    // The body of a refused request is never read: closing the connection after the answer keeps
    // a client from holding it open with a body that trickles in.
    const retryAfterS = deps.throttle.recordFailure(address, deps.clock.now());
    if (retryAfterS > 0) {
      this.reject(response, 429, { error: 'too_many_failures', message: 'Too many failed attempts from this address; try again later.' }, { 'retry-after': String(retryAfterS), connection: 'close' });
    } else {
      this.reject(response, 401, UNAUTHORIZED, { connection: 'close' });
    }
    // The log says why (never the key itself); the device is told nothing.
    const notLogged = this.refusalLog.take(deps.clock.now());
    if (notLogged !== null) {
      deps.logger.info({ ip: address, path: pathOf(request), reason, status: response.statusCode, ...(notLogged > 0 ? { notLogged } : {}) }, 'heartbeat refused');
    }
  }

  /** The JSON body of an authenticated POST, or null once the request has been answered. */
  private async readPayload(request: IncomingMessage, response: ServerResponse, address: string): Promise<HeartbeatPayload | null> {
    const text = await this.readBody(request, response, address);
    if (text === null) return null;
    const parsed = parseHeartbeatPayload(text);
    if (!parsed.ok) {
      this.reject(response, 400, { error: 'bad_request', message: parsed.error });
      return null;
    }
    return parsed.payload;
  }

  /** The body text of an authenticated POST (within the size and time limits), or null once the request has been answered. */
  private async readBody(request: IncomingMessage, response: ServerResponse, address: string): Promise<string | null> {
    const { bodyDeadlineMs } = this;
    let text: string;
    try {
      text = await readBodyText(request, { limitBytes: HEARTBEAT_BODY_LIMIT_BYTES, deadlineMs: bodyDeadlineMs });
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        this.reject(response, 413, { error: 'payload_too_large', message: `Heartbeat bodies are limited to ${HEARTBEAT_BODY_LIMIT_BYTES} bytes.` }, { connection: 'close' });
        return null;
      }
      if (error instanceof BodyTimeoutError) {
        this.reject(response, 408, { error: 'request_timeout', message: `The body did not arrive within ${bodyDeadlineMs / 1000} s.` }, { connection: 'close' });
        return null;
      }
      if (error instanceof BodyAbortedError) {
        // The device lost its connection mid-upload (Wi-Fi, power): nothing to answer, not a
        // server error. 499 is nginx's "client closed request", for the metrics only.
        this.deps.metrics.heartbeatsRejected.inc({ status: '499' });
        this.deps.logger.debug({ ip: address, path: pathOf(request) }, 'heartbeat upload aborted by the client');
        response.destroy();
        return null;
      }
      throw error;
    }
    return text;
  }

  /** What nothing above answered: the storage, a key revoked meanwhile, or a bug. */
  private fail(request: IncomingMessage, response: ServerResponse, error: unknown): void {
    if (response.headersSent) return;
    if (error instanceof StorageUnavailableError) {
      // Logged once per outage by the monitor, not once per refused request.
      this.reject(response, 503, { error: 'storage_unavailable', message: 'The service cannot store heartbeats right now; try again shortly.' }, { 'retry-after': String(error.retryAfterS) });
      return;
    }
    if (error instanceof HeartbeatRefusedError) {
      // Its key stopped working between the check and the storing: the same 401 as any unknown key.
      this.reject(response, 401, UNAUTHORIZED);
      return;
    }
    if (!request.complete && (request.destroyed || request.socket.destroyed)) {
      this.deps.logger.debug({ path: pathOf(request) }, 'request aborted by the client');
      return;
    }
    this.deps.logger.error({ err: error, path: pathOf(request) }, 'heartbeat failed');
    sendJson(response, 500, { error: 'internal_error', message: 'Something went wrong on the server.' });
  }

  private reject(response: ServerResponse, status: number, body: Answer, headers: Record<string, string> = {}): void {
    this.deps.metrics.heartbeatsRejected.inc({ status: String(status) });
    sendJson(response, status, body, headers);
  }
}

const UNAUTHORIZED: Answer = { error: 'unauthorized', message: 'Unknown or missing device key.' };

/** Which heartbeat route a path and method are (a trailing slash is forgiven), or null for none. */
function routeOf(path: string, method: string | undefined): Route | 'wrong-method' | null {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (trimmed === '/api/heartbeat') {
    if (method === 'POST') return 'post';
    if (method === 'GET' || method === 'HEAD') return 'get';
    return 'wrong-method';
  }
  if (trimmed === '/api/event') {
    // Not HEAD: a request that changes the state is a GET or a POST (a link checker's HEAD must not).
    if (method === 'POST') return 'event_post';
    if (method === 'GET') return 'event_get';
    return 'wrong-method';
  }
  if (trimmed === '/channelPing') {
    if (method === 'GET' || method === 'HEAD') return 'channel_ping';
    return 'wrong-method';
  }
  return null;
}

function sendJson(response: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  return queryAt === -1 ? url : url.slice(0, queryAt);
}

function headerText(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

function keyFromHeaders(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (bearer) return bearer[1];
  }
  const apiKey = headerText(request, 'x-api-key').trim();
  return apiKey === '' ? undefined : apiKey;
}

/** The parameter's value when it is given exactly once (a repeated one is no key). */
function singleQueryValue(query: string, name: string): string | undefined {
  if (query === '') return undefined;
  const values = new URLSearchParams(query).getAll(name);
  return values.length === 1 ? values[0] : undefined;
}
