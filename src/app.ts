import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from './clock.js';
import { ClockSteps } from './clock-steps.js';
import type { Config } from './config.js';
import { ensureDatabaseFolder, openStore, type Store } from './db/connection.js';
import { DeferredWrites } from './db/deferred-writes.js';
import { FaultEpisodes, storageFaultOf } from './db/storage-faults.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireInstanceLock, INSTANCE_CLAIM_KEY, readInstanceClaim, type InstanceLock } from './db/instance-lock.js';
import { explainOpenFailure } from './db/open-errors.js';
import { ping } from './db/sync-query.js';
import { createHttpApp, type HealthReport } from './http/app.js';
import { FailureThrottle } from './http/failure-throttle.js';
import { createHttpServer } from './http/server.js';
import { HoldingServer } from './http/holding-server.js';
import { TimeoutSweep } from './jobs/timeout-sweep.js';
import { PlaceService } from './places/place-service.js';
import { PlaceStore } from './places/place-store.js';
import { DeviceStore } from './devices/device-store.js';
import { PowerEventStore } from './history/power-event-store.js';
import { ServiceStateStore } from './db/service-state.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { Monitor } from './monitor/monitor.js';
import { PowerStore } from './monitor/power-store.js';
import { LoggingSender, OutboxDispatcher, senderDeliverers, type Deliverers, type Sender } from './outbox/dispatcher.js';
import { OutboxStore } from './outbox/outbox-store.js';
import { pruneOldRows } from './ops/retention.js';
import { ScheduleService } from './schedules/schedule-service.js';
import { AdminStore } from './admins/admin-store.js';
import { createBot } from './bot/bot.js';
import { BotRunner } from './bot/bot-runner.js';
import type { BotContext } from './bot/context.js';
import { installFeatures } from './bot/features/index.js';
import { heartbeatUrl } from './bot/views/esp32-text.js';
import { deviceForRecipes } from './bot/device-keys.js';
import { SetupCodeStore } from './admins/setup-code.js';
import { SqliteStorageAdapter } from './sessions/session-storage.js';
import { LanguageMemory } from './bot/features/people/language-memory.js';
import { backupDatabase } from './ops/backup.js';
import { createTelegramDeliverers } from './telegram/delivery.js';
import { followChatMove } from './telegram/chat-migration.js';
import { transaction } from './db/sync-query.js';
import { ChannelTitleStore } from './telegram/channel-titles.js';
import { DiagramService } from './diagram/diagram-service.js';
import { DiagramStore } from './diagram/diagram-store.js';
import { DiagramRenderer } from './diagram/diagram-renderer.js';
import { localDay } from './diagram/diagram-schedule.js';
import { PlaceInputError } from './places/place-rules.js';
import { ReportService } from './reports/report-service.js';
import { ReportStore } from './reports/report-store.js';
import { WeeklySummaries } from './reports/weekly-summaries.js';
import { TELEGRAM_LIMITS, type RateLimits } from './telegram/rate-limiter.js';
import type { RetryPolicy } from './telegram/telegram-errors.js';
import { asLocale, createI18n, type TranslationSource } from './telegram/translator.js';
import { Api, type Bot } from 'grammy';
import { DeliveryPlaces } from './places/delivery-places.js';
import { DestinationStore } from './people/destination-store.js';
import { InviteStore } from './people/invite-store.js';
import { PlaceAlerts } from './people/place-alerts.js';
import { SnoozeStore } from './people/snooze-store.js';
import { SubscriberStore } from './people/subscriber-store.js';

const RETENTION_EVERY_MS = 24 * 3600_000;
/** At start, a database that cannot even be opened for a storage fault is tried again this often. */
const OPEN_RETRY_MS = 2_000;
/** How often snoozes that ran out are ended (their summary queued), even for a quiet place. */
const SNOOZE_CHECK_EVERY_MS = 15_000;

/** The people around places (src/people/): who follows them, invite links, snoozes, chats' topics and quiet hours. */
export interface PeopleStores {
  subscribers: SubscriberStore;
  invites: InviteStore;
  snoozes: SnoozeStore;
  destinations: DestinationStore;
  /** Where a place's alert goes: its chat and its subscribers, or held by its snooze. */
  alerts: PlaceAlerts;
}

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  sender?: Sender;
  /** Tests drive the sweep themselves with a controlled clock. */
  runSweepWorker?: boolean;
  /** Tests shorten Telegram backoffs and spacing. */
  telegram?: { retryPolicy?: RetryPolicy; limits?: RateLimits; callTimeoutMs?: number };
}

/**
 * The whole service in one object: storage, the state machine, the HTTP side, the background
 * jobs and the outbox. `start()` brings it up in dependency order, `stop()` takes it down in reverse.
 */
export class App {
  readonly clock: Clock;
  /** Steps of the wall clock (NTP, an admin): the monitor and the daily jobs adjust to them. */
  clockSteps!: ClockSteps;
  readonly metrics: Metrics;
  /** When this process started (for /health's uptime). */
  readonly startedAt: number;
  store!: Store;
  powerStore!: PowerStore;
  /** The places' one owner, shared by every store that needs a place. */
  placeStore!: PlaceStore;
  serviceState!: ServiceStateStore;
  monitor!: Monitor;
  locations!: PlaceService;
  /** Outage schedules: sources polled, places' queues, the plan now (src/schedules/). */
  schedules!: ScheduleService;
  outbox!: OutboxDispatcher;
  admins!: AdminStore;
  people!: PeopleStores;
  bot: Bot<BotContext> | null = null;
  /** The daily diagrams (only with Telegram): the hourly schedule and "send diagram now". */
  diagrams: DiagramService | null = null;
  /** Weekly summaries and monthly reports (only with Telegram): their schedule. */
  reports: ReportService | null = null;
  private renderer: DiagramRenderer | null = null;
  /** Channel titles for the chat and the admin notices (made with the bot). */
  private channelTitles: ChannelTitleStore | null = null;
  /** The one set of translations (bot, alerts, conversations), made with the bot. */
  private translations: TranslationSource | null = null;
  private botRunner: BotRunner | null = null;
  private server: Server | null = null;
  /** 503 on the port while the database cannot be opened yet (see untilStorageWorks). */
  private holding: HoldingServer | null = null;
  private sweep: TimeoutSweep | null = null;
  private retentionTimer: NodeJS.Timeout | null = null;
  private snoozeTimer: NodeJS.Timeout | null = null;
  private accepting = false;
  private stopped = false;
  private instanceLock: InstanceLock | null = null;
  /** The timers' storage faults, logged once per episode rather than at every tick. */
  private timerFaults: FaultEpisodes;

  constructor(private readonly options: AppOptions) {
    this.clock = options.clock ?? systemClock;
    this.startedAt = this.clock.now();
    this.metrics = createMetrics(() => this.countByStatus());
    this.timerFaults = new FaultEpisodes(options.logger);
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.holding?.port ?? 0;
  }

  async start(): Promise<void> {
    const { config, logger } = this.options;
    await this.untilStorageWorks('claim the database', () => this.claimDatabase(config.databasePath));
    // A file that opens but cannot be written (full disk, read-only, locked) does not stop the
    // start: the service comes up refusing heartbeats with 503 until writes work (see below).
    this.store = await this.untilStorageWorks('open the database', () => openStore(config.databasePath, { writeFaults: 'tolerate' }));
    if (this.store.writeFault) {
      const fault = this.store.writeFault;
      logger.error(
        { err: fault, fault: storageFaultOf(fault) },
        `${fault instanceof Error ? fault.message : String(fault)}\nStarting anyway: heartbeats get 503 and /health says db: error until the database can be written; then the service carries on by itself.`,
      );
    }
    // The outbox's one owner: every producer queues through it, the dispatcher settles through it.
    const outboxStore = new OutboxStore(this.store.sqlite);
    // The one owner of the locations table, shared by every store and service that needs a place.
    const placeStore = new PlaceStore(this.store.sqlite);
    this.placeStore = placeStore;
    this.serviceState = new ServiceStateStore(this.store.sqlite);
    const diagramStore = new DiagramStore(this.store.sqlite, outboxStore, placeStore);
    this.people = this.createPeople(outboxStore, placeStore);
    // A place's alerts reach the outbox through the fan-out: its chat, its subscribers, its snooze.
    const owners = {
      places: placeStore,
      events: new PowerEventStore(this.store.sqlite),
      devices: new DeviceStore(this.store.sqlite),
      serviceState: this.serviceState,
      outbox: this.people.alerts,
    };
    this.powerStore = new PowerStore(this.store.sqlite, owners);
    if (this.instanceLock) this.recordClaim(this.instanceLock);
    this.admins = new AdminStore(this.store.sqlite, config.ownerId);
    // What Telegram accepted while the database could not be written waits here until it can.
    const deferred = new DeferredWrites({ logger, now: () => this.clock.now(), withoutWaiting: (work) => this.powerStore.withoutWaiting(work) });
    const deliverers: Deliverers = this.options.sender
      ? senderDeliverers(this.options.sender, this.clock)
      : (this.createTelegramSide(outboxStore, diagramStore, deferred) ?? senderDeliverers(new LoggingSender(logger), this.clock));
    this.outbox = new OutboxDispatcher(outboxStore, deliverers, this.clock, logger, {
      deferred,
      onGivenUp: (kind) => this.metrics.messagesFailed.inc({ kind }),
      // While the database cannot be written, nothing can be marked sent: wait instead of failing every row.
      isStorageFailing: () => this.monitor.storage.failing,
    });
    this.clockSteps = new ClockSteps(this.clock, logger);
    this.monitor = new Monitor({
      store: this.powerStore,
      owners,
      clock: this.clock,
      clockSteps: this.clockSteps,
      logger,
      metrics: this.metrics,
      onQueued: () => this.outbox.wake(),
      // The plan as it was when the power changed, carried in the alert's row.
      alertPlan: (placeId, alert) => this.schedules?.alertPlan(placeId, alert) ?? null,
    });
    this.locations = new PlaceService(owners, this.monitor, this.clock, {
      pinnedOf: (id) => diagramStore.pinnedOf(id),
      unpinLater: (messages, now) => {
        diagramStore.unpinLater(messages, now);
        this.outbox.wake();
      },
      statusChanged: (id, now) => {
        if (!this.bot || !diagramStore.messageOf(id, localDay(now, config.timeZone))) return;
        diagramStore.queueStatusCaption(id, now, now);
        this.outbox.wake();
      },
    });
    this.schedules = new ScheduleService({
      sqlite: this.store.sqlite,
      places: placeStore,
      sources: config.scheduleSources,
      pollMs: config.schedulePollMin * 60_000,
      zone: config.timeZone,
      clock: this.clock,
      logger,
      metrics: this.metrics,
      locations: this.locations,
      // Schedule posts fan out like alerts: the chat, and the subscribers who chose warnings.
      outbox: this.people.alerts,
      subscriberWarnings: this.people.alerts,
      wakeOutbox: () => this.outbox.wake(),
    });
    if (this.bot) {
      this.diagrams = new DiagramService({
        store: diagramStore,
        clock: this.clock,
        logger,
        timeZone: config.timeZone,
        defaultChannelId: config.defaultChannelId,
        wakeOutbox: () => this.outbox.wake(),
      });
      this.reports = new ReportService({
        store: new ReportStore(this.store.sqlite, placeStore),
        outbox: outboxStore,
        places: async () => placeStore.reportTargets(),
        // Each subscriber who chose it gets the weekly summary in their private chat too.
        weeklyRecipients: (id) => this.people.subscribers.recipients(id, 'weekly'),
        clock: this.clock,
        logger,
        timeZone: config.timeZone,
        defaultChannelId: config.defaultChannelId,
        wakeOutbox: () => this.outbox.wake(),
      });
      const features = installFeatures(this.bot, {
        clock: this.clock,
        logger,
        translations: this.translations!,
        admins: this.admins,
        setupCodes: new SetupCodeStore(this.serviceState),
        conversationStorage: new SqliteStorageAdapter(this.store.sqlite, this.clock),
        languages: new LanguageMemory(new SqliteStorageAdapter(this.store.sqlite, this.clock), logger),
        locations: this.locations,
        schedules: this.schedules,
        channelTitles: this.channelTitles!,
        diagrams: this.diagrams ?? undefined,
        reports: this.renderer ?? undefined,
        diagramImages: this.renderer ?? undefined,
        people: this.people,
        wakeOutbox: () => this.outbox.wake(),
        backupDatabase: (targetPath) => backupDatabase(this.store.sqlite, targetPath),
        heartbeatUrl: () => heartbeatUrl(config.publicUrl, config.port || this.port),
        // The seam for several devices per place: today every recipe carries the place's key.
        deviceKeyFor: deviceForRecipes(this.locations),
        followChatMove: (from, to) => this.followChatMove(from, to),
        timeZone: config.timeZone,
        defaultChannelId: config.defaultChannelId,
      });
      this.botRunner = new BotRunner(this.bot, { token: config.botToken!, publicUrl: config.publicUrl, logger, onReady: () => features.onReady() });
    }

    if (this.store.writeFault) this.monitor.storageFailedAtStart(this.store.writeFault);
    this.monitor.start();
    // After the monitor (which moves the stored times first), the timers fire from the new time.
    this.clockSteps.onStep((step) => {
      this.outbox.clockStepped(step);
      this.diagrams?.clockStepped();
      this.reports?.clockStepped();
    });
    this.clockSteps.start();
    this.pruneOldRows();
    this.retentionTimer = setInterval(() => this.pruneOldRows(), RETENTION_EVERY_MS);
    this.retentionTimer.unref();
    this.snoozeTimer = setInterval(() => this.endDueSnoozes(), SNOOZE_CHECK_EVERY_MS);
    this.snoozeTimer.unref();
    this.outbox.start();
    this.diagrams?.start();
    this.reports?.start();
    this.schedules.start();

    if (this.options.runSweepWorker ?? true) {
      this.sweep = new TimeoutSweep({
        databasePath: config.databasePath,
        logger,
        onExpired: (ids) => this.monitor.runInBackground('sweep', () => this.monitor.expire(ids)),
      });
      await this.sweep.start();
    }

    const http = createHttpApp({
      monitor: this.monitor,
      metrics: this.metrics,
      throttle: new FailureThrottle(),
      clock: this.clock,
      logger,
      isAccepting: () => this.accepting,
      health: () => this.health(),
      startedAt: this.startedAt,
      trustProxy: config.trustProxy,
      firmwareDir: config.firmwareDir,
      extraRoutes: [this.botRunner?.webhookRoutes()].filter((routes) => routes != null),
    });
    this.accepting = true;
    // The port the holding server answered on (the same one, when any port would do).
    const port = config.port || (this.holding?.port ?? 0);
    await this.releasePort();
    this.server = await new Promise<Server>((resolve, reject) => {
      const server = createHttpServer(http.callback());
      server.listen(port, () => resolve(server));
      server.once('error', reject);
    });
    logger.info({ port: this.port, database: config.databasePath, timeZone: config.timeZone }, 'power monitor is up');
    await this.botRunner?.start();
  }

  /** Stops taking heartbeats, lets requests in flight finish, then closes everything. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.accepting = false;
    await this.releasePort();
    if (this.server) {
      const server = this.server;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forceAfter = setTimeout(() => server.closeAllConnections(), 3_000);
      await closed;
      clearTimeout(forceAfter);
      this.server = null;
    }
    await this.botRunner?.stop();
    this.clockSteps?.stop();
    await this.sweep?.stop();
    this.sweep = null;
    this.diagrams?.stop();
    this.reports?.stop();
    await this.schedules?.stop();
    await this.outbox?.stop();
    await this.renderer?.stop();
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    if (this.snoozeTimer) clearInterval(this.snoozeTimer);
    if (this.store) {
      this.monitor?.stop();
      await this.store.close();
    }
    this.instanceLock?.release();
    this.options.logger.info('power monitor stopped');
  }

  /**
   * Runs a start step again while it fails for the storage (the disk full or failing, a foreign
   * lock, a read-only file): logged once, tried every 2 s until it works or the service stops. A
   * damaged file or anything else is thrown at once (it needs a person, not waiting).
   */
  private async untilStorageWorks<T>(what: string, step: () => T | Promise<T>): Promise<T> {
    const { logger } = this.options;
    let failingSince: number | null = null;
    for (;;) {
      try {
        const result = await step();
        if (failingSince !== null) logger.warn({ waitedS: Math.round((Date.now() - failingSince) / 1000) }, `could ${what} at last; starting`);
        return result;
      } catch (error) {
        const kind = storageFaultOf(error);
        if (kind === null || kind === 'corrupt' || this.stopped) throw error;
        if (failingSince === null) {
          failingSince = Date.now();
          logger.error({ err: error, fault: kind }, `cannot ${what} (${kind}); trying again every ${OPEN_RETRY_MS / 1000} s until it works`);
          // Meanwhile heartbeats and /health get 503 on the port, not "connection refused".
          this.holding ??= await HoldingServer.listen(this.options.config.port, this.startedAt, logger);
        }
        await sleep(OPEN_RETRY_MS);
        if (this.stopped) throw error;
      }
    }
  }

  /** Closes the holding server (the database opened, or the service stops). */
  private async releasePort(): Promise<void> {
    const holding = this.holding;
    this.holding = null;
    await holding?.close();
  }

  /** Who holds the database, for a second instance's message; not worth failing the start for. */
  private recordClaim(lock: InstanceLock): void {
    try {
      this.serviceState.write(INSTANCE_CLAIM_KEY, JSON.stringify(lock.claim));
    } catch (error) {
      if (storageFaultOf(error) === null) throw error;
      this.options.logger.warn({ err: error }, 'could not record which process holds the database (it cannot be written now)');
    }
  }

  /** One instance per database: claimed before anything is written (see db/instance-lock.ts). */
  private claimDatabase(databasePath: string): void {
    if (databasePath === ':memory:') return;
    ensureDatabaseFolder(databasePath);
    try {
      this.instanceLock = acquireInstanceLock(databasePath, this.clock.now(), () => readInstanceClaim(databasePath));
    } catch (error) {
      throw explainOpenFailure(error, databasePath);
    }
  }

  private createPeople(outbox: OutboxStore, locations: PlaceStore): PeopleStores {
    const sqlite = this.store.sqlite;
    const subscribers = new SubscriberStore(sqlite, locations);
    const snoozes = new SnoozeStore(sqlite, locations);
    const places = new DeliveryPlaces(locations);
    const defaultChannelId = this.options.config.defaultChannelId;
    const alerts = new PlaceAlerts({
      outbox,
      subscribers,
      snoozes,
      chatOf: (placeId) => places.get(placeId)?.channel_id ?? defaultChannelId,
      logger: this.options.logger,
    });
    return { subscribers, invites: new InviteStore(sqlite, locations), snoozes, destinations: new DestinationStore(sqlite, locations), alerts };
  }

  /** Snoozes that ran out end here, so a place that stayed quiet gets its summary on time too. */
  endDueSnoozes(): number {
    try {
      const ended = this.people.alerts.endDueSnoozes(this.clock.now());
      if (ended > 0) this.outbox.wake();
      this.timerFaults.succeeded('snooze ends', this.clock.now());
      return ended;
    } catch (error) {
      this.timerFaults.failed('snooze ends', error, this.clock.now(), 'ending snoozes failed; will try again');
      return 0;
    }
  }

  /** Daily: drop finished outbox rows past their retention (see src/ops/retention.ts). */
  private pruneOldRows(): void {
    try {
      const pruned = pruneOldRows(this.store.sqlite, this.clock.now(), {}, { schedules: this.schedules.store });
      if (pruned.outbox + pruned.diagramMessages + (pruned.scheduleBookkeeping ?? 0) > 0) this.options.logger.info(pruned, 'old rows pruned');
      this.timerFaults.succeeded('retention', this.clock.now());
    } catch (error) {
      this.timerFaults.failed('retention', error, this.clock.now(), 'pruning old rows failed');
    }
  }

  private health(): HealthReport {
    // Reads keep working while another process holds the write lock: what counts is whether
    // heartbeats can be stored, as the monitor learns from its real writes.
    // Sends Telegram accepted that wait to be recorded say the same: the database cannot be written.
    let db: HealthReport['db'] = this.monitor.storage.failing || this.outbox.unrecorded > 0 ? 'error' : 'ok';
    try {
      ping(this.store.sqlite);
    } catch {
      db = 'error';
    }
    const bot = this.botRunner?.status ?? 'disabled';
    // Telegram being unreachable is reported but does not fail the check: heartbeats and the
    // sweep still work, and a restart would not bring Telegram back.
    return { ok: db === 'ok' && this.accepting, db, bot };
  }

  /** The bot and the Telegram sender, when a token is configured. */
  private createTelegramSide(outbox: OutboxStore, diagrams: DiagramStore, deferred: DeferredWrites): Deliverers | null {
    const { config, logger } = this.options;
    if (!config.botToken) return null;
    const i18n = createI18n<BotContext>({ localeNegotiator: (ctx) => asLocale(ctx.from?.language_code) });
    this.bot = createBot({ token: config.botToken, apiRoot: config.telegramApiRoot, i18n, logger });
    this.translations = i18n;
    this.channelTitles = new ChannelTitleStore(this.store.sqlite);
    // Diagram rows are rendered in the render worker first; the post then waits behind alerts.
    this.renderer = new DiagramRenderer({
      databasePath: config.databasePath,
      logger,
      onRendered: (seconds) => this.metrics.renderDuration.observe(seconds),
      // The plan strip under the bars, from the main thread's parsed copy of the schedule.
      planOf: (placeId, now) => this.schedules?.diagramPlan(placeId, now),
    });
    const limits = this.options.telegram?.limits ?? { ...TELEGRAM_LIMITS, globalPerSecond: config.telegramGlobalPerSecond };
    return createTelegramDeliverers({
      // Its own Api, without the bot's auto-retry: a 429 holds back its chat in the rate limiter.
      api: new Api(config.botToken, { apiRoot: config.telegramApiRoot }),
      places: this.placeStore,
      outbox,
      diagrams,
      renderer: this.renderer,
      admins: this.admins,
      weeklySummaries: new WeeklySummaries({
        place: async (id) => {
          try {
            return await this.locations.get(id);
          } catch (error) {
            if (error instanceof PlaceInputError) return undefined;
            throw error;
          }
        },
        events: (id, from, to) => this.locations.eventsBetween(id, from, to),
        // Planned vs real hours: the plan the place followed that week, as the schedules kept it.
        plans: { plannedBetween: (id, from, to) => this.schedules.plannedBetween(id, from, to) },
        i18n,
        clock: this.clock,
        timeZone: config.timeZone,
      }),
      subscribers: this.people.subscribers,
      destinations: this.people.destinations,
      channelTitles: this.channelTitles,
      i18n,
      clock: this.clock,
      logger,
      metrics: this.metrics,
      limits,
      timeZone: config.timeZone,
      defaultChannelId: config.defaultChannelId,
      flapWindowMs: config.flapWindowS * 1000,
      ...(this.options.telegram?.retryPolicy ? { retryPolicy: this.options.telegram.retryPolicy } : {}),
      ...(this.options.telegram?.callTimeoutMs ? { callTimeoutMs: this.options.telegram.callTimeoutMs } : {}),
      onChatMoved: (from, to) => this.followChatMove(from, to),
      deferred,
    });
  }

  /** A group became a supergroup: the places posting there follow it (seen by delivery or by the bot). */
  private followChatMove(from: string, to: string): number {
    return followChatMove(
      {
        locations: this.placeStore,
        destinations: this.people.destinations,
        inTransaction: (work) => transaction(this.store.sqlite, work),
        defaultChannelId: this.options.config.defaultChannelId,
        logger: this.options.logger,
        now: () => this.clock.now(),
      },
      from,
      to,
    );
  }


  private countByStatus(): Record<string, number> {
    return this.placeStore ? this.placeStore.countByStatus() : { on: 0, off: 0, unknown: 0, paused: 0 };
  }
}
