import { Bot } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import type { I18n } from '@grammyjs/i18n';
import type { Logger } from '../logger.js';
import type { UpdateLog } from '../sessions/update-log.js';
import type { BotContext } from './context.js';
import { defaultParseMode } from './parse-mode.js';

export interface BotOptions {
  token: string;
  apiRoot: string;
  i18n: I18n<BotContext>;
  logger: Logger;
  /** Records each update's id; one already taken (by this or another instance) is dropped. */
  updates: Pick<UpdateLog, 'firstTime'>;
}

/**
 * The grammY bot with what every feature relies on: 429s waited out as Telegram asks (5xx and
 * network errors are left to the outbox's own backoff, so a send never blocks for long), HTML as
 * the default parse mode of every text and caption, i18n, and one error handler.
 */
export function createBot(options: BotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(options.token, { client: { apiRoot: options.apiRoot, timeoutSeconds: 60 } });
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowInternalServerErrors: true, rethrowHttpErrors: true }));
  bot.api.config.use(defaultParseMode);
  // First: an update Telegram sent again (to this or another instance) is acted on once.
  bot.use(async (ctx, next) => {
    const id: unknown = ctx.update.update_id;
    if (typeof id !== 'number' || options.updates.firstTime(id)) return next();
    options.logger.debug({ updateId: id }, 'update already taken; dropped');
  });
  bot.use(options.i18n);
  bot.catch(({ error, ctx }) => {
    options.logger.error({ err: error, updateId: ctx.update.update_id }, 'bot update failed');
  });
  return bot;
}
