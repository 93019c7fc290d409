import type { Clock } from '../clock.js';
import type { DeliveryPlaces } from '../places/delivery-places.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Alert } from '../outbox/payload-parts.js';
import { lanePayloads, type Deliverer, type DueLane, type Lane, type TaskContext } from '../outbox/dispatcher.js';
import { parsePayload, PayloadError } from '../outbox/messages.js';
import type { OutboxRow } from '../outbox/outbox-store.js';
import { isQuietAt } from '../people/quiet-hours.js';
import { summarizeSnooze } from '../people/snooze-summary.js';
import type { Recipient, SubscriberStore } from '../people/subscriber-store.js';
import { formatAlert, formatDelayed, formatFlapping } from './alert-message.js';
import { paceAlerts } from './alert-pacing.js';
import { PRIORITY } from '../telegram/rate-limiter.js';
import { isPersonGone } from '../outbox/private-failure.js';
import { backoffMs, isContentRefusal } from '../telegram/telegram-errors.js';
import { plainFallback, telegramLength } from '../i18n/telegram-text.js';
import type { TelegramTransport } from '../telegram/transport.js';
import { translatorFor, type TranslationSource } from '../i18n/translator.js';

export interface PrivateAlertDeliveryDeps {
  transport: TelegramTransport;
  /** Read again when a message is due: the person may have left, turned alerts off or blocked the bot. */
  subscribers: Pick<SubscriberStore, 'recipient' | 'markInactive'>;
  places: Pick<DeliveryPlaces, 'get'>;
  i18n: TranslationSource;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  timeZone: string;
  /** A person's alerts about one place closer than this to their previous one are held and sent as one. */
  flapWindowMs: number;
  /** An alert first tried this long after it was due is late: the pile goes out as one message. */
  lateAfterMs?: number;
}

/** One place's alerts for one person, going out as one message. */
interface Batch {
  lane: Lane;
  recipient: Recipient;
  placeName: string;
  /** The lane's first row: the one the batch is known by. */
  head: OutboxRow;
  rows: OutboxRow[];
  alerts: Alert[];
  late: boolean;
  snoozeSummary: boolean;
}

const LANE_KEY = /^private_alert:(\d+):(\d+)$/;
/** Remembered "last message" times past this many are pruned of the ones too old to matter. */
const REMEMBERED_POSTS = 10_000;

/**
 * A place's alerts in its subscribers' private chats (outbox kind 'private_alert', one row per
 * person, queued with the channel's row). The same outbox, priority and budget as channel alerts:
 * each message waits for a slot at alert priority, ahead of every notice and diagram, and a
 * private chat gets at most about one message a second. A person's alerts about a place keep
 * their order (one lane per person and place); all of a person's lanes share one task.
 *
 * Sent in the person's language, silently inside their quiet hours (as they are when it goes
 * out: never held for them). A person who blocked the bot (403) is marked inactive — not a flag
 * on the place and no word to the admins — and gets nothing until their next /start. One who
 * left or turned alerts off meanwhile gets nothing more. Transient failures retry for ever with
 * a capped backoff.
 */
export class PrivateAlertDelivery implements Deliverer {
  private readonly lateAfterMs: number;
  /** When each person last got an alert about each place (lane key → time), for the flapping window. */
  private readonly lastPostAt = new Map<string, number>();
  /** Head rows whose message Telegram refused for its content: their next try is the plain text. */
  private readonly refusedContent = new Set<number>();

  constructor(private readonly deps: PrivateAlertDeliveryDeps) {
    this.lateAfterMs = deps.lateAfterMs ?? 5 * 60_000;
  }

  laneOf(row: OutboxRow): string {
    try {
      return privateLaneKey(parsePayload('private_alert', row.payload).userId, row.location_id ?? 0);
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      return `private_alert#${row.id}`; // On its own: the task settles it as broken.
    }
  }

  taskKey(lane: Lane): string {
    const match = LANE_KEY.exec(lane.key);
    return match ? `user:${match[1]}` : lane.key;
  }

  /**
   * Waits for a slot in the person's chat first and reads what to send only then: in a city-wide
   * burst thousands of these tasks start in one turn, and each costs the event loop next to
   * nothing until its slot comes (the reads are spread over the burst at the global budget).
   */
  async run(task: TaskContext): Promise<void> {
    while (!task.stopping.aborted) {
      const [lane] = task.due();
      const userId = lane && LANE_KEY.exec(lane.key)?.[1];
      if (!lane) return;
      if (userId === undefined) {
        this.nextBatch(task); // A broken row on its own: settled as such, no slot needed.
        continue;
      }
      if (!(await this.deps.transport.slot(userId, PRIORITY.alert, task))) return;
      // The slot is ours: post what is due now (rows may have joined or been settled meanwhile).
      // Nothing to send (the person left or blocked the bot): the slot goes unused, which is rare.
      const batch = this.nextBatch(task);
      if (batch && (await this.post(batch, task)) === 'stopped') return;
    }
  }

  /** The oldest due lane of the task as a batch; settles on the way what cannot or need not be sent. */
  private nextBatch(task: TaskContext): Batch | undefined {
    const now = this.deps.clock.now();
    for (const lane of task.due()) {
      const batch = this.batchOf(task, lane, now);
      if (batch) return batch;
    }
    return undefined;
  }

  private batchOf(task: TaskContext, lane: DueLane, now: number): Batch | undefined {
    const match = LANE_KEY.exec(lane.key);
    const payloads = lanePayloads(task, lane, 'private_alert');
    if (!payloads) return undefined;
    if (!match) {
      task.settle(lane, lane.rows, { outcome: 'failed', error: 'a private alert without its person' });
      return undefined;
    }
    const userId = Number(match[1]);
    const place = this.deps.places.get(lane.placeId ?? -1);
    if (!place) {
      task.settle(lane, lane.rows, { outcome: 'failed', error: 'the place was deleted' });
      return undefined;
    }
    const recipient = this.deps.subscribers.recipient(place.id, userId, 'alerts');
    if (!recipient) {
      // Left, turned alerts off, or blocked the bot since this was queued: nothing to send, nothing failed.
      task.settle(lane, lane.rows, { outcome: 'sent', messageId: null });
      return undefined;
    }
    const [head] = lane.rows;
    const pacing = paceAlerts(head, lane.rows.length, now, { lateAfterMs: this.lateAfterMs, flapWindowMs: this.deps.flapWindowMs }, () => this.lastPostAt.get(lane.key));
    if ('holdUntil' in pacing) {
      task.settle(lane, [head], { outcome: 'later', at: pacing.holdUntil });
      return undefined;
    }
    const { send: count, late } = pacing;
    const chosen = payloads.slice(0, count);
    return {
      lane,
      recipient,
      placeName: place.name,
      head,
      rows: lane.rows.slice(0, count),
      alerts: chosen.flatMap((payload) => payload.snoozed ?? [payload.alert]),
      late,
      snoozeSummary: chosen.length === 1 && chosen[0]?.snoozed !== undefined,
    };
  }

  private async post(batch: Batch, task: TaskContext): Promise<'done' | 'stopped'> {
    const { transport, clock, timeZone } = this.deps;
    const { userId, quiet } = batch.recipient;
    const head = batch.head.id;
    const plain = this.refusedContent.has(head);
    const html = this.format(batch);
    const text = plain ? plainFallback(html) : html;
    const silent = isQuietAt(quiet, clock.now(), timeZone);
    const outcome = await transport.call(userId, task, (signal) =>
      transport.api.sendMessage(
        userId,
        text,
        { ...(plain ? {} : { parse_mode: 'HTML' as const }), link_preview_options: { is_disabled: true }, ...(silent ? { disable_notification: true } : {}) },
        signal,
      ),
    );
    const now = clock.now();
    if (!outcome.ok && isContentRefusal(outcome.failure) && !plain) {
      // Refused for what it says: the same rows go again in the person's next slot as plain text, which fits for certain.
      this.deps.logger.warn({ userId, placeId: batch.lane.placeId, error: outcome.failure.error, length: telegramLength(html) }, 'Telegram refused a private alert for its content; it goes out as plain text instead');
      this.refusedContent.add(head);
      return 'done';
    }
    if (outcome.ok || outcome.failure.kind === 'refused') this.refusedContent.delete(head);
    if (outcome.ok) {
      task.settle(batch.lane, batch.rows, { outcome: 'sent', messageId: outcome.value.message_id });
      this.remember(batch.lane.key, now);
      this.deps.metrics.messagesSent.inc({ kind: 'private_alert' });
      return 'done';
    }
    const failure = outcome.failure;
    switch (failure.kind) {
      case 'stopped':
        return 'stopped';
      case 'throttled':
        if (!transport.waitsInline(failure)) task.settle(batch.lane, batch.rows, { outcome: 'later', at: now + failure.retryAfterMs });
        return 'done';
      case 'transient': {
        const attempts = Math.max(...batch.rows.map((row) => row.attempts));
        task.settle(batch.lane, batch.rows, { outcome: 'retry', retryAt: now + backoffMs(attempts, transport.policy), error: failure.error });
        return 'done';
      }
      case 'refused':
        if (isPersonGone(failure)) {
          // Their queued messages are settled as they come up (no longer a recipient).
          task.record('a subscriber blocked the bot', () => {
            if (this.deps.subscribers.markInactive(userId, now)) this.deps.logger.info({ userId }, 'a subscriber blocked the bot; nothing more is sent until they /start again');
          });
        } else {
          this.deps.logger.warn({ userId, placeId: batch.lane.placeId, error: failure.error }, 'a private alert was refused');
        }
        task.settle(batch.lane, batch.rows, { outcome: 'failed', error: failure.error });
        return 'done';
    }
  }

  private format(batch: Batch): string {
    const context = {
      placeName: batch.placeName,
      timeZone: this.deps.timeZone,
      now: this.deps.clock.now(),
      t: translatorFor(this.deps.i18n, batch.recipient.language),
    };
    if (batch.snoozeSummary) {
      const summary = summarizeSnooze(batch.alerts, context);
      if (summary) return summary.text;
    }
    if (batch.late) return formatDelayed(batch.alerts, context);
    const [only] = batch.alerts;
    return only && batch.alerts.length === 1 ? formatAlert(only, context) : formatFlapping(batch.alerts, context);
  }

  private remember(laneKey: string, at: number): void {
    if (this.deps.flapWindowMs <= 0) return;
    this.lastPostAt.set(laneKey, at);
    if (this.lastPostAt.size <= REMEMBERED_POSTS) return;
    for (const [key, postedAt] of this.lastPostAt) if (at - postedAt >= this.deps.flapWindowMs) this.lastPostAt.delete(key);
  }
}

/** The lane of a person's alerts about one place. */
export function privateLaneKey(userId: number, placeId: number): string {
  return `private_alert:${userId}:${placeId}`;
}
