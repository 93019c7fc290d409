import { InputFile, type Api } from 'grammy';
import type { Clock } from '../clock.js';
import type { RenderedDiagram } from './diagram-renderer.js';
import type { Logger } from '../logger.js';
import type { LocationRow } from '../monitor/power-store.js';
import type { DeliveryResult } from '../outbox/dispatcher.js';
import type { OutboxRow } from '../outbox/outbox-store.js';
import type { TelegramDelivery } from '../telegram/delivery.js';
import { isMessageGone, isNotModified } from '../telegram/telegram-errors.js';
import { localDay } from './diagram-schedule.js';
import type { DiagramMessageRow, DiagramPayload, DiagramStore } from './diagram-store.js';

export interface DiagramDeliveryDeps {
  api: Api;
  /** Rate limits, timeouts and error classification shared with alerts; flags a refused channel. */
  telegram: Pick<TelegramDelivery, 'send' | 'flag' | 'clearFlag'>;
  renderer: { render(request: { locationId: number; now: number; timeZone: string }, signal?: AbortSignal): Promise<RenderedDiagram> };
  store: DiagramStore;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  defaultChannelId: string | undefined;
}

/** A render that keeps failing is given up after this many attempts (backing off in between). */
const RENDER_ATTEMPTS = 6;
const RENDER_RETRY_BASE_MS = 5_000;

const SETTLED: DeliveryResult = { outcome: 'sent', messageId: null };

/**
 * Delivers outbox rows of kind 'diagram' (the outbox's KindHandler): renders the place's week in
 * the render worker, then edits today's message in place, or posts it (silently), pins it and
 * unpins the older one. An edit that changes nothing is success; an edit whose message was
 * deleted or can no longer be edited becomes a new post. Every call goes through the alerts'
 * `send`, so 429, 5xx and timeouts are retried the same way, and a channel that refuses for good
 * (400/403) flags the place like a failing alert does.
 */
export class DiagramDelivery {
  constructor(private readonly deps: DiagramDeliveryDeps) {}

  readonly deliver = async (rows: OutboxRow[], signal: AbortSignal): Promise<DeliveryResult> => {
    const row = rows[0]!;
    const payload = parsePayload(row.payload);
    if (!payload) return { outcome: 'failed', error: `not a diagram payload: ${row.payload.slice(0, 100)}` };
    const place = this.deps.store.place(row.location_id ?? -1);
    if (!place) return { outcome: 'failed', error: 'the place was deleted' };
    const now = this.deps.clock.now();
    // A row that waited past midnight: the schedule has queued the new day's post instead.
    if (payload.day !== localDay(now, this.deps.timeZone)) return SETTLED;
    const chat = place.channel_id ?? this.deps.defaultChannelId;
    if (!chat) return SETTLED;

    let diagram: RenderedDiagram;
    try {
      diagram = await this.deps.renderer.render({ locationId: place.id, now, timeZone: this.deps.timeZone }, signal);
    } catch (error) {
      const reason = `render: ${error instanceof Error ? error.message : String(error)}`;
      if (row.attempts + 1 >= RENDER_ATTEMPTS) return { outcome: 'failed', error: reason };
      return { outcome: 'retry', retryAt: now + RENDER_RETRY_BASE_MS * 2 ** row.attempts, error: reason };
    }

    const context: Attempt = { place, chat, day: payload.day, diagram, attempts: row.attempts, signal };
    const current = this.deps.store.messageOf(place.id, payload.day);
    if (current && current.chat_id === chat) {
      const edited = await this.edit(current, context);
      if (edited !== 'gone') return edited;
      this.deps.logger.info({ locationId: place.id, messageId: current.message_id }, "today's diagram message is gone; posting a new one");
    }
    return this.post(context);
  };

  private async edit(current: DiagramMessageRow, attempt: Attempt): Promise<DeliveryResult | 'gone'> {
    const { api } = this.deps;
    const { chat, diagram, signal } = attempt;
    const sent = await this.deps.telegram.send(chat, attempt.attempts, signal, async (callSignal) => {
      try {
        const media = { type: 'photo' as const, media: new InputFile(diagram.png, fileName(attempt.day)), caption: diagram.caption };
        await api.editMessageMedia(chat, current.message_id, media, undefined, callSignal);
        return 'edited' as const;
      } catch (error) {
        if (isNotModified(error)) return 'unchanged' as const;
        if (isMessageGone(error)) return 'gone' as const;
        throw error;
      }
    });
    if (!sent.ok) return this.refused(attempt, sent.result);
    if (sent.value === 'gone') return 'gone';
    this.deps.store.touched(current, this.deps.clock.now());
    this.deps.telegram.clearFlag(attempt.place.id);
    // A pin that failed when it was posted is tried again with each edit.
    if (!current.pinned) await this.pinAndUnpinOlder(current, attempt.signal);
    return { outcome: 'sent', messageId: current.message_id };
  }

  private async post(attempt: Attempt): Promise<DeliveryResult> {
    const { api } = this.deps;
    const { chat, diagram, signal } = attempt;
    const sent = await this.deps.telegram.send(chat, attempt.attempts, signal, (callSignal) =>
      api.sendPhoto(chat, new InputFile(diagram.png, fileName(attempt.day)), { caption: diagram.caption, disable_notification: true }, callSignal),
    );
    if (!sent.ok) return this.refused(attempt, sent.result);
    const message = this.deps.store.saveMessage(attempt.place.id, chat, attempt.day, sent.value.message_id, this.deps.clock.now());
    this.deps.telegram.clearFlag(attempt.place.id);
    this.deps.logger.info({ locationId: attempt.place.id, day: attempt.day, messageId: message.message_id }, 'diagram posted');
    await this.pinAndUnpinOlder(message, signal);
    return { outcome: 'sent', messageId: message.message_id };
  }

  /**
   * Pins the new diagram (silently), then unpins the place's older ones, so the channel always
   * has one pinned. Best effort: the post stands even if pinning is refused (e.g. the bot lacks
   * the right to edit messages); a failed pin is tried again at the next edit.
   */
  private async pinAndUnpinOlder(message: DiagramMessageRow, signal: AbortSignal): Promise<void> {
    const { api, store, clock, logger } = this.deps;
    const pinned = await this.deps.telegram.send(message.chat_id, 0, signal, (callSignal) =>
      api.pinChatMessage(message.chat_id, message.message_id, { disable_notification: true }, callSignal),
    );
    if (!pinned.ok) {
      logger.warn({ locationId: message.location_id, error: errorOf(pinned.result) }, 'could not pin the diagram');
      return;
    }
    store.markPinned(message, true, clock.now());
    for (const older of store.pinnedBesides(message)) {
      const unpinned = await this.deps.telegram.send(older.chat_id, 0, signal, (callSignal) =>
        api.unpinChatMessage(older.chat_id, older.message_id, undefined, callSignal),
      );
      // Refused for good (the message is gone, or was unpinned by hand): nothing left to unpin.
      if (unpinned.ok || unpinned.result.outcome === 'failed') store.markPinned(older, false, clock.now());
      else logger.warn({ locationId: older.location_id, day: older.day, error: errorOf(unpinned.result) }, 'could not unpin an older diagram yet');
    }
  }

  /** A failed send: flags the place when Telegram refuses the channel for good. */
  private refused(attempt: Attempt, result: DeliveryResult & { permanent?: boolean }): DeliveryResult {
    if (result.permanent && result.outcome === 'failed') this.deps.telegram.flag(attempt.place, result.error, attempt.chat);
    return result;
  }
}

interface Attempt {
  place: LocationRow;
  chat: string;
  day: string;
  diagram: RenderedDiagram;
  attempts: number;
  signal: AbortSignal;
}

function fileName(day: string): string {
  return `diagram-${day}.png`;
}

function errorOf(result: DeliveryResult): string {
  return result.outcome === 'sent' ? '' : result.error;
}

function parsePayload(text: string): DiagramPayload | null {
  try {
    const value = JSON.parse(text) as Partial<DiagramPayload>;
    if ((value.action === 'post' || value.action === 'edit') && typeof value.day === 'string' && /^\d{4}-\d\d-\d\d$/.test(value.day)) {
      return { action: value.action, day: value.day };
    }
  } catch {
    // Falls through to "not a diagram payload".
  }
  return null;
}
