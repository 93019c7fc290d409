import type { SyncDatabase } from '../db/sync-database.js';
import type { Insertable, Selectable } from 'kysely';
import type { DeviceLink, DevicesTable } from '../db/schema.js';
import { prepareStatements, type StatementPlan } from '../db/prepared-statement.js';
import { prepareQuery, statementPlan } from '../db/statement-plan.js';
import { queryBuilder } from '../db/sync-query.js';

/** One row of `devices`: one device of a place, with its own key. */
export type Device = Selectable<DevicesTable>;

/** The times of a device that a step of the wall clock moves (rebaseTimes). */
type RebasedDeviceColumn =
  | 'first_seen_at'
  | 'last_seen_at'
  | 'last_heartbeat_at'
  | 'mains_since'
  | 'silent_check_at'
  | 'silent_noticed_at'
  | 'previous_key_until'
  | 'awaiting_key_since';

/** What a key lookup tells the heartbeat path: the device and its place. */
export interface DeviceKeyHolder {
  id: number;
  location_id: number;
}

/** What the monitor writes when a device heartbeats; a fact left null keeps the stored one. */
export interface DeviceHeartbeatWrite {
  id: number;
  at: number;
  link: DeviceLink | null;
  mains: number | null;
  mainsSince: number | null;
  silentCheckAt: number | null;
  uptimeMs: number | null;
  bootId: string | null;
  resetReason: string | null;
  rssi: number | null;
  fw: string | null;
  ip: string | null;
}

/** What the monitor writes when a device sends an event. */
export interface DeviceEventWrite {
  id: number;
  at: number;
  mains: number | null;
  mainsSince: number | null;
  eventIds: string | null;
  ip: string | null;
}

export interface DeviceKeyRotation {
  apiKey: string;
  previousKey: string | null;
  previousUntil: number | null;
  awaitingSince: number | null;
}

/** Every statement of the owner (exported for the tests that check their query plans). */
export const devicePlans = {
  byKey: statementPlan((p: { key: string }) => queryBuilder.selectFrom('devices').select(['id', 'location_id']).where('api_key', '=', p.key)) as StatementPlan<
    { key: string },
    DeviceKeyHolder
  >,
  byPreviousKey: statementPlan((p: { key: string; now: number }) =>
    queryBuilder
      .selectFrom('devices')
      .select(['id', 'location_id', 'previous_key_until as until'])
      .where('previous_api_key', '=', p.key)
      .where('previous_key_until', '>', p.now),
  ) as StatementPlan<{ key: string; now: number }, DeviceKeyHolder & { until: number }>,
  byId: statementPlan((p: { id: number }) => queryBuilder.selectFrom('devices').selectAll().where('id', '=', p.id)),
  ofPlace: statementPlan((p: { placeId: number }) => queryBuilder.selectFrom('devices').selectAll().where('location_id', '=', p.placeId).orderBy('id')),
  saveHeartbeat: statementPlan((p: DeviceHeartbeatWrite) =>
    queryBuilder
      .updateTable('devices')
      .set((eb) => ({
        first_seen_at: eb.fn.coalesce('first_seen_at', eb.val(p.at)),
        last_seen_at: p.at,
        last_heartbeat_at: p.at,
        awaiting_key_since: null,
        silent_check_at: p.silentCheckAt,
        silent_noticed_at: null,
        mains: p.mains,
        mains_since: p.mainsSince,
        link: eb.fn.coalesce(eb.val(p.link), 'link'),
        uptime_ms: eb.fn.coalesce(eb.val(p.uptimeMs), 'uptime_ms'),
        boot_id: eb.fn.coalesce(eb.val(p.bootId), 'boot_id'),
        reset_reason: eb.fn.coalesce(eb.val(p.resetReason), 'reset_reason'),
        rssi: eb.fn.coalesce(eb.val(p.rssi), 'rssi'),
        fw: eb.fn.coalesce(eb.val(p.fw), 'fw'),
        ip: eb.fn.coalesce(eb.val(p.ip), 'ip'),
      }))
      .where('id', '=', p.id),
  ),
  saveEvent: statementPlan((p: DeviceEventWrite) =>
    queryBuilder
      .updateTable('devices')
      .set((eb) => ({
        first_seen_at: eb.fn.coalesce('first_seen_at', eb.val(p.at)),
        last_seen_at: p.at,
        awaiting_key_since: null,
        mains: p.mains,
        mains_since: p.mainsSince,
        event_ids: p.eventIds,
        ip: eb.fn.coalesce(eb.val(p.ip), 'ip'),
      }))
      .where('id', '=', p.id),
  ),
  saveRotation: statementPlan((p: { id: number } & DeviceKeyRotation) =>
    queryBuilder
      .updateTable('devices')
      .set((eb) => ({
        api_key: p.apiKey,
        previous_api_key: p.previousKey,
        previous_key_until: p.previousUntil,
        awaiting_key_since: eb.fn.coalesce(eb.val(p.awaitingSince), 'awaiting_key_since'),
      }))
      .where('id', '=', p.id),
  ),
  clearPreviousKey: statementPlan((p: { id: number }) => queryBuilder.updateTable('devices').set({ previous_api_key: null, previous_key_until: null }).where('id', '=', p.id)),
  lapsedPreviousKeys: statementPlan((p: { now: number }) =>
    queryBuilder
      .selectFrom('devices')
      .select(['id', 'location_id', 'previous_key_until'])
      .where('previous_key_until', 'is not', null)
      .where('previous_key_until', '<=', p.now)
      .orderBy('previous_key_until'),
  ) as StatementPlan<{ now: number }, DeviceKeyHolder & { previous_key_until: number }>,
  silentDue: statementPlan((p: { now: number; limit: number }) =>
    queryBuilder
      .selectFrom('devices')
      .select(['id', 'location_id'])
      .where('silent_check_at', 'is not', null)
      .where('silent_check_at', '<=', p.now)
      .orderBy('silent_check_at')
      .limit(p.limit),
  ) as StatementPlan<{ now: number; limit: number }, DeviceKeyHolder>,
  markSilence: statementPlan((p: { id: number; noticedAt: number | null }) =>
    queryBuilder.updateTable('devices').set({ silent_check_at: null, silent_noticed_at: p.noticedAt }).where('id', '=', p.id),
  ),
  rebaseTimes: statementPlan((p: { placeId: number; since: number; delta: number }) =>
    queryBuilder
      .updateTable('devices')
      .set((eb) => {
        const moved = (column: RebasedDeviceColumn) => eb.case().when(column, '>=', p.since).then(eb(column, '+', p.delta)).else(eb.ref(column)).end();
        return {
          first_seen_at: moved('first_seen_at'),
          last_seen_at: moved('last_seen_at'),
          last_heartbeat_at: moved('last_heartbeat_at'),
          mains_since: moved('mains_since'),
          silent_check_at: moved('silent_check_at'),
          silent_noticed_at: moved('silent_noticed_at'),
          previous_key_until: moved('previous_key_until'),
          awaiting_key_since: moved('awaiting_key_since'),
        };
      })
      .where('location_id', '=', p.placeId),
  ),
  rename: statementPlan((p: { id: number; name: string }) => queryBuilder.updateTable('devices').set({ name: p.name }).where('id', '=', p.id)),
  deleteById: statementPlan((p: { id: number }) => queryBuilder.deleteFrom('devices').where('id', '=', p.id)),
};

/**
 * The one owner of the `devices` table. Synchronous on the main thread's connection, so the
 * monitor composes its statements with the place's in one transaction. A key is looked up here
 * once and then answered from memory (src/monitor/key-index.ts).
 */
export class DeviceStore {
  private readonly statements;

  constructor(private readonly sqlite: SyncDatabase) {
    this.statements = prepareStatements(sqlite, devicePlans);
  }

  findKey(apiKey: string): DeviceKeyHolder | undefined {
    return this.statements.byKey.get({ key: apiKey });
  }

  findPreviousKey(apiKey: string, now: number): (DeviceKeyHolder & { until: number }) | undefined {
    return this.statements.byPreviousKey.get({ key: apiKey, now });
  }

  get(id: number): Device | undefined {
    return this.statements.byId.get({ id });
  }

  /** The place's devices, first added first (the first is the one the place's own key columns mirror). */
  ofPlace(placeId: number): Device[] {
    return this.statements.ofPlace.all({ placeId });
  }

  insert(values: Insertable<DevicesTable>): Device {
    return prepareQuery(this.sqlite, queryBuilder.insertInto('devices').values(values).returningAll()).one();
  }

  /**
   * A step of the wall clock (src/monitor/clock-rebase.ts): the place's devices' times stored at or
   * after `since` move by `deltaMs`, as the place's own do, so a device is not taken for silent (or
   * for heard from in the future) because the clock jumped.
   */
  rebaseTimes(placeId: number, since: number, deltaMs: number): void {
    this.statements.rebaseTimes.run({ placeId, since, delta: deltaMs });
  }

  rename(id: number, name: string): boolean {
    return this.statements.rename.run({ id, name }).changes > 0;
  }

  delete(id: number): boolean {
    return this.statements.deleteById.run({ id }).changes > 0;
  }

  saveHeartbeat(write: DeviceHeartbeatWrite): void {
    this.statements.saveHeartbeat.run(write);
  }

  saveEvent(write: DeviceEventWrite): void {
    this.statements.saveEvent.run(write);
  }

  saveKeyRotation(id: number, rotation: DeviceKeyRotation): void {
    this.statements.saveRotation.run({ id, ...rotation });
  }

  forgetPreviousKey(id: number): void {
    this.statements.clearPreviousKey.run({ id });
  }

  lapsedPreviousKeys(now: number): Array<DeviceKeyHolder & { previous_key_until: number }> {
    return this.statements.lapsedPreviousKeys.all({ now });
  }

  /** Devices whose silence is due to be looked at by `now` (the devices_silent_check index). */
  silentDue(now: number, limit: number): DeviceKeyHolder[] {
    return this.statements.silentDue.all({ now, limit });
  }

  /** The silence was looked at; `noticedAt` set when the admins were told. */
  markSilence(id: number, noticedAt: number | null): void {
    this.statements.markSilence.run({ id, noticedAt });
  }
}
