import type { Clock } from '../clock.js';
import type { DeliveryPlaces } from '../places/delivery-places.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { deliverHeadRows, type Deliverer, type DeliveryResult, type Lane, type TaskContext } from '../outbox/dispatcher.js';
import { parsePayload, type WeeklyReportPayload } from '../outbox/messages.js';
import type { OutboxRow } from '../outbox/outbox-store.js';
import { isQuietAt } from '../people/quiet-hours.js';
import { PRIORITY } from '../telegram/rate-limiter.js';
import { privateSendFailure } from '../outbox/private-failure.js';
import type { TelegramTransport } from '../telegram/transport.js';
import { asLocale } from '../i18n/translator.js';
import type { Period } from './periods.js';
import { weekOfKey } from './report-schedule.js';
import type { WeeklySummarySource } from './weekly-summaries.js';

import type { DestinationStore } from '../people/destination-store.js';

export interface WeeklyDeliveryDeps {
  transport: TelegramTransport;
  places: Pick<DeliveryPlaces, 'get'>;
  /** The chat's forum topic, when the place posts into one (the report goes there too). */
  destinations: Pick<DestinationStore, 'settingsFor'>;
  summaries: WeeklySummarySource;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  timeZone: string;
  defaultChannelId: string | undefined;
  /** A subscriber blocked the bot (403 in their private chat): SubscriberStore.markInactive. */
  onRecipientGone?: (userId: number, now: number) => void;
}

/**
 * Posts weekly summaries (outbox kind 'weekly_report'): one short message, written when its turn
 * comes (weekly-summaries.ts), silently to the place's channel, or privately to a subscriber in
 * their language (silent in their quiet hours). A week of which nothing is known is not posted.
 * A channel's failures count for the place like its other posts; a subscriber who blocked the
 * bot is marked inactive, without troubling the place or its admins.
 */
export class WeeklyReportDelivery implements Deliverer {
  constructor(private readonly deps: WeeklyDeliveryDeps) {}

  taskKey(lane: Lane): string {
    return lane.key;
  }

  run(task: TaskContext): Promise<void> {
    return deliverHeadRows(task, (row) => this.deliver(row, task));
  }

  private async deliver(row: OutboxRow, task: TaskContext): Promise<DeliveryResult> {
    const { transport, clock, timeZone, logger } = this.deps;
    let payload: WeeklyReportPayload;
    let week: Period;
    try {
      payload = parsePayload('weekly_report', row.payload);
      week = weekOfKey(payload.week, timeZone);
    } catch (error) {
      // A broken payload, or a week that is not one: it can never be sent.
      if (error instanceof Error) return { outcome: 'failed', error: error.message };
      throw error;
    }
    const place = this.deps.places.get(row.location_id ?? -1);
    if (!place) return { outcome: 'failed', error: 'the place was deleted' };
    const to = payload.to;
    const chat = to ? String(to.userId) : (place.channel_id ?? this.deps.defaultChannelId);
    if (!chat) return { outcome: 'sent', messageId: null };

    const text = await this.deps.summaries.weeklyText(place.id, week, to ? asLocale(to.language) : undefined);
    if (text === null) {
      logger.info({ placeId: place.id, week: payload.week }, 'nothing is known of the week: no weekly summary');
      return { outcome: 'sent', messageId: null };
    }
    const silent = to ? isQuietAt(to.quiet, clock.now(), timeZone) : true;
    const topic = to ? null : this.deps.destinations.settingsFor(place.id, chat).threadId;
    const sent = await transport.send(chat, PRIORITY.report, task, (signal) =>
      transport.api.sendMessage(
        chat,
        text,
        { parse_mode: 'HTML', disable_notification: silent, link_preview_options: { is_disabled: true }, ...(topic === null ? {} : { message_thread_id: topic }) },
        signal,
      ),
    );
    const now = clock.now();
    if (sent.ok) {
      if (!to) transport.clearFlagUnlessAlertsWait(place.id);
      this.deps.metrics.messagesSent.inc({ kind: 'weekly_report' });
      return { outcome: 'sent', messageId: sent.value.message_id };
    }
    if (!to) return transport.channelPostFailure(place, chat, row, sent);
    // A subscriber's private chat: not the place's failure.
    return privateSendFailure(sent.failure, row, {
      policy: transport.policy,
      now,
      onBlocked: () => this.deps.onRecipientGone?.(to.userId, now),
      onRefused: (error) => logger.warn({ userId: to.userId, placeId: place.id, error }, 'a private weekly summary was refused'),
    });
  }
}
