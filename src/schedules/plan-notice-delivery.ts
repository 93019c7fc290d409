import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import type { DeliveryPlace, DeliveryPlaces } from '../places/delivery-places.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Deliverer, DeliveryResult, DueLane, Lane, TaskContext } from '../outbox/dispatcher.js';
import { parsePayload, PayloadError, type PlanNoticePayload } from '../outbox/messages.js';
import type { OutboxRow } from '../outbox/outbox-store.js';
import type { DestinationStore } from '../people/destination-store.js';
import { postOptions } from '../people/destination-options.js';
import { PRIORITY } from '../telegram/rate-limiter.js';
import { isContentRefusal } from '../telegram/telegram-errors.js';
import type { TelegramTransport } from '../telegram/transport.js';
import { asLocale, translatorFor, type Locale, type TranslationSource } from '../i18n/translator.js';
import { isoDay, localDay } from './local-time.js';
import { isNonEmpty, type NonEmpty } from '../non-empty.js';
import { isNightTime } from './lookups.js';
import { escapeHtml } from '../i18n/escape-html.js';
import { changeMessage, queueName, renderPlanLine, tomorrowMessage, warningMessage, type PlanTextContext } from './plan-text.js';
import { fitHtml, MESSAGE_LIMIT } from '../i18n/telegram-text.js';

export interface PlanNoticeDeliveryDeps {
  transport: TelegramTransport;
  places: DeliveryPlaces;
  /** The chat's forum topic and quiet hours, as for the place's other posts there. */
  destinations: Pick<DestinationStore, 'settingsFor'>;
  i18n: TranslationSource;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  timeZone: string;
  defaultChannelId: string | undefined;
}

/** What to post for a schedule notice now, or why it is no longer worth posting. */
export type PlanNoticeText = { text: string } | { stale: string };

/**
 * The words of a schedule notice at the moment it goes out (`now`), in the place's language.
 * "Today" and "tomorrow" are worked out now, not when it was queued: a change post that waited
 * past midnight still names the right day. A notice that can only mislead by now — a warning
 * whose outage has begun, a post about a day that is over, "tomorrow's plan" once that day has
 * come — is not posted (the dispatcher records it as given up, with the reason).
 */
export function planNoticeText(notice: PlanNoticePayload, placeName: string, now: number, ctx: PlanTextContext): PlanNoticeText {
  const today = localDay(now, ctx.zone);
  const tomorrow = isoDay(DateTime.fromISO(today, { zone: ctx.zone }).plus({ days: 1 }));
  switch (notice.notice) {
    case 'warning': {
      if (notice.interval.start <= now) return { stale: 'the planned outage it warned of has begun' };
      const line = warningMessage({ interval: notice.interval, openEnd: notice.openEnd, openStart: false }, placeName, notice.queue, ctx);
      return { text: fitHtml(renderPlanLine(line, ctx.t), MESSAGE_LIMIT) };
    }
    case 'changed': {
      const role = notice.day === today ? 'today' : notice.day === tomorrow ? 'tomorrow' : null;
      if (!role) return { stale: `the day it is about (${notice.day}) is over` };
      return { text: fitHtml(renderPlanLine(changeMessage(role, { added: notice.added, removed: notice.removed }, placeName, notice.queue, ctx), ctx.t), MESSAGE_LIMIT) };
    }
    case 'emergency':
      return { text: fitHtml(ctx.t(notice.on ? 'plan-emergency-on' : 'plan-emergency-off', { place: escapeHtml(placeName), queue: queueName(notice.queue, ctx.t) }), MESSAGE_LIMIT) };
    case 'tomorrow':
      if (notice.day !== tomorrow) return { stale: `the day it announced (${notice.day}) is no longer tomorrow` };
      return { text: fitHtml(renderPlanLine(tomorrowMessage(notice.intervals, placeName, notice.queue, ctx), ctx.t), MESSAGE_LIMIT) };
  }
}

/** A notice ready to post: its row, its place and chat, and what it says. */
interface Ready {
  lane: Lane;
  row: OutboxRow;
  place: DeliveryPlace;
  chat: string;
  notice: PlanNoticePayload;
  locale: Locale;
  /** Notices with the same key say the same thing in the same chat: they go out as one post. */
  key: string;
}

/**
 * Posts the places' schedule notices (outbox kind 'plan_notice') to their channels, each place's
 * in order, at their own priority: after every due alert and admin notice, before diagrams.
 * Into the chat's forum topic when the place posts into one; silent at night (23:00–07:00 local)
 * and inside the chat's own quiet hours. Places of one channel on the same queue (a building's
 * entrances) get the same notice at the same moment: it goes out once, naming them all. Failures
 * are handled as for alerts: transient ones retry with a capped backoff and flag the places after
 * a while; a refusal flags them and is tried again every few minutes.
 */
export class PlanNoticeDelivery implements Deliverer {
  constructor(private readonly deps: PlanNoticeDeliveryDeps) {}

  /** All places posting to one chat share a task, so their identical notices can go out as one. */
  taskKey(lane: Lane): string {
    const place = this.deps.places.get(lane.placeId ?? -1);
    const chat = place ? this.chatOf(place) : undefined;
    return chat ? `chat:${chat}` : lane.key;
  }

  async run(task: TaskContext): Promise<void> {
    while (!task.stopping.aborted) {
      const [first] = task.due();
      if (!first) return;
      const head = this.ready(first);
      if ('outcome' in head) {
        task.settle(first, [first.rows[0]], head);
        continue;
      }
      if (!(await this.deps.transport.slot(head.chat, PRIORITY.plan, task))) return;
      // The slot is ours: the same notice of other places of the chat, due by now, goes with it.
      const group = task
        .due()
        .map((lane) => (lane === first ? head : this.ready(lane)))
        .filter((ready): ready is Ready => !('outcome' in ready) && ready.key === head.key);
      if (!isNonEmpty(group) || !group.includes(head)) continue;
      const result = await this.post(group, task);
      if (result === 'again') continue;
      if (result.outcome === 'untouched') return;
      for (const ready of group) task.settle(ready.lane, [ready.row], result);
    }
  }

  /** The head of a lane read and checked, or what becomes of it when it cannot be posted. */
  private ready(lane: DueLane): Ready | DeliveryResult {
    const [row] = lane.rows;
    let notice: PlanNoticePayload;
    try {
      notice = parsePayload('plan_notice', row.payload);
    } catch (error) {
      if (error instanceof PayloadError) return { outcome: 'failed', error: error.message };
      throw error;
    }
    const place = this.deps.places.get(row.location_id ?? -1);
    if (!place) return { outcome: 'failed', error: 'the place was deleted' };
    const chat = this.chatOf(place);
    if (!chat) return { outcome: 'failed', error: 'no channel is linked and DEFAULT_CHANNEL_ID is not set' };
    const locale = asLocale(place.language);
    // Places posting into different topics of one group are told in their own topics.
    const topic = this.deps.destinations.settingsFor(place.id, chat).threadId ?? '';
    return { lane, row, place, chat, notice, locale, key: `${chat}|${topic}|${locale}|${row.payload}` };
  }

  /** Posts one notice for the group in the slot already granted; 'again' when a short 429 is waited out for the next slot. */
  private async post(group: NonEmpty<Ready>, task: TaskContext): Promise<DeliveryResult | 'again'> {
    const { transport, clock, timeZone } = this.deps;
    const { chat, notice, locale } = group[0];
    const now = clock.now();
    const names = group.map((ready) => ready.place.name).join(', ');
    const words = planNoticeText(notice, names, now, { zone: timeZone, t: translatorFor(this.deps.i18n, locale) });
    if ('stale' in words) return { outcome: 'failed', error: `not posted: ${words.stale}` };

    const options = postOptions(this.deps.destinations.settingsFor(group[0].place.id, chat), now, timeZone);
    const silent = isNightTime(now, timeZone) || options.disable_notification === true;
    const sent = await transport.call(chat, task, (signal) =>
      transport.api.sendMessage(chat, words.text, { parse_mode: 'HTML', ...options, disable_notification: silent, link_preview_options: { is_disabled: true } }, signal),
    );
    const after = clock.now();
    if (sent.ok) {
      for (const ready of group) transport.clearFlagUnlessAlertsWait(ready.place.id);
      this.deps.metrics.messagesSent.inc({ kind: 'plan_notice' });
      return { outcome: 'sent', messageId: sent.value.message_id };
    }
    const failure = sent.failure;
    switch (failure.kind) {
      case 'stopped':
        return { outcome: 'untouched' };
      case 'throttled':
        // A short wait is taken in the limiter (the next slot comes after it); a long one goes back to the outbox.
        return transport.waitsInline(failure) ? 'again' : { outcome: 'later', at: after + failure.retryAfterMs };
      case 'refused':
        if (isContentRefusal(failure)) {
          // The words, not the chat: never tried again as they are, and no warning on the places.
          this.deps.logger.warn({ chat, places: group.map((ready) => ready.place.id), error: failure.error }, 'Telegram refused a schedule post for its content; it is dropped');
          return { outcome: 'failed', error: failure.error };
        }
        for (const ready of group) transport.flag(ready.place, { channel: chat, reason: failure.error, cause: 'refused' });
        return { outcome: 'retry', retryAt: after + transport.policy.maxDelayMs, error: failure.error };
      case 'transient': {
        const retryAts = group.map((ready) => transport.afterTransientFailure(ready.place, chat, failure, ready.row.attempts, ready.row.failing_since ?? after));
        return { outcome: 'retry', retryAt: Math.min(...retryAts), error: failure.error };
      }
    }
  }

  private chatOf(place: DeliveryPlace): string | undefined {
    return place.channel_id ?? this.deps.defaultChannelId;
  }
}
