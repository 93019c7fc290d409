import type { Api } from 'grammy';
import type { Clock } from '../clock.js';
import { DeferredWrites } from '../db/deferred-writes.js';
import { StatusCaptionDelivery } from '../diagram/caption-delivery.js';
import { DiagramDelivery, type DiagramRenderer } from '../diagram/diagram-delivery.js';
import type { DiagramRenderer as RenderWorker } from '../jobs/diagram-renderer.js';
import { localDay } from '../diagram/diagram-schedule.js';
import type { DiagramStore } from '../diagram/diagram-store.js';
import { UnpinDelivery } from '../diagram/unpin-delivery.js';
import { DeliveryPlaces } from '../places/delivery-places.js';
import { PlanNoticeDelivery } from '../schedules/plan-notice-delivery.js';
import { PrivatePlanNoticeDelivery } from '../schedules/private-plan-notice-delivery.js';
import type { PlaceStore } from '../places/place-store.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Deliverers } from '../outbox/dispatcher.js';
import type { OutboxStore } from '../outbox/outbox-store.js';
import { MonthlyReportDelivery } from '../reports/monthly-delivery.js';
import { WeeklyReportDelivery } from '../reports/weekly-delivery.js';
import type { WeeklySummarySource } from '../reports/weekly-summaries.js';
import type { DestinationStore } from '../people/destination-store.js';
import type { SubscriberStore } from '../people/subscriber-store.js';
import { AlertDelivery } from '../alerts/alert-delivery.js';
import type { ChannelTitleStore } from '../places/channel-titles.js';
import { placeWarnings } from '../alerts/place-warnings.js';
import { NoticeDelivery, type AdminDirectory } from '../alerts/notice-delivery.js';
import { PrivateAlertDelivery } from '../alerts/private-delivery.js';
import { ChatRateLimiter, type RateLimits } from '../telegram/rate-limiter.js';
import type { RetryPolicy } from '../telegram/telegram-errors.js';
import { TelegramTransport } from '../telegram/transport.js';
import type { TranslationSource } from '../i18n/translator.js';

export interface TelegramDeliveryOptions {
  /** An Api without auto-retry: a 429 is handled by the rate limiter, per chat. */
  api: Api;
  /** The places' owner, the one the whole service shares. */
  places: PlaceStore;
  outbox: OutboxStore;
  diagrams: DiagramStore;
  renderer: DiagramRenderer & Pick<RenderWorker, 'renderReport'>;
  admins: AdminDirectory;
  /** Writes the weekly summaries (reports/weekly-summaries.ts). */
  weeklySummaries: WeeklySummarySource;
  /** Subscribers' private alerts: who still wants them, in which language, when it is quiet. */
  subscribers: Pick<SubscriberStore, 'recipient' | 'markInactive'>;
  /** A place's forum topic and its chat's quiet hours. */
  destinations: Pick<DestinationStore, 'settingsFor'>;
  channelTitles: Pick<ChannelTitleStore, 'titleOf'>;
  i18n: TranslationSource;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  limits: RateLimits;
  timeZone: string;
  defaultChannelId: string | undefined;
  flapWindowMs: number;
  retryPolicy?: RetryPolicy;
  callTimeoutMs?: number;
  /** A group became a supergroup: its places follow it (src/telegram/chat-migration.ts). */
  onChatMoved?: (from: string, to: string) => void;
  /** Where records of sends wait while the database fails: the dispatcher's (OutboxDispatcher's `deferred`). */
  deferred?: DeferredWrites;
}

/**
 * The outbox's Telegram side: one transport (rate limits, timeouts, what failures mean, the
 * places' warnings) and one deliverer per kind, which the dispatcher routes rows to by kind.
 */
export function createTelegramDeliverers(options: TelegramDeliveryOptions): Deliverers {
  const { api, clock, logger, metrics, i18n, timeZone, defaultChannelId, destinations } = options;
  const places = new DeliveryPlaces(options.places);
  const deferred = options.deferred ?? new DeferredWrites({ logger, now: () => clock.now() });
  const record = (what: string, write: () => void) => deferred.write(what, write);
  const transport = new TelegramTransport({
    record,
    api,
    limiter: new ChatRateLimiter(options.limits),
    warnings: placeWarnings(places, options.outbox),
    clock,
    logger,
    metrics,
    ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
    ...(options.callTimeoutMs ? { callTimeoutMs: options.callTimeoutMs } : {}),
    ...(options.onChatMoved ? { onChatMoved: options.onChatMoved } : {}),
  });
  const { diagrams } = options;
  // After a place's alert went out, the status line of its pinned diagram follows (when it has one today).
  const followAlerts = (placeIds: readonly number[], now: number): void => {
    const day = localDay(now, timeZone);
    for (const id of placeIds) if (diagrams.messageOf(id, day)) record('queue the status caption', () => diagrams.queueStatusCaption(id, now, now));
  };
  return {
    alert: new AlertDelivery({
      transport,
      places,
      outbox: options.outbox,
      destinations,
      i18n,
      clock,
      logger,
      metrics,
      timeZone,
      defaultChannelId,
      flapWindowMs: options.flapWindowMs,
      onPosted: followAlerts,
    }),
    private_alert: new PrivateAlertDelivery({ transport, places, subscribers: options.subscribers, i18n, clock, logger, metrics, timeZone, flapWindowMs: options.flapWindowMs }),
    admin_notice: new NoticeDelivery({ transport, admins: options.admins, channelTitles: options.channelTitles, i18n, clock, metrics, timeZone }),
    diagram: new DiagramDelivery({ transport, renderer: options.renderer, store: diagrams, places, destinations, i18n, clock, logger, metrics, timeZone, defaultChannelId }),
    unpin: new UnpinDelivery({ transport, clock, logger }),
    status_caption: new StatusCaptionDelivery({ transport, store: diagrams, places, outbox: options.outbox, i18n, clock, logger, metrics, timeZone, defaultChannelId }),
    weekly_report: new WeeklyReportDelivery({
      transport,
      places,
      destinations,
      summaries: options.weeklySummaries,
      clock,
      logger,
      metrics,
      timeZone,
      defaultChannelId,
      // A subscriber who blocked the bot: inactive until their next /start (no flag on the place).
      onRecipientGone: (userId, now) => void record('a subscriber blocked the bot', () => options.subscribers.markInactive(userId, now)),
    }),
    monthly_report: new MonthlyReportDelivery({ transport, renderer: options.renderer, places, destinations, clock, logger, metrics, timeZone, defaultChannelId }),
    plan_notice: new PlanNoticeDelivery({ transport, places, destinations, i18n, clock, logger, metrics, timeZone, defaultChannelId }),
    private_plan_notice: new PrivatePlanNoticeDelivery({ transport, places, subscribers: options.subscribers, i18n, clock, logger, metrics, timeZone }),
  };
}
