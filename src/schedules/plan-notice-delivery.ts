import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import type { DeliveryPlaces } from '../locations/delivery-places.js';
import type { Metrics } from '../metrics.js';
import type { Deliverer, DeliveryResult, Lane, TaskContext } from '../outbox/dispatcher.js';
import { parsePayload, PayloadError, type PlanNoticePayload } from '../outbox/messages.js';
import type { OutboxRow } from '../outbox/outbox-store.js';
import { PRIORITY } from '../telegram/rate-limiter.js';
import type { TelegramTransport } from '../telegram/transport.js';
import { asLocale, translatorFor, type TranslationSource } from '../telegram/translator.js';
import { localDay } from './local-time.js';
import { isNightTime } from './lookups.js';
import { changeMessage, renderPlanLine, tomorrowMessage, warningMessage, type PlanTextContext } from './plan-text.js';

export interface PlanNoticeDeliveryDeps {
  transport: TelegramTransport;
  places: DeliveryPlaces;
  i18n: TranslationSource;
  clock: Clock;
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
  const tomorrow = DateTime.fromISO(today, { zone: ctx.zone }).plus({ days: 1 }).toISODate()!;
  switch (notice.notice) {
    case 'warning': {
      if (notice.interval.start <= now) return { stale: 'the planned outage it warned of has begun' };
      const line = warningMessage({ interval: notice.interval, openEnd: notice.openEnd, openStart: false }, placeName, notice.queue, ctx);
      return { text: renderPlanLine(line, ctx.t) };
    }
    case 'changed': {
      const role = notice.day === today ? 'today' : notice.day === tomorrow ? 'tomorrow' : null;
      if (!role) return { stale: `the day it is about (${notice.day}) is over` };
      return { text: renderPlanLine(changeMessage(role, { added: notice.added, removed: notice.removed }, placeName, notice.queue, ctx), ctx.t) };
    }
    case 'tomorrow':
      if (notice.day !== tomorrow) return { stale: `the day it announced (${notice.day}) is no longer tomorrow` };
      return { text: renderPlanLine(tomorrowMessage(notice.intervals, placeName, notice.queue, ctx), ctx.t) };
  }
}

/**
 * Posts a place's schedule notices (outbox kind 'plan_notice') to its channel, in order, at
 * their own priority: after every due alert and admin notice, before diagrams. Silent at night
 * (23:00–07:00 local). Failures are handled as for alerts: transient ones retry with a capped
 * backoff and flag the place after a while; a refusal flags it and is tried again every few minutes.
 */
export class PlanNoticeDelivery implements Deliverer {
  constructor(private readonly deps: PlanNoticeDeliveryDeps) {}

  taskKey(lane: Lane): string {
    return lane.key;
  }

  async run(task: TaskContext): Promise<void> {
    for (let [lane] = task.due(); lane && !task.stopping.aborted; [lane] = task.due()) {
      const row = lane.rows[0]!;
      const result = await this.deliver(row, task);
      if (result.outcome === 'untouched') return;
      task.settle(lane, [row], result);
    }
  }

  private async deliver(row: OutboxRow, task: TaskContext): Promise<DeliveryResult> {
    const { transport, clock, timeZone } = this.deps;
    let notice: PlanNoticePayload;
    try {
      notice = parsePayload('plan_notice', row.payload);
    } catch (error) {
      if (error instanceof PayloadError) return { outcome: 'failed', error: error.message };
      throw error;
    }
    const place = this.deps.places.get(row.location_id ?? -1);
    if (!place) return { outcome: 'failed', error: 'the place was deleted' };
    const chat = place.channel_id ?? this.deps.defaultChannelId;
    if (!chat) return { outcome: 'failed', error: 'no channel is linked and DEFAULT_CHANNEL_ID is not set' };
    const now = clock.now();
    const t = translatorFor(this.deps.i18n, asLocale(place.language));
    const words = planNoticeText(notice, place.name, now, { zone: timeZone, t });
    if ('stale' in words) return { outcome: 'failed', error: `not posted: ${words.stale}` };

    const silent = isNightTime(now, timeZone);
    const sent = await transport.send(chat, PRIORITY.plan, task, (signal) =>
      transport.api.sendMessage(chat, words.text, { parse_mode: 'HTML', disable_notification: silent, link_preview_options: { is_disabled: true } }, signal),
    );
    const after = clock.now();
    if (sent.ok) {
      transport.clearFlag(place.id);
      this.deps.metrics.messagesSent.inc({ kind: 'plan_notice' });
      return { outcome: 'sent', messageId: sent.value.message_id };
    }
    const failure = sent.failure;
    switch (failure.kind) {
      case 'stopped':
        return { outcome: 'untouched' };
      case 'throttled':
        return { outcome: 'later', at: after + failure.retryAfterMs };
      case 'refused':
        transport.flag(place, { channel: chat, reason: failure.error, cause: 'refused' });
        return { outcome: 'retry', retryAt: after + transport.policy.maxDelayMs, error: failure.error };
      case 'transient': {
        const retryAt = transport.afterTransientFailure(place, chat, failure, row.attempts, row.failing_since ?? after);
        return { outcome: 'retry', retryAt, error: failure.error };
      }
    }
  }
}
