import { createHash } from 'node:crypto';
import Router from '@koa/router';
import { GrammyError, webhookCallback, type Bot } from 'grammy';
import type { Logger } from '../logger.js';
import type { BotContext } from './context.js';

export type BotStatus = 'starting' | 'ok' | 'error';

/** Telegram refused the token: nothing will work until it is fixed, so the start stops here. */
export class BotTokenRejectedError extends Error {
  constructor(description: string) {
    super(
      `Telegram rejected BOT_TOKEN (${description}). Check the token: in Telegram open @BotFather, ` +
        'send /mybots, pick the bot, "API Token", and put the token in BOT_TOKEN.',
    );
    this.name = 'BotTokenRejectedError';
  }
}

const RETRY_START_MS = 10_000;
/** How long the start waits for Telegram before going on without it (and retrying). */
const INIT_TIMEOUT_MS = 10_000;

/**
 * Runs the bot by long polling, or by webhook on the Koa server when PUBLIC_URL is set. The webhook
 * path carries a secret derived from the token, and Telegram's secret-token header is checked.
 * If Telegram cannot be reached at start, it keeps trying in the background (heartbeats and the
 * sweep do not depend on it) and /health says so.
 */
export class BotRunner {
  status: BotStatus = 'starting';
  private readonly webhookPath: string;
  private readonly secretToken: string;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private lastStartFailure: unknown = undefined;

  constructor(
    private readonly bot: Bot<BotContext>,
    private readonly options: {
      token: string;
      publicUrl: string | undefined;
      logger: Logger;
      onReady?: () => Promise<void>;
      /** How long the start waits for Telegram (INIT_TIMEOUT_MS; tests shorten it). */
      initTimeoutMs?: number;
    },
  ) {
    // grammY's init retries getMe until our deadline and then reports only "Aborted delay": keep
    // the last real failure so the log can name it (refused, timed out, name not resolved).
    bot.api.config.use(async (prev, method, payload, signal) => {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        if (method === 'getMe') this.lastStartFailure = error;
        throw error;
      }
    });
    this.webhookPath = `/telegram/${derivedSecret(options.token, 'webhook-path').slice(0, 32)}`;
    this.secretToken = derivedSecret(options.token, 'secret-token').slice(0, 64);
  }

  get mode(): 'webhook' | 'polling' {
    return this.options.publicUrl ? 'webhook' : 'polling';
  }

  /** The webhook route for the Koa server (only in webhook mode). */
  webhookRoutes(): Router | null {
    if (this.mode !== 'webhook') return null;
    const router = new Router();
    const handle = webhookCallback(this.bot, 'http', { secretToken: this.secretToken, onTimeout: 'return', timeoutMilliseconds: 9_000 });
    router.post(this.webhookPath, async (ctx) => {
      // grammY writes the raw response itself; Koa's default status (404) must not leak into it.
      ctx.status = 200;
      ctx.respond = false;
      await handle(ctx.req, ctx.res);
    });
    return router;
  }

  /** Resolves once the bot is known to Telegram, or throws BotTokenRejectedError. */
  async start(): Promise<void> {
    const initTimeoutMs = this.options.initTimeoutMs ?? INIT_TIMEOUT_MS;
    this.lastStartFailure = undefined;
    try {
      // A closed network can hang a connect for minutes: do not hold the service's start for it.
      await this.bot.init(AbortSignal.timeout(initTimeoutMs) as Parameters<Bot<BotContext>['init']>[0]);
    } catch (error) {
      if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
        this.status = 'error';
        throw new BotTokenRejectedError(`${error.error_code} ${error.description}`);
      }
      this.status = 'error';
      // Not the error object itself: a network error's message can carry the request URL, and
      // with it the token.
      const cause = describeNetworkFailure(this.lastStartFailure ?? error, initTimeoutMs);
      this.options.logger.error({ cause }, `Telegram is not reachable (${cause}); trying again every ${RETRY_START_MS / 1000} s`);
      this.retryTimer = setTimeout(() => void this.start().catch((e: unknown) => this.options.logger.fatal({ err: e }, 'bot start failed')), RETRY_START_MS);
      this.retryTimer.unref();
      return;
    }
    await this.options.onReady?.();
    if (this.mode === 'webhook') {
      const url = `${this.options.publicUrl}${this.webhookPath}`;
      await this.bot.api.setWebhook(url, { secret_token: this.secretToken, allowed_updates: ['message', 'callback_query', 'my_chat_member', 'channel_post'] });
      this.status = 'ok';
      this.options.logger.info({ bot: this.bot.botInfo.username, mode: 'webhook' }, 'bot is listening');
      return;
    }
    this.status = 'ok';
    this.bot
      .start({
        allowed_updates: ['message', 'callback_query', 'my_chat_member', 'channel_post'],
        onStart: (info) => this.options.logger.info({ bot: info.username, mode: 'polling' }, 'bot is listening'),
      })
      .catch((error: unknown) => {
        if (this.stopped) return;
        this.status = 'error';
        this.options.logger.error({ err: error }, 'bot polling stopped');
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.bot.isRunning()) await this.bot.stop();
  }
}

/**
 * Names what went wrong with a request to Telegram, e.g. "connect ECONNREFUSED 127.0.0.1:443
 * (ECONNREFUSED)": walks grammY's HttpError (`.error`) and `.cause` chains down to the system
 * error. Any bot token in a message (node-fetch puts the URL in it) is cut out.
 */
export function describeNetworkFailure(error: unknown, timeoutMs: number): string {
  let code: string | undefined;
  let message: string | undefined;
  let timedOut = false;
  const seen = new Set<unknown>();
  for (let current: unknown = error; typeof current === 'object' && current !== null && !seen.has(current); ) {
    seen.add(current);
    const { name, code: ownCode, message: ownMessage } = current as { name?: unknown; code?: unknown; message?: unknown };
    const aborted = name === 'AbortError' || name === 'TimeoutError' || ownMessage === 'Aborted delay';
    if (aborted) timedOut = true;
    if (typeof ownCode === 'string' && /^[A-Z][A-Z0-9_]+$/.test(ownCode) && ownCode !== 'ABORT_ERR') code = ownCode;
    // grammY's and fetch's own wrappers say nothing; the innermost informative message wins.
    if (typeof ownMessage === 'string' && !aborted && name !== 'HttpError' && ownMessage !== 'fetch failed') {
      message = ownMessage.replace(/^request to \S+ failed, reason: /, '');
    }
    const inner = current as { error?: unknown; cause?: unknown };
    current = inner.error ?? inner.cause;
  }
  const said = message ?? code;
  if (said === undefined) return timedOut ? `no answer within ${timeoutMs / 1000} s` : 'unknown network error';
  const text = said.replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot<token>');
  return code && !text.includes(code) ? `${text} (${code})` : text;
}

function derivedSecret(token: string, purpose: string): string {
  return createHash('sha256').update(`${purpose}:${token}`).digest('hex');
}
