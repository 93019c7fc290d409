import type { BotContext } from '../context.js';
import type { TranslationSource } from '../../i18n/translator.js';
import { LOCALES } from '../../i18n/translator.js';

/** Callback data of buttons that belong to a conversation step (menus use `menu/row/col/…`). */
export const FLOW_DATA_PREFIX = 'cv:';
export const CANCEL_DATA = 'cv:x';

export interface FlowControlViews {
  showMain(ctx: BotContext, how: 'reply' | 'edit', notice?: string): Promise<void>;
}

/**
 * What happens around a waiting conversation, before it sees the update:
 * - `/cancel`, the Cancel button and the Cancel key leave it; nothing was written yet, because
 *   every flow writes only at its very end;
 * - any other command leaves it too and then runs (the admin clearly wants something else);
 * - a press on an older menu gets a hint to finish or cancel first, instead of vanishing.
 */
export function flowControl(views: FlowControlViews, translations: TranslationSource) {
  const cancelLabels = new Set(LOCALES.map((locale) => translations.t(locale, 'btn-cancel')));
  return async (ctx: BotContext, next: () => Promise<void>): Promise<void> => {
    const active = Object.keys(ctx.conversation.active()).length > 0;
    const text = ctx.message?.text;
    const command = ctx.message?.entities?.some((entity) => entity.type === 'bot_command' && entity.offset === 0) ? text?.split(/[\s@]/)[0] : undefined;
    const cancelled = command === '/cancel' || ctx.callbackQuery?.data === CANCEL_DATA || (text !== undefined && cancelLabels.has(text));
    if (cancelled) {
      if (ctx.callbackQuery) {
        await ctx.answerCallbackQuery();
        await ctx.editMessageReplyMarkup().catch(() => undefined); // The prompt's buttons are done.
      }
      if (active) await ctx.conversation.exitAll();
      await ctx.reply(ctx.t(active ? 'flow-cancelled' : 'flow-nothing-to-cancel'), { reply_markup: { remove_keyboard: true } });
      await views.showMain(ctx, 'reply');
      return;
    }
    if (!active) return next();
    if (command !== undefined) {
      await ctx.conversation.exitAll();
      await ctx.reply(ctx.t('flow-left'), { reply_markup: { remove_keyboard: true } });
      return next();
    }
    if (ctx.callbackQuery && !ctx.callbackQuery.data?.startsWith(FLOW_DATA_PREFIX)) {
      await ctx.answerCallbackQuery({ text: ctx.t('flow-busy'), show_alert: true });
      return;
    }
    return next();
  };
}
