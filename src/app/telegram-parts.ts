import { Api, type Bot } from 'grammy';
import type { DeferredWrites } from '../db/deferred-writes.js';
import { SetupCodeStore } from '../admins/setup-code.js';
import { createBot } from '../bot/bot.js';
import { BotRunner } from '../bot/bot-runner.js';
import type { BotContext } from '../bot/context.js';
import type { BotServices } from '../bot/deps.js';
import { deviceForRecipes } from '../bot/device-keys.js';
import { installFeatures } from '../bot/features/index.js';
import { LanguageMemory } from '../bot/features/people/language-memory.js';
import { heartbeatUrl } from '../bot/views/esp32-text.js';
import { DiagramRenderer } from '../jobs/diagram-renderer.js';
import { DiagramService } from '../diagram/diagram-service.js';
import type { Metrics } from '../metrics.js';
import { backupDatabase } from '../ops/backup.js';
import type { Deliverers } from '../outbox/dispatcher.js';
import { PlaceInputError } from '../places/place-rules.js';
import type { PlaceService } from '../places/place-service.js';
import { ReportService } from '../reports/report-service.js';
import { ReportStore } from '../reports/report-store.js';
import { WeeklySummaries } from '../reports/weekly-summaries.js';
import type { ScheduleService } from '../schedules/schedule-service.js';
import { SqliteStorageAdapter } from '../sessions/session-storage.js';
import { ChannelTitleStore } from '../places/channel-titles.js';
import { createTelegramDeliverers } from './deliverers.js';
import { TELEGRAM_LIMITS } from '../telegram/rate-limiter.js';
import { asLocale, createI18n, type TranslationSource } from '../i18n/translator.js';
import { databaseTarget, type SystemInput } from './system-input.js';
import type { TableOwners } from './table-owners.js';

/** The parts that exist only with a bot token: the bot and its runner, the deliverers, the render worker, the daily diagrams and reports. */
export interface TelegramParts {
  readonly bot: Bot<BotContext>;
  /** Long polling or the webhook; starts after the server listens. */
  readonly botRunner: BotRunner;
  /** How the outbox's rows reach Telegram, one deliverer per kind. */
  readonly deliverers: Deliverers;
  /** Diagrams and report images are drawn in its worker, never on the main thread. */
  readonly renderer: DiagramRenderer;
  /** The daily diagrams: the hourly schedule and "send diagram now". */
  readonly diagrams: DiagramService;
  /** Weekly summaries and monthly reports: their schedule. */
  readonly reports: ReportService;
}

/** What the Telegram side is built from: the parts made before it, and late-bound ways to reach the ones made after. */
export interface TelegramPartsInput extends SystemInput {
  botToken: string;
  metrics: Metrics;
  tables: TableOwners;
  places: PlaceService;
  schedules: ScheduleService;
  /** The outbox dispatcher's: records of sends wait here while the database fails. */
  deferred: DeferredWrites;
  wakeOutbox: () => void;
  followChatMove: (from: string, to: string) => number;
}

/** The one set of translations (bot, alerts, conversations), the channel titles and the render worker, shared by the bot and the deliverers. */
interface Shared {
  i18n: ReturnType<typeof createI18n<BotContext>>;
  channelTitles: ChannelTitleStore;
  renderer: DiagramRenderer;
}

export function buildTelegramParts(input: TelegramPartsInput): TelegramParts {
  const { config, logger, clock, store, botToken, wakeOutbox } = input;
  const i18n = createI18n<BotContext>({ localeNegotiator: (ctx) => asLocale(ctx.from?.language_code) });
  const bot = createBot({ token: botToken, apiRoot: config.telegramApiRoot, i18n, logger, updates: input.tables.updates });
  // Diagram rows are rendered in the render worker first; the post then waits behind alerts.
  const renderer = new DiagramRenderer({
    database: databaseTarget(config),
    logger,
    onRendered: (seconds) => input.metrics.renderDuration.observe(seconds),
    // The plan strip under the bars, from the main thread's parsed copy of the schedule.
    planOf: (placeId, now) => input.schedules.diagramPlan(placeId, now),
  });
  const shared: Shared = { i18n, channelTitles: new ChannelTitleStore(store.connection), renderer };
  const { timeZone, defaultChannelId } = config;
  const diagrams = new DiagramService({ store: input.tables.diagrams, clock, logger, timeZone, defaultChannelId, wakeOutbox });
  const reports = new ReportService({
    store: new ReportStore(store.connection, input.tables.places),
    outbox: input.tables.outbox,
    places: async () => input.tables.places.reportTargets(),
    // Each subscriber who chose it gets the weekly summary in their private chat too.
    weeklyRecipients: (id) => input.tables.people.subscribers.recipients(id, 'weekly'),
    clock,
    logger,
    timeZone,
    defaultChannelId,
    wakeOutbox,
  });
  const features = installFeatures(bot, botServices(input, shared, diagrams));
  const botRunner = new BotRunner(bot, { token: botToken, publicUrl: config.publicUrl, logger, onReady: () => features.onReady() });
  return { bot, botRunner, deliverers: telegramDeliverers(input, shared), renderer, diagrams, reports };
}

/** One transport to Telegram and one deliverer per kind of row (src/app/deliverers.ts). */
function telegramDeliverers(input: TelegramPartsInput, { i18n, channelTitles, renderer }: Shared): Deliverers {
  const { config, logger, clock, tables, telegram: tuning } = input;
  return createTelegramDeliverers({
    // Its own Api, without the bot's auto-retry: a 429 holds back its chat in the rate limiter.
    api: new Api(input.botToken, { apiRoot: config.telegramApiRoot }),
    places: tables.places,
    outbox: tables.outbox,
    diagrams: tables.diagrams,
    renderer,
    admins: tables.admins,
    weeklySummaries: weeklySummaries(input, i18n),
    subscribers: tables.people.subscribers,
    destinations: tables.people.destinations,
    channelTitles,
    i18n,
    clock,
    logger,
    metrics: input.metrics,
    limits: tuning?.limits ?? { ...TELEGRAM_LIMITS, globalPerSecond: config.telegramGlobalPerSecond },
    timeZone: config.timeZone,
    defaultChannelId: config.defaultChannelId,
    flapWindowMs: config.flapWindowS * 1000,
    ...(tuning?.retryPolicy ? { retryPolicy: tuning.retryPolicy } : {}),
    ...(tuning?.callTimeoutMs ? { callTimeoutMs: tuning.callTimeoutMs } : {}),
    onChatMoved: input.followChatMove,
    deferred: input.deferred,
  });
}

/** The weekly summary's words: a place's week of power, and the plan it followed that week. */
function weeklySummaries({ places, schedules, clock, config }: TelegramPartsInput, i18n: TranslationSource): WeeklySummaries {
  return new WeeklySummaries({
    place: async (id) => {
      try {
        return await places.get(id);
      } catch (error) {
        if (error instanceof PlaceInputError) return undefined;
        throw error;
      }
    },
    events: (id, from, to) => places.eventsBetween(id, from, to),
    // Planned vs real hours: the plan the place followed that week, as the schedules kept it.
    plans: { plannedBetween: (id, from, to) => schedules.plannedBetween(id, from, to) },
    i18n,
    clock,
    timeZone: config.timeZone,
  });
}

/** Everything the bot's features may use; each feature takes only its part (src/bot/deps.ts). */
function botServices(input: TelegramPartsInput, { i18n, channelTitles, renderer }: Shared, diagrams: DiagramService): BotServices {
  const { config, logger, clock, store, tables, places } = input;
  return {
    clock,
    logger,
    translations: i18n,
    admins: tables.admins,
    setupCodes: new SetupCodeStore(tables.serviceState),
    conversationStorage: new SqliteStorageAdapter(store.connection, clock),
    languages: new LanguageMemory(new SqliteStorageAdapter(store.connection, clock), logger),
    places,
    schedules: input.schedules,
    channelTitles,
    diagrams,
    reports: renderer,
    diagramImages: renderer,
    people: tables.people,
    wakeOutbox: input.wakeOutbox,
    backupDatabase: store.dialect === 'sqlite' ? (targetPath) => backupDatabase(store.sqlite, targetPath) : null,
    heartbeatUrl: () => heartbeatUrl(config.publicUrl, config.port || input.port()),
    // The seam for several devices per place: today every recipe carries the place's key.
    deviceKeyFor: deviceForRecipes(places),
    followChatMove: input.followChatMove,
    timeZone: config.timeZone,
    defaultChannelId: config.defaultChannelId,
  };
}
