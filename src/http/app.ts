import type { IncomingMessage, RequestListener } from 'node:http';
import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { heartbeatEndpoint, type HeartbeatRouteDeps } from './heartbeat-endpoint.js';
import { flasherRoutes } from './flasher.js';

export interface HealthReport {
  ok: boolean;
  db: 'ok' | 'error';
  bot: 'ok' | 'disabled' | 'starting' | 'error';
  storage: 'sqlite' | 'postgres';
  /** On PostgreSQL, of several instances one leads (sweep, outbox, bot) and the others stand by; on SQLite always 'leader'. */
  role: 'leader' | 'standby';
}

export interface HttpAppDeps extends HeartbeatRouteDeps {
  logger: Logger;
  metrics: Metrics;
  health: () => HealthReport;
  startedAt: number;
  /** Extra routes mounted by other parts (the bot's webhook). */
  extraRoutes?: Router[];
  /** The browser flasher's firmware folder (FIRMWARE_DIR); without one the page offers no image. */
  firmwareDir?: string;
}

/** The HTTP side: heartbeats on their own fast path, everything else (health, metrics, webhook) through Koa. */
export interface HttpApp {
  callback(): RequestListener;
}

export function createHttpApp(deps: HttpAppDeps): HttpApp {
  const heartbeats = heartbeatEndpoint(deps);
  const general = createGeneralApp(deps).callback();
  return {
    callback: () => (request, response) => {
      if (!heartbeats(request, response)) void general(request, response);
    },
  };
}

/** Health, metrics, the bot's webhook and every answer for an unknown route, on Koa. */
function createGeneralApp(deps: HttpAppDeps): Koa {
  // Koa's `proxy` stays off: the client address is read as TRUST_PROXY says (client-address.ts),
  // never from the left-most X-Forwarded-For that any client can write.
  const app = new Koa();
  app.silent = true;

  // One error handler: no input may crash the server or leak a stack trace.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (clientWentAway(ctx.req)) {
        // The client closed the connection mid-request (a board losing Wi-Fi): nobody to answer,
        // and not a server error.
        deps.logger.debug({ path: ctx.path }, 'request aborted by the client');
        ctx.status = 400;
        return;
      }
      const status = httpStatusOf(error);
      if (status >= 500) deps.logger.error({ err: error, path: ctx.path }, 'request failed');
      ctx.status = status;
      ctx.body = { error: status >= 500 ? 'internal_error' : 'bad_request', message: status >= 500 ? 'Something went wrong on the server.' : 'The request could not be read.' };
    }
  });

  const router = new Router();
  router.get('/health', (ctx) => {
    const report = deps.health();
    ctx.status = report.ok ? 200 : 503;
    ctx.body = {
      status: !report.ok ? 'unavailable' : report.bot === 'error' ? 'degraded' : 'ok',
      db: report.db,
      bot: report.bot,
      storage: report.storage,
      role: report.role,
      uptime: Math.round((deps.clock.now() - deps.startedAt) / 1000),
    };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });

  for (const routes of [router, flasherRoutes(deps), ...(deps.extraRoutes ?? [])]) {
    app.use(routes.routes());
    app.use(routes.allowedMethods());
  }
  app.use((ctx) => {
    if (ctx.status !== 404 || ctx.body !== undefined) return;
    ctx.body = { error: 'not_found', message: `No route ${ctx.method} ${ctx.path}.` };
    ctx.status = 404;
  });
  return app;
}

function clientWentAway(request: IncomingMessage): boolean {
  return !request.complete && (request.destroyed || request.socket.destroyed);
}

function httpStatusOf(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const status = Number((error as { status: unknown }).status);
    if (Number.isInteger(status) && status >= 400 && status < 600) return status;
  }
  return 500;
}
