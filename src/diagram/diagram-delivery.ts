import { InputFile } from 'grammy';
import type { Clock } from '../clock.js';
import type { DeliveryPlace, DeliveryPlaces } from '../places/delivery-places.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { deliverHeadRows, type Deliverer, type DeliveryResult, type Lane, type TaskContext } from '../outbox/dispatcher.js';
import { parsePayload, PayloadError } from '../outbox/messages.js';
import type { OutboxRow } from '../outbox/outbox-store.js';
import { PRIORITY } from '../telegram/rate-limiter.js';
import { isMessageGone, isNotModified } from '../telegram/telegram-errors.js';
import type { CallOutcome, TelegramTransport } from '../telegram/transport.js';
import { asLocale, translatorFor, type TranslationSource } from '../i18n/translator.js';
import type { DestinationStore } from '../people/destination-store.js';
import { localDay } from './diagram-schedule.js';
import type { DiagramMessageRow, DiagramStore } from './diagram-store.js';
import { captionWithStatus, statusLine } from './status-line.js';

/** A week's diagram as the renderer (jobs/diagram-renderer.ts) hands it back. */
export interface RenderedDiagram {
  png: Buffer;
  /** Place name and week, then the week's totals, in the place's language (HTML: the name is escaped). */
  caption: string;
  renderMs: number;
}

export interface DiagramRenderer {
  render(request: { placeId: number; now: number; timeZone: string }, signal?: AbortSignal): Promise<RenderedDiagram>;
}

export interface DiagramDeliveryDeps {
  transport: TelegramTransport;
  renderer: DiagramRenderer;
  store: DiagramStore;
  places: DeliveryPlaces;
  /** The status line over the caption is written in the place's language. */
  i18n: TranslationSource;
  /** The place's forum topic, when it posts into one. */
  destinations: Pick<DestinationStore, 'settingsFor'>;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  timeZone: string;
  defaultChannelId: string | undefined;
  /**
   * Diagrams rendered ahead of their post, at most (each holds its PNG until it is posted). The
   * post waits behind every alert and notice, so this bounds memory, never an alert.
   */
  maxInFlight?: number;
}

/** A render that keeps failing is given up after this many attempts (backing off in between). */
const RENDER_ATTEMPTS = 6;
const RENDER_RETRY_BASE_MS = 5_000;

const SETTLED: DeliveryResult = { outcome: 'sent', messageId: null };

/**
 * Delivers outbox rows of kind 'diagram'. Two stages: the render (in the render worker, no send
 * slot held), then the post at diagram priority, behind every due alert: today's message is
 * edited in place, or posted silently where there is none. Pinning it (and queueing the unpin of
 * the older one) follows outside the task, so a channel's spacing between the post and the pin
 * holds no render slot. An edit that changes nothing is success; an edit whose message is gone
 * becomes a new post. A channel that refuses for good flags the place, as a failing alert does.
 *
 * The caption starts with the place's status line (status-line.ts), written when the slot is
 * granted, right before the call, not when the picture was drawn: an hourly edit rendered before
 * a change must not put the old state back over the caption edit that followed the alert.
 */
export class DiagramDelivery implements Deliverer {
  readonly maxTasks: number;

  constructor(private readonly deps: DiagramDeliveryDeps) {
    this.maxTasks = deps.maxInFlight ?? 4;
  }

  taskKey(lane: Lane): string {
    return lane.key;
  }

  run(task: TaskContext): Promise<void> {
    return deliverHeadRows(task, (row) => this.deliver(row, task));
  }

  private async deliver(row: OutboxRow, task: TaskContext): Promise<DeliveryResult> {
    let day: string;
    try {
      day = parsePayload('diagram', row.payload).day;
    } catch (error) {
      if (error instanceof PayloadError) return { outcome: 'failed', error: error.message };
      throw error;
    }
    const place = this.deps.places.get(row.location_id ?? -1);
    if (!place) return { outcome: 'failed', error: 'the place was deleted' };
    const now = this.deps.clock.now();
    // A row that waited past midnight: the schedule has queued the new day's post instead.
    if (day !== localDay(now, this.deps.timeZone)) return SETTLED;
    const chat = place.channel_id ?? this.deps.defaultChannelId;
    if (!chat) return SETTLED;

    let diagram: RenderedDiagram;
    try {
      diagram = await this.deps.renderer.render({ placeId: place.id, now, timeZone: this.deps.timeZone }, task.stopping);
    } catch (error) {
      if (task.stopping.aborted) return { outcome: 'untouched' };
      const reason = `render: ${error instanceof Error ? error.message : String(error)}`;
      if (row.attempts + 1 >= RENDER_ATTEMPTS) return { outcome: 'failed', error: reason };
      return { outcome: 'retry', retryAt: this.deps.clock.now() + RENDER_RETRY_BASE_MS * 2 ** row.attempts, error: reason };
    }

    const attempt: Attempt = { row, place, chat, day, diagram, task };
    const current = this.deps.store.messageOf(place.id, day);
    if (current && current.chat_id === chat) {
      const edited = await this.edit(current, attempt);
      if (edited !== 'gone') return edited;
      this.deps.logger.info({ placeId: place.id, messageId: current.message_id }, "today's diagram message is gone; posting a new one");
    }
    return this.post(attempt);
  }

  private async edit(current: DiagramMessageRow, attempt: Attempt): Promise<DeliveryResult | 'gone'> {
    const { transport } = this.deps;
    const { chat, diagram } = attempt;
    const sent = await transport.send(chat, PRIORITY.diagram, attempt.task, async (signal) => {
      try {
        const caption = this.captionNow(attempt);
        const media = { type: 'photo' as const, media: new InputFile(diagram.png, fileName(attempt.day)), caption, parse_mode: 'HTML' as const };
        await transport.api.editMessageMedia(chat, current.message_id, media, undefined, signal);
        return 'edited' as const;
      } catch (error) {
        if (isNotModified(error)) return 'unchanged' as const;
        if (isMessageGone(error)) return 'gone' as const;
        throw error;
      }
    });
    if (!sent.ok) return this.failed(attempt, sent);
    if (sent.value === 'gone') return 'gone';
    const now = this.deps.clock.now();
    attempt.task.record('diagram edited', () => {
      this.deps.store.touched(current, now);
      this.deps.store.saveCaption(current, diagram.caption);
    });
    transport.clearFlagUnlessAlertsWait(attempt.place.id);
    this.deps.metrics.messagesSent.inc({ kind: 'diagram' });
    // A pin that failed when it was posted is tried again with each edit.
    if (!current.pinned) attempt.task.follow(this.pin(current, attempt.task));
    return { outcome: 'sent', messageId: current.message_id };
  }

  private async post(attempt: Attempt): Promise<DeliveryResult> {
    const { transport } = this.deps;
    const { chat, diagram } = attempt;
    const thread = this.deps.destinations.settingsFor(attempt.place.id, chat).threadId;
    // Always silent: a diagram is for looking at, not for waking anyone.
    const options = { parse_mode: 'HTML' as const, disable_notification: true, ...(thread === null ? {} : { message_thread_id: thread }) };
    const sent = await transport.send(chat, PRIORITY.diagram, attempt.task, (signal) =>
      // The status line is read now, when the slot is granted: never older than the alert before it.
      transport.api.sendPhoto(chat, new InputFile(diagram.png, fileName(attempt.day)), { ...options, caption: this.captionNow(attempt) }, signal),
    );
    if (!sent.ok) return this.failed(attempt, sent);
    const messageId = sent.value.message_id;
    const now = this.deps.clock.now();
    const saved: { message?: DiagramMessageRow } = {};
    // Recorded before the row is settled as sent; while the database fails, both wait in order.
    attempt.task.record('diagram posted', () => {
      saved.message = this.deps.store.saveMessage(attempt.place.id, chat, attempt.day, messageId, now);
      this.deps.store.saveCaption(saved.message, diagram.caption);
    });
    transport.clearFlagUnlessAlertsWait(attempt.place.id);
    this.deps.metrics.messagesSent.inc({ kind: 'diagram' });
    this.deps.logger.info({ placeId: attempt.place.id, day: attempt.day, messageId }, 'diagram posted');
    // Kept for later (the database failing): it is recorded unpinned, and the next edit pins it.
    if (saved.message) attempt.task.follow(this.pin(saved.message, attempt.task));
    return { outcome: 'sent', messageId };
  }

  /**
   * Pins the new diagram (silently), then queues the unpin of the place's older ones, so the
   * channel keeps one pinned. Best effort: the post stands even if pinning is refused (e.g. the
   * bot lacks the right to edit messages); a failed pin is tried again at the next edit.
   */
  private async pin(message: DiagramMessageRow, task: TaskContext): Promise<void> {
    const { transport, store, clock, logger } = this.deps;
    const pinned = await transport.send(message.chat_id, PRIORITY.diagram, task, (signal) =>
      transport.api.pinChatMessage(message.chat_id, message.message_id, { disable_notification: true }, signal),
    );
    if (!pinned.ok) {
      if (pinned.failure.kind !== 'stopped') logger.warn({ placeId: message.location_id, error: pinned.failure.error }, 'could not pin the diagram');
      return;
    }
    const now = clock.now();
    task.record('diagram pinned', () => {
      store.markPinned(message, true, now);
      store.unpinOlder(message, now);
    });
  }

  /** The caption as it must read now: the place's current status line over the rendered totals. */
  private captionNow(attempt: Attempt): string {
    const place = this.deps.places.get(attempt.place.id) ?? attempt.place;
    const t = translatorFor(this.deps.i18n, asLocale(place.language));
    return captionWithStatus(statusLine(place, { now: this.deps.clock.now(), timeZone: this.deps.timeZone, t }), attempt.diagram.caption);
  }

  /** A failed post or edit: back off, or flag the place when Telegram refuses the channel for good. */
  private failed(attempt: Attempt, outcome: CallOutcome<unknown> & { ok: false }): DeliveryResult {
    return this.deps.transport.channelPostFailure(attempt.place, attempt.chat, attempt.row, outcome);
  }
}

interface Attempt {
  row: OutboxRow;
  place: DeliveryPlace;
  chat: string;
  day: string;
  diagram: RenderedDiagram;
  task: TaskContext;
}

function fileName(day: string): string {
  return `diagram-${day}.png`;
}
