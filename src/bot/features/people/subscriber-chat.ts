import { Composer, type Middleware } from 'grammy';
import { describeQuietHours, parseQuietHours } from '../../../people/quiet-hours.js';
import { parseSubscriberPress } from '../../../people/roles.js';
import type { BotContext } from '../../context.js';
import type { BotServices } from '../../deps.js';
import { subscriberLocale } from './subscriber-locale.js';
import type { SubscriberMenus } from './subscriber-menus.js';

/**
 * A subscriber's private chat (after the role guard, access.ts): their language, their menus,
 * /start, /settings, /stats, /help, and quiet hours sent as a plain message ("23:00-07:00",
 * "вимк"). Nothing of the admin chat is installed here.
 */
export function subscriberChat(deps: Pick<BotServices, 'people' | 'logger'>, menus: SubscriberMenus): Composer<BotContext> {
  const { people } = deps;
  const chat = new Composer<BotContext>();
  chat.use(async (ctx, next) => {
    ctx.i18n.useLocale(subscriberLocale(people.subscribers, ctx.from));
    await next();
  });
  chat.use(menus.root);
  chat.command('start', (ctx) => menus.showHome(ctx, 'reply'));
  chat.command('settings', (ctx) => menus.showSettings(ctx, 'reply'));
  chat.command('stats', (ctx) => menus.chooseStats(ctx));
  chat.command('help', (ctx) => ctx.reply(ctx.t('people-help')));
  chat.command('cancel', (ctx) => ctx.reply(ctx.t('flow-nothing-to-cancel')));
  chat.on('message:text', async (ctx) => {
    const parsed = parseQuietHours(ctx.message.text);
    if (parsed.ok) {
      people.subscribers.setQuietHours(ctx.from.id, parsed.quiet);
      await menus.showSettings(ctx, 'reply', ctx.t('people-quiet-set', { current: describeQuietHours(parsed.quiet, ctx.t), on: parsed.quiet ? 'yes' : 'no' }));
      return;
    }
    // Something that looks like a time gets told what is wrong with it; anything else, where to go.
    const triedTime = parsed.error === 'same' || /\d/.test(ctx.message.text);
    await ctx.reply(ctx.t(triedTime ? `people-quiet-error-${parsed.error}` : 'people-not-understood'));
  });
  chat.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: ctx.t('people-button-stale') }));
  chat.on('message', (ctx) => ctx.reply(ctx.t('people-not-understood')));
  return chat;
}

/**
 * Someone with no role: a polite word, nothing more (an invite link is handled before this). A
 * press on a subscriber's menu is someone who left or was removed: told so, not "admins only".
 */
export function strangerChat({ languages }: Pick<BotServices, 'languages'>): Middleware<BotContext> {
  return async (ctx) => {
    // Someone who once followed a place is answered in the language they chose then.
    const remembered = ctx.from ? await languages.recall(ctx.from.id) : undefined;
    if (remembered) ctx.i18n.useLocale(remembered);
    const formerSubscriber = ctx.callbackQuery?.data !== undefined && parseSubscriberPress(ctx.callbackQuery.data) !== null;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t(formerSubscriber ? 'stale-subscription-button' : 'people-refused') });
    else if (ctx.message) await ctx.reply(ctx.t('people-stranger'));
  };
}
