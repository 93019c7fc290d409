import type { Clock } from '../clock.js';
import type { DeliveryPlace, DeliveryPlaces } from '../places/delivery-places.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Alert } from '../outbox/payload-parts.js';
import { lanePayloads, type Deliverer, type Lane, type TaskContext } from '../outbox/dispatcher.js';
import type { AlertPayload } from '../outbox/messages.js';
import type { OutboxRow, OutboxStore } from '../outbox/outbox-store.js';
import type { DestinationStore } from '../people/destination-store.js';
import { summarizeSnooze } from '../people/snooze-summary.js';
import { isNonEmpty, mapNonEmpty, type NonEmpty } from '../non-empty.js';
import { formatAlert, formatDelayed, formatDigest, formatFlapping } from './alert-message.js';
import { postOptions } from '../people/destination-options.js';
import { paceAlerts } from './alert-pacing.js';
import { isContentRefusal } from '../telegram/telegram-errors.js';
import { plainFallback, telegramLength } from '../i18n/telegram-text.js';
import { PRIORITY } from '../telegram/rate-limiter.js';
import type { TelegramTransport } from '../telegram/transport.js';
import { asLocale, translatorFor, type TranslationSource } from '../i18n/translator.js';

export interface AlertDeliveryDeps {
  transport: TelegramTransport;
  places: DeliveryPlaces;
  /** For the flapping window: when the place's last alert went out. */
  outbox: Pick<OutboxStore, 'lastAlertSentAt'>;
  /** The place's topic and the chat's quiet hours. */
  destinations: Pick<DestinationStore, 'settingsFor'>;
  i18n: TranslationSource;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  timeZone: string;
  defaultChannelId: string | undefined;
  /** Alerts of one place closer than this to its previous post are held and posted as one. */
  flapWindowMs: number;
  /**
   * This many places (or more) due in one chat at once go out as one digest: one by one they
   * would take 3 s each at Telegram's ~20 posts a minute per group, and the last would be stale.
   */
  digestMinPlaces?: number;
  /** An alert first tried this long after it was due is late: the place's pile goes out as one. */
  lateAfterMs?: number;
  /** Told of the places whose alerts just went out (the pinned diagram's status line follows them). */
  onPosted?: (placeIds: readonly number[], now: number) => void;
}

/** One place's alerts that go out as one message. */
interface Batch {
  lane: Lane;
  place: DeliveryPlace;
  chat: string;
  /** The lane's first row: the one the batch is known by. */
  head: OutboxRow;
  rows: OutboxRow[];
  alerts: Alert[];
  /** The plan context of the latest alert in the batch, when it was known. */
  plan: AlertPayload['plan'];
  /** Delivery had failed or waited long: say so, and sum up the pile. */
  late: boolean;
  /** The one post after a snooze, on its own: what happened while it was on. */
  snoozeSummary: boolean;
}

const NO_CHANNEL = 'no channel is linked and DEFAULT_CHANNEL_ID is not set';

/**
 * Posts power alerts (outbox kind 'alert'). All places posting to one chat share a task: when the
 * chat's slot comes, it posts what is due then. One place: its alert, or several that piled up
 * inside the flapping window as one post, or — after an outage of delivery — one post describing
 * what happened meanwhile. Several places at once beyond the chat's budget: one digest. Transient
 * failures retry for ever with a capped backoff and flag the place after a while; a refusal
 * flags it at once and is tried again every few minutes, so once the admin fixes the rights the
 * channel gets the current state in one post.
 */
export class AlertDelivery implements Deliverer {
  private readonly digestMinPlaces: number;
  private readonly lateAfterMs: number;
  /** Head rows whose post Telegram refused for its content: their next try is the plain text (in memory; a restart tries the HTML once more). */
  private readonly refusedContent = new Set<number>();

  constructor(private readonly deps: AlertDeliveryDeps) {
    this.digestMinPlaces = deps.digestMinPlaces ?? 4;
    this.lateAfterMs = deps.lateAfterMs ?? 5 * 60_000;
  }

  /** Places posting to one chat (one topic of it) share a task: their alerts can go as one digest. */
  taskKey(lane: Lane): string {
    const place = this.deps.places.get(lane.placeId ?? -1);
    const chat = place ? this.chatOf(place) : undefined;
    if (!place || !chat) return `place:${lane.placeId}`;
    const thread = this.deps.destinations.settingsFor(place.id, chat).threadId;
    return thread === null ? `chat:${chat}` : `chat:${chat}#${thread}`;
  }

  async run(task: TaskContext): Promise<void> {
    for (;;) {
      const [first] = this.batches(task);
      if (!first) return;
      const { chat } = first;
      if (!(await this.deps.transport.slot(chat, PRIORITY.alert, task))) return;
      // The slot is ours: post what is due now (more places may have joined while it waited).
      const due = this.batches(task).filter((batch) => batch.chat === chat);
      if (!isNonEmpty(due)) continue;
      const sending: NonEmpty<Batch> = due.length >= this.digestMinPlaces ? due : [due[0]];
      if ((await this.post(chat, sending, task)) === 'stopped') return;
    }
  }

  /** The due lanes as batches; settles what cannot be posted (place gone, no channel, bad payload). */
  private batches(task: TaskContext): Batch[] {
    const now = this.deps.clock.now();
    const batches: Batch[] = [];
    for (const lane of task.due()) {
      const place = this.deps.places.get(lane.placeId ?? -1);
      if (!place) {
        task.settle(lane, lane.rows, { outcome: 'failed', error: 'the place was deleted' });
        continue;
      }
      const chat = this.chatOf(place);
      if (!chat) {
        this.deps.transport.flag(place, { channel: '—', reason: NO_CHANNEL, cause: 'refused' });
        task.settle(lane, [lane.rows[0]], { outcome: 'retry', retryAt: now + this.deps.transport.policy.maxDelayMs, error: 'no channel to post to' });
        continue;
      }
      const payloads = lanePayloads(task, lane, 'alert');
      if (!payloads) continue;
      const [head] = lane.rows;
      const pacing = paceAlerts(head, lane.rows.length, now, { lateAfterMs: this.lateAfterMs, flapWindowMs: this.deps.flapWindowMs }, () =>
        this.deps.outbox.lastAlertSentAt(place.id),
      );
      if ('holdUntil' in pacing) {
        task.settle(lane, [head], { outcome: 'later', at: pacing.holdUntil });
        continue;
      }
      const { send: count, late } = pacing;
      const chosen = payloads.slice(0, count);
      batches.push({
        lane,
        place,
        chat,
        head,
        rows: lane.rows.slice(0, count),
        alerts: chosen.flatMap((payload) => payload.snoozed ?? [payload.alert]),
        plan: chosen[chosen.length - 1]?.plan,
        late,
        snoozeSummary: chosen.length === 1 && chosen[0]?.snoozed !== undefined,
      });
    }
    return batches;
  }


  private async post(chat: string, batches: NonEmpty<Batch>, task: TaskContext): Promise<'done' | 'stopped'> {
    const { transport, clock, metrics } = this.deps;
    const html = batches.length === 1 ? this.formatOne(batches[0]) : this.formatDigest(chat, batches);
    const options = this.optionsFor(chat, batches);
    const heads = batches.map((batch) => batch.head.id);
    const plain = heads.some((id) => this.refusedContent.has(id));
    const text = plain ? plainFallback(html) : html;
    const outcome = await transport.call(chat, task, (signal) =>
      transport.api.sendMessage(chat, text, { ...(plain ? {} : { parse_mode: 'HTML' as const }), link_preview_options: { is_disabled: true }, ...options }, signal),
    );
    const now = clock.now();
    if (outcome.ok) {
      for (const id of heads) this.refusedContent.delete(id);
      for (const batch of batches) {
        task.settle(batch.lane, batch.rows, { outcome: 'sent', messageId: outcome.value.message_id });
        transport.clearFlag(batch.place.id);
        for (const row of batch.rows) metrics.alertDeliverySeconds.observe((now - row.created_at) / 1000);
      }
      metrics.messagesSent.inc({ kind: batches.length > 1 ? 'digest' : 'alert' });
      this.afterPosted(batches, now);
      if (batches.length > 1) this.deps.logger.info({ chat, places: batches.length }, 'alerts of several places posted as one digest');
      return 'done';
    }
    const failure = outcome.failure;
    switch (failure.kind) {
      case 'stopped':
        return 'stopped';
      case 'throttled':
        // A short wait is taken in the limiter (the next slot comes after it); a long one goes back to the outbox.
        if (!transport.waitsInline(failure)) for (const batch of batches) task.settle(batch.lane, batch.rows, { outcome: 'later', at: now + failure.retryAfterMs });
        return 'done';
      case 'transient':
        for (const batch of batches) {
          const failingSince = batch.head.failing_since ?? now;
          const attempts = Math.max(...batch.rows.map((row) => row.attempts));
          const retryAt = transport.afterTransientFailure(batch.place, chat, failure, attempts, failingSince);
          task.settle(batch.lane, batch.rows, { outcome: 'retry', retryAt, error: failure.error });
        }
        return 'done';
      case 'refused':
        if (isContentRefusal(failure)) {
          this.deps.logger.warn(
            { chat, places: batches.map((batch) => batch.place.id), error: failure.error, length: telegramLength(text, { html: !plain }), plain },
            plain ? 'Telegram refused even the plain alert post; it is dropped so later alerts go out' : 'Telegram refused an alert post for its content; it goes out as plain text instead',
          );
          if (plain) {
            // Never blocks the place: given up on, so the next alerts are not held behind it.
            for (const id of heads) this.refusedContent.delete(id);
            for (const batch of batches) task.settle(batch.lane, batch.rows, { outcome: 'failed', error: failure.error });
          } else {
            // The same rows go again at once (in the next slot) as plain text, which fits for certain.
            for (const id of heads) this.refusedContent.add(id);
          }
          return 'done';
        }
        // Tried again every few minutes: once the admin fixes the bot's rights, the channel gets
        // the current state (everything that piled up, as one post) and the warning clears.
        for (const batch of batches) {
          transport.flag(batch.place, { channel: chat, reason: failure.error, cause: 'refused' });
          task.settle(batch.lane, batch.rows, { outcome: 'retry', retryAt: now + transport.policy.maxDelayMs, error: failure.error });
        }
        return 'done';
    }
  }

  /** Never lets a follower's failure undo a post that went out. */
  private afterPosted(batches: readonly Batch[], now: number): void {
    if (!this.deps.onPosted) return;
    try {
      this.deps.onPosted(batches.map((batch) => batch.place.id), now);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'queueing what follows an alert failed');
    }
  }

  /**
   * The topic the places post into (one per task), silent when any of them has the chat in its
   * quiet hours now: quiet hours are set for a chat, whichever of its places they were set with.
   */
  private optionsFor(chat: string, batches: NonEmpty<Batch>) {
    const now = this.deps.clock.now();
    const each = mapNonEmpty(batches, (batch) => postOptions(this.deps.destinations.settingsFor(batch.place.id, chat), now, this.deps.timeZone));
    const { message_thread_id } = each[0];
    return {
      ...(message_thread_id === undefined ? {} : { message_thread_id }),
      ...(each.some((options) => options.disable_notification) ? { disable_notification: true } : {}),
    };
  }

  private formatOne(batch: Batch): string {
    const context = {
      placeName: batch.place.name,
      timeZone: this.deps.timeZone,
      now: this.deps.clock.now(),
      t: translatorFor(this.deps.i18n, asLocale(batch.place.language)),
    };
    if (batch.snoozeSummary) {
      const summary = summarizeSnooze(batch.alerts, context);
      if (summary) return summary.text;
    }
    if (batch.late) return formatDelayed(batch.alerts, context, batch.plan);
    const [only] = batch.alerts;
    return only && batch.alerts.length === 1 ? formatAlert(only, context, batch.plan) : formatFlapping(batch.alerts, context, batch.plan);
  }

  private formatDigest(chat: string, batches: NonEmpty<Batch>): string {
    const counts = this.deps.places.countInChat(chat, this.deps.defaultChannelId);
    return formatDigest(
      batches.map((batch) => ({ placeName: batch.place.name, alerts: batch.alerts, delayed: batch.late })),
      {
        timeZone: this.deps.timeZone,
        now: this.deps.clock.now(),
        t: translatorFor(this.deps.i18n, asLocale(batches[0].place.language)),
        total: Math.max(counts.total, batches.length),
        off: counts.off,
      },
    );
  }

  private chatOf(place: DeliveryPlace): string | undefined {
    return place.channel_id ?? this.deps.defaultChannelId;
  }
}
