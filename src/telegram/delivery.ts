import type { Api } from 'grammy';
import type { AdminStore } from '../admins/admin-store.js';
import type { Clock } from '../clock.js';
import type { Store } from '../db/connection.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { AlertPayload } from '../monitor/monitor.js';
import type { LocationRow } from '../monitor/power-store.js';
import type { DeliveryResult, Sender } from '../outbox/dispatcher.js';
import type { OutboxRow } from '../outbox/outbox-store.js';
import { formatAlert, formatFlapping } from './alert-message.js';
import { escapeHtml } from './escape-html.js';
import type { ChatRateLimiter } from './rate-limiter.js';
import { classifyTelegramError, DEFAULT_RETRY_POLICY, type RetryPolicy } from './telegram-errors.js';
import { asLocale, translatorFor, type TranslationSource } from './translator.js';

/** grammY types its signal parameter with the abort-controller shim; Node's AbortSignal is the real thing. */
export type ApiSignal = Parameters<Api['sendMessage']>[3];

/** The private notice admins get once when a place's alerts start failing. */
export interface AlertingFailedNotice {
  notice: 'alerting_failed';
  placeName: string;
  channel: string;
  reason: string;
}

/** Delivers outbox rows of another kind (the diagram issue plugs its handler in here). */
export type KindHandler = (rows: OutboxRow[], signal: AbortSignal) => Promise<DeliveryResult>;

export interface TelegramDeliveryDeps {
  api: Api;
  store: Store;
  admins: AdminStore;
  i18n: TranslationSource;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  limiter: ChatRateLimiter;
  timeZone: string;
  defaultChannelId: string | undefined;
  retryPolicy?: RetryPolicy;
  /** Longest a single Telegram call may take before it counts as a network failure. */
  callTimeoutMs?: number;
  handlers?: Partial<Record<'diagram', KindHandler>>;
}

/**
 * The outbox's Telegram side. Alerts go to the place's channel (or the default one) in the
 * channel's language; several alerts inside the flapping window become one post. When Telegram
 * refuses a channel for good (400/403), the place is flagged with the reason and the admins get
 * one private message; the flag clears on the next successful post.
 */
export class TelegramDelivery implements Sender {
  private readonly policy: RetryPolicy;
  private readonly flagFailure;
  private readonly clearFailure;
  private readonly queueNotice;

  constructor(private readonly deps: TelegramDeliveryDeps) {
    this.policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;
    const sqlite = deps.store.sqlite;
    this.flagFailure = sqlite.prepare('UPDATE locations SET alerting_failed = 1, alerting_error = @reason WHERE id = @id AND alerting_failed = 0');
    this.clearFailure = sqlite.prepare('UPDATE locations SET alerting_failed = 0, alerting_error = NULL WHERE id = ? AND alerting_failed = 1');
    this.queueNotice = sqlite.prepare(
      `INSERT INTO outbox (location_id, kind, payload, created_at, attempts, next_attempt_at) VALUES (@locationId, 'admin_notice', @payload, @now, 0, @now)`,
    );
  }

  async deliver(rows: OutboxRow[], signal: AbortSignal): Promise<DeliveryResult> {
    const kind = rows[0]!.kind;
    const result =
      kind === 'alert'
        ? await this.deliverAlerts(rows, signal)
        : kind === 'admin_notice'
          ? await this.deliverNotice(rows[0]!, signal)
          : await (this.deps.handlers?.diagram?.(rows, signal) ?? Promise.resolve<DeliveryResult>({ outcome: 'failed', error: 'no handler for diagrams' }));
    if (result.outcome === 'sent') this.deps.metrics.messagesSent.inc({ kind });
    if (result.outcome === 'failed') this.deps.metrics.messagesFailed.inc({ kind });
    return result;
  }

  /** Sends with the rate limiter, a timeout, and the outbox's view of errors. */
  async send<T>(chatId: string | number, attempts: number, signal: AbortSignal, call: (signal: ApiSignal) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; result: DeliveryResult & { permanent?: boolean } }> {
    const callSignal = AbortSignal.any([signal, AbortSignal.timeout(this.deps.callTimeoutMs ?? 20_000)]);
    try {
      await this.deps.limiter.acquire(chatId, signal);
      return { ok: true, value: await call(callSignal as unknown as ApiSignal) };
    } catch (error) {
      return { ok: false, result: classifyTelegramError(error, { now: this.deps.clock.now(), attempts, policy: this.policy }) };
    }
  }

  private async deliverAlerts(rows: OutboxRow[], signal: AbortSignal): Promise<DeliveryResult> {
    const location = this.deps.store.sqlite.prepare<[number], LocationRow>('SELECT * FROM locations WHERE id = ?').get(rows[0]!.location_id ?? -1);
    if (!location) return { outcome: 'failed', error: 'the place was deleted' };
    const chat = location.channel_id ?? this.deps.defaultChannelId;
    if (!chat) {
      this.flag(location, 'no channel is linked and DEFAULT_CHANNEL_ID is not set', '—');
      return { outcome: 'failed', error: 'no channel to post to' };
    }
    const alerts = rows.map((row) => (JSON.parse(row.payload) as AlertPayload).alert);
    const context = {
      placeName: location.name,
      timeZone: this.deps.timeZone,
      now: this.deps.clock.now(),
      t: translatorFor(this.deps.i18n, asLocale(location.language)),
    };
    const text = alerts.length === 1 ? formatAlert(alerts[0]!, context) : formatFlapping(alerts, context);
    const attempts = Math.max(...rows.map((row) => row.attempts));
    const sent = await this.send(chat, attempts, signal, (callSignal) =>
      this.deps.api.sendMessage(chat, text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } }, callSignal),
    );
    if (!sent.ok) {
      if (sent.result.permanent && sent.result.outcome === 'failed') this.flag(location, sent.result.error, chat);
      return sent.result;
    }
    this.clearFailure.run(location.id);
    return { outcome: 'sent', messageId: sent.value.message_id };
  }

  /** The channel works again (a post went through): the place's warning goes away. */
  clearFlag(locationId: number): void {
    this.clearFailure.run(locationId);
  }

  /**
   * Flags the place and, the first time only, queues the admins' notice (one transaction).
   * Public for the other kinds' handlers (diagrams), so a refused channel is handled one way.
   */
  flag(location: LocationRow, reason: string, channel: string): void {
    const now = this.deps.clock.now();
    this.deps.store.sqlite.transaction(() => {
      const changed = this.flagFailure.run({ id: location.id, reason }).changes;
      if (changed === 0) return;
      const notice: AlertingFailedNotice = { notice: 'alerting_failed', placeName: location.name, channel, reason };
      this.queueNotice.run({ locationId: location.id, payload: JSON.stringify(notice), now });
    })();
    this.deps.logger.warn({ locationId: location.id, reason }, 'alerts for this place cannot be posted');
  }

  private async deliverNotice(row: OutboxRow, signal: AbortSignal): Promise<DeliveryResult> {
    const notice = JSON.parse(row.payload) as AlertingFailedNotice;
    const admins = await this.deps.admins.list();
    if (admins.length === 0) return { outcome: 'failed', error: 'no admin to tell' };
    let delivered = 0;
    for (const admin of admins) {
      const t = translatorFor(this.deps.i18n, asLocale(admin.language));
      const text = t('notice-alerting-failed', { place: escapeHtml(notice.placeName), channel: escapeHtml(notice.channel), reason: escapeHtml(notice.reason) });
      const sent = await this.send(admin.user_id, row.attempts, signal, (callSignal) =>
        this.deps.api.sendMessage(admin.user_id, text, { parse_mode: 'HTML' }, callSignal),
      );
      if (sent.ok) delivered += 1;
      else if (sent.result.outcome === 'retry' && delivered === 0) return sent.result;
    }
    return delivered > 0 ? { outcome: 'sent', messageId: null } : { outcome: 'failed', error: 'no admin could be reached' };
  }
}
