import { Composer } from 'grammy';
import { PlaceInputError } from '../../places/place-rules.js';
import { ScheduleInputError } from '../../schedules/place-schedule.js';
import { QUEUE_HINT_DATA, shortQueue } from '../../schedules/queue-hint-text.js';
import { escapeHtml } from '../../i18n/escape-html.js';
import type { BotContext } from '../context.js';
import type { BotServices } from '../deps.js';

/**
 * The one button under a queue hint ("Підписатися на чергу 3.1"): puts the place on that queue of
 * the source the hint was about. Admins only (installed behind the admin check); the queue is
 * checked against the source's copy like any choice, and a place deleted meanwhile is said so.
 */
export function queueHintButton({ schedules, places }: Pick<BotServices, 'schedules' | 'places'>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(QUEUE_HINT_DATA, async (ctx) => {
    const [, id, source, queue] = ctx.match as RegExpMatchArray;
    if (source === undefined || queue === undefined) return; // never: QUEUE_HINT_DATA has both groups
    const placeId = Number(id);
    try {
      const place = await places.get(placeId);
      const chosen = schedules.attach(placeId, source, queue);
      const text = ctx.t('queue-hint-done', { place: escapeHtml(place.name), queue: escapeHtml(shortQueue(chosen.queue.id)) });
      await ctx.answerCallbackQuery({ text: text.replace(/<[^>]+>/g, '') });
      await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
      await ctx.reply(text);
    } catch (error) {
      if (!(error instanceof ScheduleInputError) && !(error instanceof PlaceInputError)) throw error;
      const why = error instanceof ScheduleInputError ? ctx.t(`plan-error-${error.code}`, error.params) : error.message;
      await ctx.answerCallbackQuery({ text: ctx.t('queue-hint-failed', { error: why }).replace(/<[^>]+>/g, '').slice(0, 190), show_alert: true });
    }
  });
  return composer;
}
