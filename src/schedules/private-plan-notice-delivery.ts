import type { Clock } from '../clock.js';
import type { DeliveryPlaces } from '../places/delivery-places.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { deliverHeadRows, type Deliverer, type DeliveryResult, type Lane, type TaskContext } from '../outbox/dispatcher.js';
import { parsePayload, PayloadError, type PrivatePlanNoticePayload } from '../outbox/messages.js';
import type { OutboxRow } from '../outbox/outbox-store.js';
import { isQuietAt } from '../people/quiet-hours.js';
import type { SubscriberStore } from '../people/subscriber-store.js';
import { PRIORITY } from '../telegram/rate-limiter.js';
import { privateSendFailure } from '../outbox/private-failure.js';
import type { TelegramTransport } from '../telegram/transport.js';
import { translatorFor, type TranslationSource } from '../i18n/translator.js';
import { planNoticeText } from './plan-notice-delivery.js';

export interface PrivatePlanNoticeDeliveryDeps {
  transport: TelegramTransport;
  /** Read again when a message is due: the person may have left, turned warnings off or blocked the bot. */
  subscribers: Pick<SubscriberStore, 'recipient' | 'markInactive'>;
  places: Pick<DeliveryPlaces, 'get'>;
  i18n: TranslationSource;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  timeZone: string;
}

/**
 * A place's schedule posts (warnings, changes, tomorrow's plan) in the private chats of its
 * subscribers who chose planned-outage warnings (outbox kind 'private_plan_notice', one row per
 * person, queued with the channel's row). The same words as the channel's post, in the person's
 * language, worked out when it goes out (a notice that can only mislead by then is not sent);
 * silent inside their quiet hours, at the schedule's priority (after every due alert). A person
 * who blocked the bot is marked inactive, with no flag on the place and no word to the admins.
 */
export class PrivatePlanNoticeDelivery implements Deliverer {
  constructor(private readonly deps: PrivatePlanNoticeDeliveryDeps) {}

  /** One lane per person and place, so a person's notices about a place keep their order. */
  laneOf(row: OutboxRow): string {
    try {
      return `private_plan_notice:${parsePayload('private_plan_notice', row.payload).userId}:${row.location_id ?? 0}`;
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      return `private_plan_notice#${row.id}`; // On its own: settled as broken when it comes up.
    }
  }

  taskKey(lane: Lane): string {
    return lane.key;
  }

  run(task: TaskContext): Promise<void> {
    return deliverHeadRows(task, (row) => this.deliver(row, task));
  }

  private async deliver(row: OutboxRow, task: TaskContext): Promise<DeliveryResult> {
    const { transport, clock, timeZone } = this.deps;
    let notice: PrivatePlanNoticePayload;
    try {
      notice = parsePayload('private_plan_notice', row.payload);
    } catch (error) {
      if (error instanceof PayloadError) return { outcome: 'failed', error: error.message };
      throw error;
    }
    const place = this.deps.places.get(row.location_id ?? -1);
    if (!place) return { outcome: 'failed', error: 'the place was deleted' };
    const recipient = this.deps.subscribers.recipient(place.id, notice.userId, 'plan_warnings');
    // Left, turned warnings off, or blocked the bot since this was queued: nothing to send, nothing failed.
    if (!recipient) return { outcome: 'sent', messageId: null };

    const words = planNoticeText(notice, place.name, clock.now(), { zone: timeZone, t: translatorFor(this.deps.i18n, recipient.language) });
    if ('stale' in words) return { outcome: 'failed', error: `not sent: ${words.stale}` };
    const chat = String(recipient.userId);
    const sent = await transport.send(chat, PRIORITY.plan, task, (signal) =>
      transport.api.sendMessage(
        chat,
        words.text,
        {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(isQuietAt(recipient.quiet, clock.now(), timeZone) ? { disable_notification: true } : {}),
        },
        signal,
      ),
    );
    const now = clock.now();
    if (sent.ok) {
      this.deps.metrics.messagesSent.inc({ kind: 'private_plan_notice' });
      return { outcome: 'sent', messageId: sent.value.message_id };
    }
    const { logger, subscribers } = this.deps;
    return privateSendFailure(sent.failure, row, {
      policy: transport.policy,
      now,
      onBlocked: () =>
        void task.record('a subscriber blocked the bot', () => {
          if (subscribers.markInactive(recipient.userId, now)) logger.info({ userId: recipient.userId }, 'a subscriber blocked the bot; nothing more is sent until they /start again');
        }),
      onRefused: (error) => logger.warn({ userId: recipient.userId, placeId: place.id, error }, 'a private schedule post was refused'),
    });
  }
}
