import type { Api } from 'grammy';
import type SqliteDatabase from 'better-sqlite3';
import type { Clock } from '../clock.js';
import { DiagramDelivery, type DiagramRenderer } from '../diagram/diagram-delivery.js';
import type { DiagramStore } from '../diagram/diagram-store.js';
import { UnpinDelivery } from '../diagram/unpin-delivery.js';
import { DeliveryPlaces } from '../locations/delivery-places.js';
import { LocationStore } from '../locations/location-store.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Deliverers } from '../outbox/dispatcher.js';
import type { OutboxStore } from '../outbox/outbox-store.js';
import { AlertDelivery } from './alert-delivery.js';
import type { ChannelTitleStore } from './channel-titles.js';
import { NoticeDelivery, type AdminDirectory } from './notice-delivery.js';
import { ChatRateLimiter, type RateLimits } from './rate-limiter.js';
import type { RetryPolicy } from './telegram-errors.js';
import { TelegramTransport } from './transport.js';
import type { TranslationSource } from './translator.js';

export interface TelegramDeliveryOptions {
  /** An Api without auto-retry: a 429 is handled by the rate limiter, per chat. */
  api: Api;
  sqlite: SqliteDatabase.Database;
  /** The locations' owner (one on `sqlite` when not given). */
  locations?: LocationStore;
  outbox: OutboxStore;
  diagrams: DiagramStore;
  renderer: DiagramRenderer;
  admins: AdminDirectory;
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
}

/**
 * The outbox's Telegram side: one transport (rate limits, timeouts, what failures mean, the
 * places' warnings) and one deliverer per kind, which the dispatcher routes rows to by kind.
 */
export function createTelegramDeliverers(options: TelegramDeliveryOptions): Deliverers {
  const { api, clock, logger, metrics, i18n, timeZone, defaultChannelId } = options;
  const places = new DeliveryPlaces(options.locations ?? new LocationStore(options.sqlite));
  const transport = new TelegramTransport({
    api,
    limiter: new ChatRateLimiter(options.limits),
    places,
    outbox: options.outbox,
    clock,
    logger,
    metrics,
    ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
    ...(options.callTimeoutMs ? { callTimeoutMs: options.callTimeoutMs } : {}),
  });
  return {
    alert: new AlertDelivery({ transport, places, outbox: options.outbox, i18n, clock, logger, metrics, timeZone, defaultChannelId, flapWindowMs: options.flapWindowMs }),
    admin_notice: new NoticeDelivery({ transport, admins: options.admins, channelTitles: options.channelTitles, i18n, clock, metrics }),
    diagram: new DiagramDelivery({ transport, renderer: options.renderer, store: options.diagrams, places, clock, logger, metrics, timeZone, defaultChannelId }),
    unpin: new UnpinDelivery({ transport, clock, logger }),
  };
}
