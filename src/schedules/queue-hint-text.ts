import type { InlineKeyboardMarkup } from 'grammy/types';
import type { QueueHintNotice } from '../outbox/messages.js';
import { escapeHtml } from '../i18n/escape-html.js';
import type { Translate } from '../i18n/translator.js';

/** Button data of "follow this queue": the place, the source and the queue (well under 64 bytes). */
export const QUEUE_HINT_DATA = /^qhint:(\d{1,12}):([a-z0-9][a-z0-9-]{0,23}):([^:]{1,24})$/;

export function queueHintData(placeId: number, source: string, queue: string): string {
  return `qhint:${placeId}:${source}:${queue}`;
}

/** "3.1" for GPV3.1 and for Yasno's 3.1; other ids as the source writes them. */
export function shortQueue(id: string): string {
  return id.replace(/^GPV/i, '');
}

/** The admins' message about what a place's record says of its queue, with its evidence. */
export function queueHintText(notice: QueueHintNotice, t: Translate): string {
  const vars = {
    place: escapeHtml(notice.placeName),
    source: escapeHtml(notice.source),
    queue: escapeHtml(shortQueue(notice.queue ?? '')),
    current: escapeHtml(shortQueue(notice.current ?? '')),
    matched: notice.matched,
    outages: notice.outages,
    days: notice.days,
    currentMatched: notice.currentMatched ?? 0,
  };
  return t(`queue-hint-${notice.hint}`, vars);
}

/** One button that sets the suggested queue; none for "no queue fits". */
export function queueHintKeyboard(notice: QueueHintNotice, t: Translate): InlineKeyboardMarkup | undefined {
  if (notice.hint === 'none' || notice.queue === null) return undefined;
  const data = queueHintData(notice.placeId, notice.source, notice.queue);
  if (!QUEUE_HINT_DATA.test(data)) return undefined;
  return { inline_keyboard: [[{ text: t('queue-hint-button', { queue: shortQueue(notice.queue) }), callback_data: data }]] };
}
