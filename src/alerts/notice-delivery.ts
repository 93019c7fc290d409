import type { Clock } from '../clock.js';
import type { Metrics } from '../metrics.js';
import type { Deliverer, TaskContext } from '../outbox/dispatcher.js';
import { parsePayload, PayloadError, type AdminNoticePayload, type QueueHintNotice } from '../outbox/messages.js';
import { queueHintKeyboard, queueHintText } from '../schedules/queue-hint-text.js';
import type { OutboxRow } from '../outbox/outbox-store.js';
import { clockTime } from '../schedules/local-time.js';
import { channelLabel, type ChannelTitleStore } from '../places/channel-titles.js';
import { formatDuration } from '../i18n/duration.js';
import { escapeHtml } from '../i18n/escape-html.js';
import { PRIORITY } from '../telegram/rate-limiter.js';
import { backoffMs } from '../telegram/telegram-errors.js';
import type { TelegramTransport } from '../telegram/transport.js';
import { asLocale, translatorFor, type Translate, type TranslationSource } from '../i18n/translator.js';
import { fitList, MESSAGE_LIMIT } from '../i18n/telegram-text.js';

/** Who gets the private notices (the admins, each in their own language). */
export interface AdminDirectory {
  list(): Promise<ReadonlyArray<{ user_id: number; language: string | null }>>;
}

export interface NoticeDeliveryDeps {
  transport: TelegramTransport;
  admins: AdminDirectory;
  i18n: TranslationSource;
  clock: Clock;
  metrics: Metrics;
  /** The channel is named by its title when one is known (channel-titles.ts). */
  channelTitles: Pick<ChannelTitleStore, 'titleOf'>;
  /** The zone of the times in device notices ("on the air, 14:02"). */
  timeZone: string;
}

/** Notices that are due together go out as one message (up to this many), not one per place. */
const NOTICES_PER_MESSAGE = 10;

/**
 * Private notices to every admin (outbox kind 'admin_notice'): a place's posts are refused, or
 * have not got through for a while; or what a place's record says about its queue (one message
 * each, with a button that sets the queue). Notices due together — many places flagged during one
 * Telegram outage — go out as one message per admin, so the admins hear about it once.
 */
export class NoticeDelivery implements Deliverer {
  constructor(private readonly deps: NoticeDeliveryDeps) {}

  taskKey(): string {
    return 'admins';
  }

  async run(task: TaskContext): Promise<void> {
    const { transport, clock } = this.deps;
    for (let [lane] = task.due(); lane && !task.stopping.aborted; [lane] = task.due()) {
      const now = clock.now();
      const rows: OutboxRow[] = [];
      const notices: AdminNoticePayload[] = [];
      for (const row of lane.rows) {
        if (row.next_attempt_at > now || rows.length === NOTICES_PER_MESSAGE) continue;
        try {
          const notice = parsePayload('admin_notice', row.payload);
          // A queue hint has its own button: it goes alone (the first one due), never in a batch.
          const hint = notice.notice === 'queue_hint';
          if (hint !== (notices[0]?.notice === 'queue_hint') && notices.length > 0) continue;
          notices.push(notice);
          rows.push(row);
          if (hint) break;
        } catch (error) {
          if (!(error instanceof PayloadError)) throw error;
          task.settle(lane, [row], { outcome: 'failed', error: error.message });
        }
      }
      // Rows and notices are gathered in step: the first notice is there when any row is.
      const [first] = notices;
      if (!first) continue;
      const admins = await this.deps.admins.list();
      if (admins.length === 0) {
        task.settle(lane, rows, { outcome: 'failed', error: 'there is no admin to tell' });
        continue;
      }
      let delivered = 0;
      let lastError = '';
      let transient = false;
      for (const admin of admins) {
        const t = translatorFor(this.deps.i18n, asLocale(admin.language));
        const text = first.notice === 'queue_hint' ? queueHintText(first, t) : this.format(notices as Exclude<AdminNoticePayload, QueueHintNotice>[], t);
        const keyboard = first.notice === 'queue_hint' ? queueHintKeyboard(first, t) : undefined;
        // A device that lost its connection while the power is proven is news, not an alarm.
        const quiet = notices.every((notice) => notice.notice === 'device_silent' || notice.notice === 'device_back');
        const outcome = await transport.send(admin.user_id, PRIORITY.notice, task, (signal) =>
          transport.api.sendMessage(
            admin.user_id,
            text,
            { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}), ...(quiet ? { disable_notification: true } : {}) },
            signal,
          ),
        );
        if (outcome.ok) {
          delivered += 1;
          continue;
        }
        if (outcome.failure.kind === 'stopped') return;
        lastError = outcome.failure.error;
        transient ||= outcome.failure.kind !== 'refused';
      }
      if (delivered > 0) {
        task.settle(lane, rows, { outcome: 'sent', messageId: null });
        this.deps.metrics.messagesSent.inc({ kind: 'admin_notice' });
      } else if (transient) {
        const attempts = Math.max(...rows.map((row) => row.attempts));
        task.settle(lane, rows, { outcome: 'retry', retryAt: clock.now() + backoffMs(attempts, transport.policy), error: lastError });
      } else {
        // Every admin blocked the bot (or never started it): nobody can be told; the place's warning stays.
        task.settle(lane, rows, { outcome: 'failed', error: `no admin could be reached: ${lastError}` });
      }
    }
  }

  private format(notices: Exclude<AdminNoticePayload, QueueHintNotice>[], t: Translate): string {
    const parts = notices.map((notice) => {
      if (notice.notice !== 'alerting_failed') {
        const device = { device: escapeHtml(notice.deviceName), place: escapeHtml(notice.placeName), time: clockTime(notice.at, this.deps.timeZone) };
        if (notice.notice === 'device_online') return t('notice-device-online', device);
        if (notice.notice === 'device_back') return t('notice-device-back', device);
        const silentMs = Math.max(0, notice.at - (notice.silentSince ?? notice.at));
        return t('notice-device-silent', { ...device, duration: formatDuration(silentMs, t), prover: escapeHtml(notice.provedBy ?? '') });
      }
      const variables = {
        place: escapeHtml(notice.placeName),
        channel: channelLabel(notice.channel, this.deps.channelTitles.titleOf(notice.channel), t),
        reason: escapeHtml(notice.reason),
      };
      return notice.cause === 'unreachable'
        ? t('notice-delivery-delayed', { ...variables, minutes: notice.minutes ?? 10 })
        : t('notice-alerting-failed', variables);
    });
    // Many notices at once: the latest that fit in one message, and how many more there were.
    return fitList(parts, (shown, hidden) => [...(hidden > 0 ? [t('notice-more-earlier', { count: hidden })] : []), ...shown].join('\n\n'), MESSAGE_LIMIT);
  }
}
