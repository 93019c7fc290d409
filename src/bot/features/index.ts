import type { Bot } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotFeatureDeps } from '../deps.js';

/** Installs the admin chat: who may use it, then the commands, menus and conversations. */
export function installFeatures(bot: Bot<BotContext>, deps: BotFeatureDeps): void {
  const privateChats = bot.chatType('private');
  privateChats.use(async (ctx, next) => {
    if (ctx.from && (await deps.admins.isAdmin(ctx.from.id))) return next();
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('not-admin') });
    else await ctx.reply(ctx.t('not-admin'));
  });
  privateChats.command(['start', 'help'], (ctx) => ctx.reply(ctx.t('help'), { parse_mode: 'HTML' }));
}
