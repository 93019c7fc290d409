import type { Clock } from '../clock.js';
import type { DeliveryPlaces } from '../places/delivery-places.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { isNonEmpty } from '../non-empty.js';
import type { Deliverer, Lane, TaskContext } from '../outbox/dispatcher.js';
import { parsePayload, PayloadError } from '../outbox/messages.js';
import type { OutboxRow, OutboxStore } from '../outbox/outbox-store.js';
import { PRIORITY } from '../telegram/rate-limiter.js';
import { backoffMs, isMessageGone, isNotModified } from '../telegram/telegram-errors.js';
import type { TelegramTransport } from '../telegram/transport.js';
import { asLocale, translatorFor, type TranslationSource } from '../i18n/translator.js';
import { localDay, localDayStart } from './diagram-schedule.js';
import type { DiagramStore } from './diagram-store.js';
import { captionWithStatus, statusLine } from './status-line.js';

export interface CaptionDeliveryDeps {
  transport: TelegramTransport;
  store: Pick<DiagramStore, 'messageOf' | 'queuedFor' | 'queue'>;
  places: Pick<DeliveryPlaces, 'get'>;
  /** Whether the place still has alerts to post: the status line never runs ahead of them. */
  outbox: Pick<OutboxStore, 'hasUndelivered'>;
  i18n: TranslationSource;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  timeZone: string;
  defaultChannelId: string | undefined;
}

/**
 * Keeps the status line of a place's pinned diagram true (outbox kind 'status_caption', queued
 * after each alert went out and when an admin pauses or resumes the place). Every row of a place
 * waiting at once becomes ONE editMessageCaption with the state as it is when the slot comes, so
 * a burst of changes costs one edit of the latest state. It goes at diagram priority, behind every
 * due alert and notice, and never ahead of the place's own alerts: while one is still to post,
 * the row is dropped, since that alert's post queues the next one (the channel reads the change
 * in the alert first). "Message is not modified" is success; a message that is gone is left to
 * the hourly diagram job (which posts a new one); a refusal is not a place's failure (its alerts
 * got through): it is logged and dropped.
 */
export class StatusCaptionDelivery implements Deliverer {
  constructor(private readonly deps: CaptionDeliveryDeps) {}

  /** All rows of one place share a task, so the task sees them together. */
  taskKey(lane: Lane): string {
    return `place:${lane.placeId}`;
  }

  async run(task: TaskContext): Promise<void> {
    // The task starts as its first row is routed; the place's other rows join it in the same
    // dispatcher pass. One turn later they are all here, and go out as one edit.
    await Promise.resolve();
    for (let lanes = task.due(); isNonEmpty(lanes) && !task.stopping.aborted; lanes = task.due()) {
      const rows = this.validRows(lanes, task);
      if (rows.length === 0) continue;
      const settleAll = (result: Parameters<TaskContext['settle']>[2]): void => {
        for (const [lane, laneRows] of rows) task.settle(lane, laneRows, result);
      };
      const outcome = await this.edit(lanes[0].placeId ?? -1, rows, task);
      if (outcome === 'stopped') return;
      settleAll(outcome);
    }
  }

  /** The due rows by lane, with broken payloads settled on their own. */
  private validRows(lanes: Lane[], task: TaskContext): [Lane, OutboxRow[]][] {
    const valid: [Lane, OutboxRow[]][] = [];
    for (const lane of lanes) {
      const good: OutboxRow[] = [];
      for (const row of lane.rows) {
        try {
          parsePayload('status_caption', row.payload);
          good.push(row);
        } catch (error) {
          if (!(error instanceof PayloadError)) throw error;
          task.settle(lane, [row], { outcome: 'failed', error: error.message });
        }
      }
      if (good.length > 0) valid.push([lane, good]);
    }
    return valid;
  }

  private async edit(placeId: number, rows: [Lane, OutboxRow[]][], task: TaskContext): Promise<Parameters<TaskContext['settle']>[2] | 'stopped'> {
    const { transport, store, places, clock, logger, timeZone } = this.deps;
    const place = places.get(placeId);
    if (!place) return { outcome: 'failed', error: 'the place was deleted' };
    // An alert of the place still to post: it queues a fresh row once it is out.
    if (this.deps.outbox.hasUndelivered(place.id, 'alert')) return { outcome: 'sent', messageId: null };
    const now = clock.now();
    const day = localDay(now, timeZone);
    const chat = place.channel_id ?? this.deps.defaultChannelId;
    const message = store.messageOf(place.id, day);
    // No diagram of today in the place's chat yet: the next post carries the status line.
    if (!chat || !message || message.chat_id !== chat) return { outcome: 'sent', messageId: null };
    const body = message.caption;
    if (body === null) {
      // Posted before captions were kept: redraw it once (the edit writes the status line too).
      if (!store.queuedFor(place.id, day, localDayStart(now, timeZone)).pending) store.queue(place.id, { action: 'edit', day }, now);
      return { outcome: 'sent', messageId: null };
    }

    const sent = await transport.send(chat, PRIORITY.caption, task, async (signal) => {
      // Read when the slot is ours: whatever changed while it waited is in this one edit.
      const current = places.get(place.id) ?? place;
      const t = translatorFor(this.deps.i18n, asLocale(current.language));
      const caption = captionWithStatus(statusLine(current, { now: clock.now(), timeZone, t }), body);
      try {
        await transport.api.editMessageCaption(chat, message.message_id, { caption, parse_mode: 'HTML' }, signal);
        return 'edited' as const;
      } catch (error) {
        if (isNotModified(error)) return 'unchanged' as const;
        if (isMessageGone(error)) return 'gone' as const;
        throw error;
      }
    });
    const count = rows.reduce((sum, [, laneRows]) => sum + laneRows.length, 0);
    if (sent.ok) {
      if (sent.value === 'gone') {
        logger.info({ placeId: place.id, messageId: message.message_id }, "today's diagram is gone; the hourly diagram job posts a new one");
      } else if (sent.value === 'edited') {
        this.deps.metrics.messagesSent.inc({ kind: 'status_caption' });
        if (count > 1) logger.debug({ placeId: place.id, rows: count }, 'status changes shown in one caption edit');
      }
      return { outcome: 'sent', messageId: message.message_id };
    }
    const failure = sent.failure;
    switch (failure.kind) {
      case 'stopped':
        return 'stopped';
      case 'throttled':
        return { outcome: 'later', at: clock.now() + failure.retryAfterMs };
      case 'refused':
        logger.warn({ placeId: place.id, error: failure.error }, 'could not edit the status line of the pinned diagram');
        return { outcome: 'failed', error: failure.error };
      case 'transient': {
        const attempts = Math.max(...rows.flatMap(([, laneRows]) => laneRows.map((row) => row.attempts)));
        return { outcome: 'retry', retryAt: clock.now() + backoffMs(attempts, transport.policy), error: failure.error };
      }
    }
  }
}
