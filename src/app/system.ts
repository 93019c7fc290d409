import { ClockSteps } from '../clock-steps.js';
import type { Store } from '../db/connection.js';
import { DeferredWrites } from '../db/deferred-writes.js';
import { PostgresLeadership, SingleInstance, type Leadership } from '../db/leadership.js';
import { ping, transaction } from '../db/sync-query.js';
import { localDay } from '../diagram/diagram-schedule.js';
import { createHttpApp, type HealthReport, type HttpApp } from '../http/app.js';
import { FailureThrottle } from '../http/failure-throttle.js';
import { TimeoutSweep } from '../jobs/timeout-sweep.js';
import { createMetrics, type Metrics } from '../metrics.js';
import { Monitor, POSTGRES_GAP_BATCHES, SQLITE_GAP_BATCHES } from '../monitor/monitor.js';
import { LoggingSender, OutboxDispatcher, senderDeliverers, type Deliverers } from '../outbox/dispatcher.js';
import { PlaceService } from '../places/place-service.js';
import { ScheduleService } from '../schedules/schedule-service.js';
import { followChatMove } from '../telegram/chat-migration.js';
import { databaseTarget, type SystemInput } from './system-input.js';
import { tableOwners, type TableOwners } from './table-owners.js';
import { buildTelegramParts, type TelegramParts } from './telegram-parts.js';
import { createTimerJobs, type TimerJobs } from './timer-jobs.js';

/**
 * Every part of the service, each built once and handed what it needs when it was made. Nothing
 * runs yet: App starts the parts in order (timers, workers, the server, the bot) and stops them
 * in reverse.
 */
export interface System {
  readonly store: Store;
  /** Which instance does the work that must happen once (always this one on SQLite). */
  readonly leadership: Leadership;
  readonly metrics: Metrics;
  readonly tables: TableOwners;
  /** Steps of the wall clock (NTP, an admin): the monitor and the daily jobs adjust to them. */
  readonly clockSteps: ClockSteps;
  readonly monitor: Monitor;
  readonly places: PlaceService;
  /** Outage schedules: sources polled, places' queues, the plan now (src/schedules/). */
  readonly schedules: ScheduleService;
  readonly outbox: OutboxDispatcher;
  /** The bot, its deliverers, the daily diagrams and the reports: only with a bot token (and no test sender). */
  readonly telegram: TelegramParts | null;
  readonly jobs: TimerJobs;
  /** The worker that finds places whose heartbeats stopped (absent when tests drive the sweep). */
  readonly sweep: TimeoutSweep | null;
  readonly http: HttpApp;
}

/** Builds the service in dependency order, on a database already opened and claimed. */
export function buildSystem(input: SystemInput): System {
  const { config, logger, clock, store } = input;
  const tables = tableOwners(store, config, logger, clock);
  const leadership: Leadership = config.databaseUrl ? new PostgresLeadership(config.databaseUrl, logger, input.leaseTiming) : new SingleInstance();
  const metrics = createMetrics(() => tables.places.countByStatus());
  // The parts below queue messages before the dispatcher exists; by the time they do, it does.
  const wakeOutbox = (): void => outbox.wake();
  const clockSteps = new ClockSteps(clock, logger);
  const monitor = new Monitor({
    store: tables.power,
    owners: { places: tables.places, devices: tables.devices, events: tables.events, serviceState: tables.serviceState, outbox: tables.people.alerts },
    clock,
    clockSteps,
    logger,
    metrics,
    onQueued: wakeOutbox,
    // The plan as it was when the power changed, carried in the alert's row (schedules need the places, which need the monitor).
    alertPlan: (placeId, alert) => schedules.alertPlan(placeId, alert),
    gapBatches: store.dialect === 'postgres' ? POSTGRES_GAP_BATCHES : SQLITE_GAP_BATCHES,
  });
  // A test's sender stands in for Telegram: then there is no bot either.
  const botToken = input.sender ? undefined : config.botToken;
  const places = placeService(tables, monitor, input, { wakeOutbox, withDiagrams: Boolean(botToken) });
  const schedules = new ScheduleService({
    sqlite: store.connection,
    sources: config.scheduleSources,
    pollMs: config.schedulePollMin * 60_000,
    zone: config.timeZone,
    clock,
    logger,
    metrics,
    placeService: places,
    places: tables.places,
    // Schedule posts fan out like alerts: the chat, and the subscribers who chose warnings.
    outbox: tables.people.alerts,
    subscriberWarnings: tables.people.alerts,
    wakeOutbox,
  });
  // What Telegram accepted while the database could not be written waits here until it can.
  const deferred = new DeferredWrites({ logger, now: () => clock.now(), withoutWaiting: (work) => tables.power.withoutWaiting(work) });
  const followChatMove = (from: string, to: string): number => followChatMoveIn(input, tables, from, to);
  const telegram = botToken ? buildTelegramParts({ ...input, botToken, metrics, tables, places, schedules, deferred, wakeOutbox, followChatMove }) : null;
  const outbox = new OutboxDispatcher(tables.outbox, telegram?.deliverers ?? fallbackDeliverers(input), clock, logger, {
    deferred,
    onGivenUp: (kind) => metrics.messagesFailed.inc({ kind }),
    // While the database cannot be written, nothing can be marked sent: wait instead of failing every row.
    isStorageFailing: () => monitor.storage.failing,
    isLeading: () => leadership.leading,
  });
  // After the monitor's own (it moves the stored times first), the timers fire from the new time.
  clockSteps.onStep((step) => {
    outbox.clockStepped(step);
    telegram?.diagrams.clockStepped();
    telegram?.reports.clockStepped();
  });
  const jobs = createTimerJobs({ sqlite: store.connection, pruning: { outbox: tables.outbox, diagrams: tables.diagrams, schedules: schedules.store, updates: tables.updates }, alerts: tables.people.alerts, wakeOutbox, clock, logger });
  // On PostgreSQL each decision is a few round trips: a mass outage's ids are decided a hundred
  // per event-loop turn, so heartbeats (which prove the rest are on) go in between.
  const expiredPerTurn = store.dialect === 'postgres' ? 100 : Number.POSITIVE_INFINITY;
  const expireInTurns = (ids: readonly number[]): void => {
    if (!leadership.leading || ids.length === 0) return;
    const turn = ids.slice(0, expiredPerTurn);
    monitor.runInBackground('sweep', () => monitor.expire(turn));
    if (ids.length > turn.length) setImmediate(() => expireInTurns(ids.slice(turn.length)));
  };
  const sweep = input.runSweepWorker
    ? new TimeoutSweep({ database: databaseTarget(config), logger, onExpired: (ids) => expireInTurns(ids) })
    : null;
  const http = createHttpApp({
    monitor,
    metrics,
    throttle: new FailureThrottle(),
    clock,
    logger,
    isAccepting: input.isAccepting,
    health: () => healthOf({ store, monitor, outbox, telegram, leadership }, input.isAccepting()),
    startedAt: input.startedAt,
    trustProxy: config.trustProxy,
    firmwareDir: config.firmwareDir,
    extraRoutes: [telegram?.botRunner.webhookRoutes()].filter((routes) => routes != null),
  });
  return { store, leadership, metrics, tables, clockSteps, monitor, places, schedules, outbox, telegram, jobs, sweep, http };
}

/** The admin's side of places, which keeps a place's pinned diagram in step with it. */
function placeService(tables: TableOwners, monitor: Monitor, { config, clock }: SystemInput, { wakeOutbox, withDiagrams }: { wakeOutbox: () => void; withDiagrams: boolean }): PlaceService {
  const diagrams = tables.diagrams;
  return new PlaceService(tables, monitor, clock, {
    pinnedOf: (id) => diagrams.pinnedOf(id),
    unpinLater: (messages, now) => {
      diagrams.unpinLater(messages, now);
      wakeOutbox();
    },
    statusChanged: (id, now) => {
      if (!withDiagrams || !diagrams.messageOf(id, localDay(now, config.timeZone))) return;
      diagrams.queueStatusCaption(id, now, now);
      wakeOutbox();
    },
  });
}

/** Without Telegram: the tests' sender, or the log (a service started without the bot posts nowhere). */
function fallbackDeliverers({ sender, logger, clock }: SystemInput): Deliverers {
  return senderDeliverers(sender ?? new LoggingSender(logger), clock);
}

/** A group became a supergroup: the places posting there follow it (seen by delivery or by the bot). */
function followChatMoveIn({ store, config, logger, clock }: SystemInput, tables: TableOwners, from: string, to: string): number {
  return followChatMove(
    {
      places: tables.places,
      destinations: tables.people.destinations,
      inTransaction: (work) => transaction(store.connection, work),
      defaultChannelId: config.defaultChannelId,
      logger,
      now: () => clock.now(),
    },
    from,
    to,
  );
}

function healthOf(parts: Pick<System, 'store' | 'monitor' | 'outbox' | 'telegram' | 'leadership'>, accepting: boolean): HealthReport {
  // Reads keep working while another process holds the write lock: what counts is whether
  // heartbeats can be stored, as the monitor learns from its real writes.
  // Sends Telegram accepted that wait to be recorded say the same: the database cannot be written.
  let db: HealthReport['db'] = parts.monitor.storage.failing || parts.outbox.unrecorded > 0 ? 'error' : 'ok';
  try {
    ping(parts.store.connection);
  } catch {
    db = 'error';
  }
  const bot = parts.telegram?.botRunner.status ?? 'disabled';
  // Telegram being unreachable is reported but does not fail the check: heartbeats and the
  // sweep still work, and a restart would not bring Telegram back.
  return { ok: db === 'ok' && accepting, db, bot, storage: parts.store.dialect, role: parts.leadership.role };
}
