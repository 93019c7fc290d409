import type { SyncDatabase } from '../db/sync-database.js';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { EdgeKind, IntervalStatus, LocationsTable, PowerStatus } from '../db/schema.js';
import { prepareStatements, type StatementPlan } from '../db/prepared-statement.js';
import { prepareQuery, statementPlan } from '../db/statement-plan.js';
import { queryBuilder } from '../db/sync-query.js';

/** One row of `locations`: a watched location (a "place" to the people using the bot). */
export type Place = Selectable<LocationsTable>;

/**
 * A location as the monitor's decisions need it, with its open interval (if any) read in the same
 * lookup. Only these columns: every column read costs on the hot path.
 */
export type WatchedPlace = Pick<
  Place,
  'id' | 'api_key' | 'previous_api_key' | 'previous_key_until' | 'timeout_s' | 'status' | 'status_since' | 'last_heartbeat_at' | 'deadline_at' | 'paused' | 'device_boot_id'
> & {
  open_status: IntervalStatus | null;
  open_started_at: number | null;
  open_start_edge: EdgeKind | null;
};

/** A location as a device's heartbeat or event needs it: the place (WatchedPlace) and that device. */
export type WatchedDevice = WatchedPlace & {
  name: string;
  d_id: number;
  d_location_id: number;
  d_name: string;
  d_api_key: string;
  d_previous_api_key: string | null;
  d_previous_key_until: number | null;
  d_awaiting_key_since: number | null;
  d_first_seen_at: number | null;
  d_last_heartbeat_at: number | null;
  d_mains: number | null;
  d_mains_since: number | null;
  d_boot_id: string | null;
  d_event_ids: string | null;
  d_silent_noticed_at: number | null;
  /** 1 when it is the place's first device (the one the place's key and device columns mirror). */
  d_first: number;
};

/** What a key lookup tells the heartbeat path. */
export type KeyHolder = Pick<Place, 'id' | 'timeout_s'>;

/** A place as a long list needs it before paging: its id, its name and its ⚠️ flag. */
export type PlaceListing = Pick<Place, 'id' | 'name' | 'alerting_failed'>;

/** What the monitor writes with a heartbeat; a device fact left null keeps the stored one. */
export interface HeartbeatWrite {
  id: number;
  at: number;
  deadlineAt: number | null;
  status: PowerStatus;
  statusSince: number | null;
  uptimeMs: number | null;
  bootId: string | null;
  resetReason: string | null;
  rssi: number | null;
  fw: string | null;
  ip: string | null;
}

/** The schedule settings of a location (src/schedules/ decides what they mean). */
/** The times of a place that a step of the wall clock moves (rebaseTimes). */
type RebasedColumn = 'last_heartbeat_at' | 'status_since' | 'previous_key_until' | 'awaiting_key_since';

export type PlaceScheduleColumns = Pick<Place, 'id' | 'schedule_source' | 'schedule_queue' | 'schedule_warn_min' | 'schedule_post_tomorrow'>;

/** What delivery needs to know about a location when it posts for it. */
export type DeliveryColumns = Pick<
  Place,
  'id' | 'name' | 'language' | 'channel_id' | 'status' | 'status_since' | 'paused' | 'alerting_failed' | 'alerting_error'
>;

const SCHEDULE = ['id', 'schedule_source', 'schedule_queue', 'schedule_warn_min', 'schedule_post_tomorrow'] as const;
const DELIVERY = ['id', 'name', 'language', 'channel_id', 'status', 'status_since', 'paused', 'alerting_failed', 'alerting_error'] as const;

/**
 * The sweep's queries (the one expiry query and the next deadline), used by the main thread and
 * handed to the sweep worker, which prepares them on its read-only connection. Both repeat the
 * `locations_sweep` partial index's condition literally (`paused = 0`, not a bound value), so the
 * index is usable whatever is bound: a sweep reads the due locations, never all of them
 * (test/places/place-store.test.ts checks the plans).
 */
/** What a decision reads of a place (with its open interval): the monitor's `watched` row. */
const WATCHED_COLUMNS = [
  'l.id',
  'l.api_key',
  'l.previous_api_key',
  'l.previous_key_until',
  'l.timeout_s',
  'l.status',
  'l.status_since',
  'l.last_heartbeat_at',
  'l.deadline_at',
  'l.paused',
  'l.device_boot_id',
  'e.status as open_status',
  'e.started_at as open_started_at',
  'e.start_edge as open_start_edge',
] as const;

export const sweepPlans = {
  /** Locations whose deadline has passed by `now`, the most overdue first. */
  expired: statementPlan((p: { now: number; limit: number }) =>
    queryBuilder
      .selectFrom('locations')
      .select(['id', 'deadline_at'])
      .where('deadline_at', 'is not', null)
      .where('deadline_at', '<=', p.now)
      .where((eb) => eb('paused', '=', eb.lit(0)))
      .orderBy('deadline_at')
      .limit(p.limit),
  ) as StatementPlan<{ now: number; limit: number }, { id: number; deadline_at: number }>,
  /** The earliest pending deadline (null when nothing can expire). */
  nextDeadline: statementPlan(() =>
    queryBuilder
      .selectFrom('locations')
      .select((eb) => eb.fn.min('deadline_at').as('next'))
      .where('deadline_at', 'is not', null)
      .where((eb) => eb('paused', '=', eb.lit(0))),
  ),
};
export type SweepPlans = typeof sweepPlans;

/** What the render worker reads of a location (on its read-only connection). */
export const renderPlans = {
  place: statementPlan((p: { id: number }) => queryBuilder.selectFrom('locations').select(['name', 'language', 'created_at']).where('id', '=', p.id)),
};
export type PlaceRenderPlans = typeof renderPlans;

/** Every other statement of the owner (exported for the tests that check their query plans). */
export const placePlans = {
  byKey: statementPlan((p: { key: string }) => queryBuilder.selectFrom('locations').select(['id', 'timeout_s']).where('api_key', '=', p.key)),
  byPreviousKey: statementPlan((p: { key: string; now: number }) =>
    queryBuilder
      .selectFrom('locations')
      .select(['id', 'timeout_s', 'previous_key_until as until'])
      .where('previous_api_key', '=', p.key)
      .where('previous_key_until', '>', p.now),
  ) as StatementPlan<{ key: string; now: number }, KeyHolder & { until: number }>,
  clearPreviousKey: statementPlan((p: { id: number }) =>
    queryBuilder.updateTable('locations').set({ previous_api_key: null, previous_key_until: null }).where('id', '=', p.id),
  ),
  saveRotation: statementPlan((p: { id: number; apiKey: string; previousKey: string | null; previousUntil: number | null; awaitingSince: number | null }) =>
    queryBuilder
      .updateTable('locations')
      .set((eb) => ({
        api_key: p.apiKey,
        previous_api_key: p.previousKey,
        previous_key_until: p.previousUntil,
        awaiting_key_since: eb.fn.coalesce(eb.val(p.awaitingSince), 'awaiting_key_since'),
      }))
      .where('id', '=', p.id),
  ),
  lapsedPreviousKeys: statementPlan((p: { now: number }) =>
    queryBuilder.selectFrom('locations').select(['id', 'previous_key_until']).where('previous_key_until', 'is not', null).where('previous_key_until', '<=', p.now),
  ) as StatementPlan<{ now: number }, { id: number; previous_key_until: number }>,
  /**
   * The one read of another owner's table: the open interval comes with the location in one
   * lookup (the power_events_open index), because a second statement costs some 3 µs of a
   * heartbeat's ~60. PowerEventStore still owns every other query on power_events.
   */
  watched: statementPlan((p: { id: number }) =>
    queryBuilder
      .selectFrom('locations as l')
      .leftJoin('power_events as e', (join) => join.onRef('e.location_id', '=', 'l.id').on('e.ended_at', 'is', null))
      .select(WATCHED_COLUMNS)
      .where('l.id', '=', p.id),
  ),
  /**
   * The heartbeat's one read: the location, the device that sent it and the open interval, in one
   * lookup (a second statement per heartbeat costs a few µs). DeviceStore owns every other query
   * on devices.
   */
  watchedDevice: statementPlan((p: { id: number; deviceId: number }) =>
    queryBuilder
      .selectFrom('locations as l')
      .innerJoin('devices as d', (join) => join.onRef('d.location_id', '=', 'l.id').on('d.id', '=', p.deviceId))
      .leftJoin('power_events as e', (join) => join.onRef('e.location_id', '=', 'l.id').on('e.ended_at', 'is', null))
      .select((eb) => [
        ...WATCHED_COLUMNS,
        'l.name',
        'd.id as d_id',
        'd.location_id as d_location_id',
        'd.name as d_name',
        'd.api_key as d_api_key',
        'd.previous_api_key as d_previous_api_key',
        'd.previous_key_until as d_previous_key_until',
        'd.awaiting_key_since as d_awaiting_key_since',
        'd.first_seen_at as d_first_seen_at',
        'd.last_heartbeat_at as d_last_heartbeat_at',
        'd.mains as d_mains',
        'd.mains_since as d_mains_since',
        'd.boot_id as d_boot_id',
        'd.event_ids as d_event_ids',
        'd.silent_noticed_at as d_silent_noticed_at',
        // The place's own key columns mirror its first device's: the same key is the same device.
        eb('d.api_key', '=', eb.ref('l.api_key')).as('d_first'),
      ])
      .where('l.id', '=', p.id),
  ) as StatementPlan<{ id: number; deviceId: number }, WatchedDevice>,
  saveHeartbeat: statementPlan((p: HeartbeatWrite) =>
    queryBuilder
      .updateTable('locations')
      .set((eb) => ({
        last_heartbeat_at: p.at,
        deadline_at: p.deadlineAt,
        status: p.status,
        status_since: p.statusSince,
        awaiting_key_since: null,
        device_uptime_ms: eb.fn.coalesce(eb.val(p.uptimeMs), 'device_uptime_ms'),
        device_boot_id: eb.fn.coalesce(eb.val(p.bootId), 'device_boot_id'),
        device_reset_reason: eb.fn.coalesce(eb.val(p.resetReason), 'device_reset_reason'),
        device_rssi: eb.fn.coalesce(eb.val(p.rssi), 'device_rssi'),
        device_fw: eb.fn.coalesce(eb.val(p.fw), 'device_fw'),
        device_ip: eb.fn.coalesce(eb.val(p.ip), 'device_ip'),
      }))
      .where('id', '=', p.id),
  ),
  saveState: statementPlan((p: { id: number; status: PowerStatus; statusSince: number | null; deadlineAt: number | null }) =>
    queryBuilder.updateTable('locations').set({ status: p.status, status_since: p.statusSince, deadline_at: p.deadlineAt }).where('id', '=', p.id),
  ),
  rebaseTimes: statementPlan((p: { id: number; since: number; heartbeatSince: number; statusSince: number; delta: number }) =>
    queryBuilder
      .updateTable('locations')
      .set((eb) => {
        const moved = (column: RebasedColumn, since = p.since) =>
          eb
            .case()
            .when(column, '>=', since)
            .then(eb(column, '+', p.delta))
            .else(eb.ref(column))
            .end();
        return {
          last_heartbeat_at: moved('last_heartbeat_at', p.heartbeatSince),
          status_since: moved('status_since', p.statusSince),
          previous_key_until: moved('previous_key_until'),
          awaiting_key_since: moved('awaiting_key_since'),
        };
      })
      .where('id', '=', p.id),
  ),
  setPaused: statementPlan((p: { id: number; paused: number }) => queryBuilder.updateTable('locations').set({ paused: p.paused }).where('id', '=', p.id)),
  setTimeout: statementPlan((p: { id: number; timeoutS: number; deadlineAt: number | null }) =>
    queryBuilder.updateTable('locations').set({ timeout_s: p.timeoutS, deadline_at: p.deadlineAt }).where('id', '=', p.id),
  ),
  allIds: statementPlan(() => queryBuilder.selectFrom('locations').select('id').orderBy('id')),
  list: statementPlan(() => queryBuilder.selectFrom('locations').selectAll().orderBy('name').orderBy('id')),
  listing: statementPlan(() => queryBuilder.selectFrom('locations').select(['id', 'name', 'alerting_failed']).orderBy('name').orderBy('id')),
  byId: statementPlan((p: { id: number }) => queryBuilder.selectFrom('locations').selectAll().where('id', '=', p.id)),
  exists: statementPlan((p: { id: number }) => queryBuilder.selectFrom('locations').select('id').where('id', '=', p.id)),
  channels: statementPlan(() => queryBuilder.selectFrom('locations').select(['id', 'name', 'channel_id', 'paused']).orderBy('id')),
  reportTargets: statementPlan(() =>
    queryBuilder.selectFrom('locations').select(['id', 'channel_id', 'paused', 'created_at', 'weekly_report', 'monthly_report']).orderBy('id'),
  ),
  nameOf: statementPlan((p: { id: number }) => queryBuilder.selectFrom('locations').select('name').where('id', '=', p.id)),
  delivery: statementPlan((p: { id: number }) => queryBuilder.selectFrom('locations').select(DELIVERY).where('id', '=', p.id)),
  flagAlerting: statementPlan((p: { id: number; reason: string }) =>
    queryBuilder.updateTable('locations').set({ alerting_failed: 1, alerting_error: p.reason }).where('id', '=', p.id).where('alerting_failed', '=', 0),
  ),
  clearAlertingFlag: statementPlan((p: { id: number }) =>
    queryBuilder.updateTable('locations').set({ alerting_failed: 0, alerting_error: null }).where('id', '=', p.id).where('alerting_failed', '=', 1),
  ),
  countInChat: statementPlan((p: { chat: string; fallback: string | null }) =>
    queryBuilder
      .selectFrom('locations')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('status', '=', 'off').then(eb.lit(1)).else(eb.lit(0)).end()), eb.lit(0)).as('off'),
      ])
      .where('paused', '=', 0)
      .where((eb) => eb(eb.fn.coalesce('channel_id', eb.val(p.fallback)), '=', p.chat)),
  ),
  countByStatus: statementPlan(() =>
    queryBuilder
      .selectFrom('locations')
      .select((eb) => ['status', 'paused', eb.fn.countAll<number>().as('n')])
      .groupBy(['status', 'paused']),
  ),
  schedule: statementPlan((p: { id: number }) => queryBuilder.selectFrom('locations').select(SCHEDULE).where('id', '=', p.id)),
  onSchedule: statementPlan(() => queryBuilder.selectFrom('locations').select(SCHEDULE).where('schedule_source', 'is not', null).orderBy('id')),
  scheduleSourcesInUse: statementPlan(() =>
    queryBuilder
      .selectFrom('locations')
      .select('schedule_source as source')
      .distinct()
      .where('schedule_source', 'is not', null)
      .orderBy('schedule_source'),
  ) as StatementPlan<Record<never, never>, { source: string }>,
  setSchedule: statementPlan((p: { id: number; source: string | null; queue: string | null }) =>
    queryBuilder.updateTable('locations').set({ schedule_source: p.source, schedule_queue: p.queue }).where('id', '=', p.id),
  ),
  setScheduleWarn: statementPlan((p: { id: number; minutes: number }) => queryBuilder.updateTable('locations').set({ schedule_warn_min: p.minutes }).where('id', '=', p.id)),
  setSchedulePostTomorrow: statementPlan((p: { id: number; on: number }) =>
    queryBuilder.updateTable('locations').set({ schedule_post_tomorrow: p.on }).where('id', '=', p.id),
  ),
  moveChat: statementPlan((p: { from: string; to: string }) => queryBuilder.updateTable('locations').set({ channel_id: p.to }).where('channel_id', '=', p.from)),
  deleteById: statementPlan((p: { id: number }) => queryBuilder.deleteFrom('locations').where('id', '=', p.id)),
};

/**
 * The one owner of the `locations` table: every query on it is here, for the monitor's hot path
 * (narrow, prepared once, bound by position), the sweep and render workers (plans they prepare on
 * their own connection), the admin's changes (PlaceService), delivery, diagrams, schedules and
 * the people stores. Synchronous on the main thread's connection, so a caller can use it inside
 * its own transaction (the monitor's decision, a schedule change).
 */
export class PlaceStore {
  private readonly statements;

  constructor(private readonly sqlite: SyncDatabase) {
    this.statements = prepareStatements(sqlite, { ...placePlans, ...sweepPlans });
  }

  // --- the admin's side (PlaceService) ---

  insert(values: Insertable<LocationsTable>): Place {
    return prepareQuery(this.sqlite, queryBuilder.insertInto('locations').values(values).returningAll()).one();
  }

  get(id: number): Place | undefined {
    return this.statements.byId.get({ id });
  }

  exists(id: number): boolean {
    return this.statements.exists.get({ id }) !== undefined;
  }

  nameOf(id: number): string | undefined {
    return this.statements.nameOf.get({ id })?.name;
  }

  /** Every location's channel (null: the default one) and whether it is paused, by id. */
  channels(): Pick<Place, 'id' | 'name' | 'channel_id' | 'paused'>[] {
    return this.statements.channels.all();
  }

  /** The places posting to `from` post to `to` from now on (a group became a supergroup); how many. */
  moveChat(from: string, to: string): number {
    return this.statements.moveChat.run({ from, to }).changes;
  }

  /** What the report schedule needs of every location (its channel, switches, age), by id. */
  reportTargets(): Pick<Place, 'id' | 'channel_id' | 'paused' | 'created_at' | 'weekly_report' | 'monthly_report'>[] {
    return this.statements.reportTargets.all();
  }

  /**
   * Every place's id, name and ⚠️ flag, by name (then id): what the bot's lists page and search
   * (10,000 places in a few ms, where `list()` takes hundreds); the page's rows come from `get`.
   */
  listing(): PlaceListing[] {
    return this.statements.listing.all();
  }

  /** Every location, by name (then id). */
  list(): Place[] {
    return this.statements.list.all();
  }

  /** The changed location, or undefined when there is none with this id. */
  update(id: number, changes: Updateable<LocationsTable>): Place | undefined {
    return prepareQuery(this.sqlite, queryBuilder.updateTable('locations').set(changes).where('id', '=', id).returningAll()).get();
  }

  /** Deletes the location; its history, messages and subscriptions go with it (ON DELETE CASCADE). */
  delete(id: number): boolean {
    return this.statements.deleteById.run({ id }).changes > 0;
  }

  /** How many locations are on, off, unknown, and paused (whatever their state): the metrics' gauge. */
  countByStatus(): Record<'on' | 'off' | 'unknown' | 'paused', number> {
    const counts = { on: 0, off: 0, unknown: 0, paused: 0 };
    for (const row of this.statements.countByStatus.all()) counts[row.paused ? 'paused' : row.status] += row.n;
    return counts;
  }

  // --- the monitor (hot path: one heartbeat reads `watched` and writes `saveHeartbeat`) ---

  /** The location whose current key this is. */
  findKey(apiKey: string): KeyHolder | undefined {
    return this.statements.byKey.get({ key: apiKey });
  }

  /** The location whose previous key this is, while that key is still accepted. */
  findPreviousKey(apiKey: string, now: number): (KeyHolder & { until: number }) | undefined {
    return this.statements.byPreviousKey.get({ key: apiKey, now });
  }

  forgetPreviousKey(id: number): void {
    this.statements.clearPreviousKey.run({ id });
  }

  saveKeyRotation(id: number, rotation: { apiKey: string; previousKey: string | null; previousUntil: number | null; awaitingSince: number | null }): void {
    this.statements.saveRotation.run({ id, ...rotation });
  }

  /** Locations whose old key's grace ended by `now`. */
  lapsedPreviousKeys(now: number): { id: number; previous_key_until: number }[] {
    return this.statements.lapsedPreviousKeys.all({ now });
  }

  /** The location's state and open interval, as a decision needs them. */
  watched(id: number): WatchedPlace | undefined {
    return this.statements.watched.get({ id });
  }

  /** The location with the device (of it) that reported, and the open interval; undefined when either is gone. */
  watchedDevice(id: number, deviceId: number): WatchedDevice | undefined {
    return this.statements.watchedDevice.get({ id, deviceId });
  }

  saveHeartbeat(write: HeartbeatWrite): void {
    this.statements.saveHeartbeat.run(write);
  }

  saveState(id: number, state: { status: PowerStatus; statusSince: number | null; deadlineAt: number | null }): void {
    this.statements.saveState.run({ id, ...state });
  }

  /**
   * Moves the place's stored times at or after `since` by `deltaMs` (a step of the wall clock,
   * see src/monitor/clock-rebase.ts); the last heartbeat and the status's "since" may have their
   * own threshold (`own`). The deadline is not among them: the caller works it out again from the
   * moved times (setTimeout).
   */
  rebaseTimes(id: number, since: number, deltaMs: number, own: { heartbeatSince?: number; statusSince?: number } = {}): void {
    this.statements.rebaseTimes.run({ id, since, heartbeatSince: own.heartbeatSince ?? since, statusSince: own.statusSince ?? since, delta: deltaMs });
  }

  setPaused(id: number, paused: boolean): void {
    this.statements.setPaused.run({ id, paused: paused ? 1 : 0 });
  }

  setTimeout(id: number, timeoutS: number, deadlineAt: number | null): void {
    this.statements.setTimeout.run({ id, timeoutS, deadlineAt });
  }

  allIds(): number[] {
    return this.statements.allIds.all().map((row) => row.id);
  }

  /** Ids whose deadline passed by `now`, the most overdue first (the same query the sweep worker runs). */
  expiredIds(now: number, limit: number): number[] {
    return this.statements.expired.all({ now, limit }).map((row) => row.id);
  }

  /** The earliest pending deadline, or null. */
  nextDeadline(): number | null {
    return this.statements.nextDeadline.get()?.next ?? null;
  }

  // --- delivery ---

  deliveryView(id: number): DeliveryColumns | undefined {
    return this.statements.delivery.get({ id });
  }

  /** Shows the "alerts are failing" warning; true only when it was not shown yet. */
  flagAlertingFailed(id: number, reason: string): boolean {
    return this.statements.flagAlerting.run({ id, reason }).changes > 0;
  }

  /** A post went through: the warning goes. True when there was one. */
  clearAlertingFailed(id: number): boolean {
    return this.statements.clearAlertingFlag.run({ id }).changes > 0;
  }

  /** The watched locations posting to `chat` (those without a channel of their own use `fallback`), and how many are off. */
  countInChat(chat: string, fallback: string | null): { total: number; off: number } {
    return this.statements.countInChat.get({ chat, fallback }) ?? { total: 0, off: 0 };
  }

  // --- schedules (src/schedules/schedule-store.ts decides what the columns mean) ---

  scheduleOf(id: number): PlaceScheduleColumns | undefined {
    return this.statements.schedule.get({ id });
  }

  onSchedule(): PlaceScheduleColumns[] {
    return this.statements.onSchedule.all();
  }

  scheduleSourcesInUse(): string[] {
    return this.statements.scheduleSourcesInUse.all().map((row) => row.source);
  }

  setSchedule(id: number, source: string | null, queue: string | null): void {
    this.statements.setSchedule.run({ id, source, queue });
  }

  setScheduleWarnMinutes(id: number, minutes: number): boolean {
    return this.statements.setScheduleWarn.run({ id, minutes }).changes === 1;
  }

  setSchedulePostTomorrow(id: number, on: boolean): boolean {
    return this.statements.setSchedulePostTomorrow.run({ id, on: on ? 1 : 0 }).changes === 1;
  }
}
