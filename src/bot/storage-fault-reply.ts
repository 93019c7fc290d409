import type { Middleware } from 'grammy';
import { faultInScope, noteStorageFault, runInFaultScope } from '../db/fault-scope.js';
import { FaultEpisodes, storageFaultOf } from '../db/storage-faults.js';
import type { Logger } from '../logger.js';
import type { BotContext } from './context.js';

/**
 * The outermost answer to a storage fault in a bot update (the database locked by another
 * process, the disk full or failing): the person is told, in their language, to try again in a
 * minute, and nothing of the update is kept — a conversation stays where it was (its state is not
 * saved, see `noteStorageFaults`), an invite is not used up (its transaction rolled back). Faults
 * are logged once per episode; anything else goes on to the bot's error handler.
 */
export function storageFaultReply(deps: { logger: Logger; now: () => number }): Middleware<BotContext> {
  const episodes = new FaultEpisodes(deps.logger);
  return (ctx, next) =>
    runInFaultScope(async () => {
      try {
        await next();
      } catch (error) {
        if (storageFaultOf(error) === null) throw error;
        episodes.failed('bot updates', error, deps.now(), 'a bot update could not be handled');
        await tryAgainLater(ctx).catch((failure: unknown) => deps.logger.warn({ err: failure }, 'could not tell the person to try again'));
        return;
      }
      // A fault that was answered inside (and so did not reach here) still ends nothing.
      if (faultInScope() === undefined) episodes.succeeded('bot updates', deps.now());
    });
}

/**
 * Placed right after the conversations plugin: a storage fault on its way out of a conversation
 * (or anything after it) is noted before the plugin saves the conversation's state, so that save
 * is refused (SqliteStorageAdapter) and the stored state stays as it was before this update.
 */
export const noteStorageFaults: Middleware<BotContext> = async (_ctx, next) => {
  try {
    await next();
  } catch (error) {
    noteStorageFault(error);
    throw error;
  }
};

async function tryAgainLater(ctx: BotContext): Promise<void> {
  const text = ctx.t('storage-try-again');
  if (ctx.callbackQuery) {
    try {
      await ctx.answerCallbackQuery({ text, show_alert: true });
      return;
    } catch {
      // Already answered (or too old to answer): say it in the chat instead.
    }
  }
  // In a group (a service message such as a chat move) nobody asked: the log is enough.
  if (ctx.chat?.type === 'private') await ctx.reply(text);
}
