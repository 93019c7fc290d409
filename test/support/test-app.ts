import { sql, type Compilable, type SelectQueryBuilder } from 'kysely';
import { App, type AppOptions } from '../../src/app/app.js';
import type { System } from '../../src/app/system.js';
import type { TelegramParts } from '../../src/app/telegram-parts.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/schema.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { NewPlace, Place } from '../../src/places/place-service.js';
import type { OutboxRow } from '../../src/outbox/outbox-store.js';
import type { OutboxMessage } from '../../src/outbox/messages.js';
import type { DeliveryResult, Sender } from '../../src/outbox/dispatcher.js';
import type { Clock } from '../../src/clock.js';
import { ManualClock } from './clock.js';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import { storageUnderTest } from './test-store.js';

/** Records what would have been posted. */
export class RecordingSender implements Sender {
  readonly delivered: OutboxRow[] = [];
  async deliver(rows: OutboxRow[]): Promise<DeliveryResult> {
    this.delivered.push(...rows);
    return { outcome: 'sent', messageId: this.delivered.length };
  }
}

/** The stores' own typed builder: the façade runs what it builds on the service's connection, as the stores do. */
export type Tables = typeof queryBuilder;

/** The running service's parts, for what the verbs below do not cover (the composition root's System). */
export interface ServiceParts {
  readonly monitor: System['monitor'];
  readonly places: System['places'];
  readonly outbox: System['outbox'];
  readonly people: System['tables']['people'];
  readonly schedules: System['schedules'];
  readonly admins: System['tables']['admins'];
  readonly diagrams: TelegramParts['diagrams'] | null;
  readonly reports: TelegramParts['reports'] | null;
  readonly bot: TelegramParts['bot'] | null;
  readonly clockSteps: System['clockSteps'];
}

/**
 * The service as a test drives it: the real service on an ephemeral port over a real database
 * file, with verbs for what tests do (create a place, heartbeat, sweep, drain the outbox, read
 * rows with Kysely's types). Tests talk to this, never to the App's fields.
 */
export interface TestApp<C extends Clock = ManualClock> {
  clock: C;
  sender: RecordingSender;
  config: Config;
  /** The port the service listens on. */
  readonly port: number;
  url: (path: string) => string;
  stop: () => Promise<void>;
  /** The parts of the running service, for what no verb covers (schedules, people, diagrams…). */
  readonly system: ServiceParts;

  /** Adds a place as an admin would (name, timeout…); throws a PlaceInputError on bad input. */
  createPlace(input: NewPlace): Promise<Place>;
  /** The place as the service sees it now. */
  place(id: number): Promise<Place>;
  /** Every place, in id order. */
  places(): Promise<Place[]>;
  /** POSTs a heartbeat with the device's key (JSON body); resolves to the HTTP status. */
  heartbeat(apiKey: string, body?: object): Promise<number>;
  /** One pass of the timeout sweep in the main thread: places past their deadline go OFF. Returns how many. */
  sweep(): number;
  /** What the sweep worker would report: these places are past their deadline. Returns how many changed. */
  expire(placeIds: readonly number[]): number;
  /** Sends what the outbox holds that is due, once (as the dispatcher's loop would). Returns how many were handled. */
  drain(): Promise<number>;
  /** Rows of a Kysely query on the service's database: `t.rows((db) => db.selectFrom('outbox').selectAll())`. */
  rows<Row>(query: (db: Tables) => Compilable<Row>): Row[];
  /** The first row of a query, or undefined. */
  row<Row>(query: (db: Tables) => Compilable<Row>): Row | undefined;
  /** How many rows a select matches: `t.count((db) => db.selectFrom('outbox').where('kind', '=', 'alert'))`. */
  count(query: (db: Tables) => SelectQueryBuilder<Database, keyof Database, object>): number;
  /**
   * Writes a state no verb reaches (a deadline already past, a week already reported), as a crash
   * or an old version would have left it. Returns the rows changed.
   */
  write(query: (db: Tables) => Compilable<unknown>): number;
  /** Ends the snoozes that ran out (the service's 15-second timer), queueing their summaries. Returns how many. */
  endDueSnoozes(): number;
  /** The disk is full from now on (no page can be added to the database), or has room again. */
  diskFull(full: boolean): void;
  /** Queues a message in the outbox now, as a producer would (a notice, a caption, a report). */
  enqueue(message: OutboxMessage): void;
}

/** Starts the real service on an ephemeral port over a database file in `databasePath` (or PostgreSQL, see test-store.ts). */
export async function startTestApp<C extends Clock = ManualClock>(
  databasePath: string,
  options: {
    clock?: C;
    env?: Record<string, string>;
    runSweepWorker?: boolean;
    sender?: AppOptions['sender'];
    useTelegram?: boolean;
    /** Replaces the shortened test backoffs and spacing (e.g. to test spacing itself). */
    telegram?: AppOptions['telegram'];
    logger?: Logger;
    /** Sees the app before it starts (a test of what it does while its start waits). */
    onCreated?: (app: App) => void;
  } = {},
): Promise<TestApp<C>> {
  const config = loadConfig({ PORT: '0', DATABASE_PATH: databasePath, LOG_LEVEL: 'silent', ...(await storageUnderTest(databasePath)), ...options.env });
  const clock = options.clock ?? (new ManualClock() as Clock as C);
  const sender = new RecordingSender();
  const app = new App({
    config,
    logger: options.logger ?? createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false }),
    clock,
    ...(options.useTelegram ? {} : { sender: options.sender ?? sender }),
    telegram: {
      retryPolicy: { baseDelayMs: 100, maxDelayMs: 1000, flagAfterMs: 10 * 60_000 },
      limits: { globalPerSecond: 1000, groupIntervalMs: 0, privateIntervalMs: 0 },
      callTimeoutMs: 2000,
      ...options.telegram,
    },
    runSweepWorker: options.runSweepWorker ?? false,
  });
  options.onCreated?.(app);
  await app.start();
  return drive(app, { clock, sender, config });
}

/** The verbs over a started App. */
function drive<C extends Clock>(app: App, parts: { clock: C; sender: RecordingSender; config: Config }): TestApp<C> {
  const system = app.system;
  const prepare = <Row>(query: (db: Tables) => Compilable<Row>) => prepareQuery(system.store.connection, query(queryBuilder));
  const url = (path: string) => `http://127.0.0.1:${app.port}${path}`;
  return {
    ...parts,
    get port() {
      return app.port;
    },
    url,
    stop: () => app.stop(),
    get system(): ServiceParts {
      return partsOf(app.system);
    },
    createPlace: (input) => system.places.create(input),
    place: (id) => system.places.get(id),
    places: () => system.places.list(),
    heartbeat: async (apiKey, body = {}) => {
      const response = await fetch(url('/api/heartbeat'), {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      return response.status;
    },
    sweep: () => system.monitor.sweep(),
    expire: (placeIds) => system.monitor.expire(placeIds),
    drain: () => system.outbox.drainOnce(),
    rows: (query) => prepare(query).all(),
    row: (query) => prepare(query).get(),
    count: (query) => prepare((db) => query(db).select(sql<number>`count(*)`.as('n'))).one().n,
    write: (query) => prepare(query).run().changes,
    endDueSnoozes: () => system.jobs.endDueSnoozes(),
    diskFull: (full) => {
      const sqlite = system.store.sqlite;
      sqlite.pragma(`max_page_count = ${full ? (sqlite.pragma('page_count', { simple: true }) as number) : 1073741823}`);
    },
      enqueue: (message) => system.tables.outbox.enqueue(message, parts.clock.now()),
  };
}

/** The parts a test may use, under the names tests know them by. */
function partsOf(system: System): ServiceParts {
  return {
    monitor: system.monitor,
    places: system.places,
    outbox: system.outbox,
    people: system.tables.people,
    schedules: system.schedules,
    admins: system.tables.admins,
    diagrams: system.telegram?.diagrams ?? null,
    reports: system.telegram?.reports ?? null,
    bot: system.telegram?.bot ?? null,
    clockSteps: system.clockSteps,
  };
}
