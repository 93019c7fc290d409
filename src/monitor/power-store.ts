import type SqliteDatabase from 'better-sqlite3';
import type { EdgeKind, IntervalStatus, LocationsTable } from '../db/schema.js';
import type { OutboxMessage } from '../outbox/messages.js';
import { OutboxStore } from '../outbox/outbox-store.js';
import { ServiceStateStore } from '../db/service-state.js';
import type { Selectable } from 'kysely';
import type { Decision, OpenInterval, TrackedLocation } from './state-machine.js';

export type LocationRow = Selectable<LocationsTable>;

/** The columns of a place that its decisions need (every column read costs on the hot path). */
const WATCHED_COLUMNS = [
  'id',
  'api_key',
  'previous_api_key',
  'previous_key_until',
  'timeout_s',
  'status',
  'status_since',
  'last_heartbeat_at',
  'deadline_at',
  'paused',
  'device_boot_id',
] as const satisfies readonly (keyof LocationRow)[];

/** A place's state with its open interval (if any), read in one lookup: what every decision needs. */
export type WatchedLocation = Pick<LocationRow, (typeof WATCHED_COLUMNS)[number]> & {
  open_status: IntervalStatus | null;
  open_started_at: number | null;
  open_start_edge: EdgeKind | null;
};

/** The place joined with its open interval (at most one: the power_events_open index). */
const WATCHED_LOCATION = `SELECT ${WATCHED_COLUMNS.map((column) => `l.${column}`).join(', ')},
    e.status AS open_status, e.started_at AS open_started_at, e.start_edge AS open_start_edge
  FROM locations l LEFT JOIN power_events e ON e.location_id = l.id AND e.ended_at IS NULL`;

/** Device facts reported with a heartbeat; undefined means "not reported, keep what we have". */
export interface DeviceFacts {
  uptimeMs?: number | undefined;
  bootId?: string | undefined;
  resetReason?: string | undefined;
  rssi?: number | undefined;
  fw?: string | undefined;
  ip?: string | undefined;
}

/** What a key lookup tells the heartbeat path. */
export interface AuthenticatedPlace {
  id: number;
  timeout_s: number;
}

export type QueuedMessage = OutboxMessage;

/**
 * The synchronous storage side of the state machine. Every write of a decision happens in one
 * better-sqlite3 transaction (the state, the intervals and the outbox row together), and because
 * it is synchronous no other write can interleave on the main thread.
 */
export class PowerStore {
  private readonly byKey;
  private readonly byPreviousKey;
  private readonly clearPreviousKey;
  private readonly saveRotation;
  private readonly lapsedPreviousKeys;
  private readonly byId;
  private readonly saveHeartbeat;
  private readonly saveState;
  private readonly closeInterval;
  private readonly insertInterval;
  private readonly expired;
  private readonly allIds;
  private readonly serviceState;
  private readonly updatePaused;
  private readonly updateTimeout;
  /** Built once: better-sqlite3 compiles a wrapper per transaction() call. */
  private readonly runInTransaction;

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly outbox: OutboxStore = new OutboxStore(sqlite),
  ) {
    this.byKey = sqlite.prepare<[string], AuthenticatedPlace>('SELECT id, timeout_s FROM locations WHERE api_key = ?');
    this.byPreviousKey = sqlite.prepare<[string, number], AuthenticatedPlace & { until: number }>(
      'SELECT id, timeout_s, previous_key_until AS until FROM locations WHERE previous_api_key = ? AND previous_key_until > ?',
    );
    this.clearPreviousKey = sqlite.prepare('UPDATE locations SET previous_api_key = NULL, previous_key_until = NULL WHERE id = ?');
    this.saveRotation = sqlite.prepare(
      `UPDATE locations SET api_key = @apiKey, previous_api_key = @previousKey, previous_key_until = @previousUntil,
         awaiting_key_since = coalesce(@awaitingSince, awaiting_key_since) WHERE id = @id`,
    );
    this.lapsedPreviousKeys = sqlite.prepare<[number], { id: number; previous_key_until: number }>(
      'SELECT id, previous_key_until FROM locations WHERE previous_key_until IS NOT NULL AND previous_key_until <= ?',
    );
    this.byId = sqlite.prepare<[number], WatchedLocation>(`${WATCHED_LOCATION} WHERE l.id = ?`);
    // Positional parameters: binding by name costs more, and this runs for every heartbeat.
    this.saveHeartbeat = sqlite.prepare<[number, number | null, string, number | null, number | null, string | null, string | null, number | null, string | null, string | null, number]>(
      `UPDATE locations SET last_heartbeat_at = ?, deadline_at = ?, status = ?, status_since = ?, awaiting_key_since = NULL,
         device_uptime_ms = coalesce(?, device_uptime_ms), device_boot_id = coalesce(?, device_boot_id),
         device_reset_reason = coalesce(?, device_reset_reason), device_rssi = coalesce(?, device_rssi),
         device_fw = coalesce(?, device_fw), device_ip = coalesce(?, device_ip)
       WHERE id = ?`,
    );
    this.saveState = sqlite.prepare(
      'UPDATE locations SET status = @status, status_since = @statusSince, deadline_at = @deadlineAt WHERE id = @id',
    );
    this.closeInterval = sqlite.prepare(
      'UPDATE power_events SET ended_at = max(@at, started_at) WHERE location_id = @locationId AND ended_at IS NULL',
    );
    this.insertInterval = sqlite.prepare(
      `INSERT INTO power_events (location_id, status, started_at, ended_at, start_edge)
       VALUES (@locationId, @status, @startedAt, @endedAt, @edge)`,
    );
    this.expired = sqlite.prepare<[number, number], { id: number }>(
      'SELECT id FROM locations WHERE deadline_at IS NOT NULL AND deadline_at <= ? AND paused = 0 ORDER BY deadline_at LIMIT ?',
    );
    this.allIds = sqlite.prepare<[], number>('SELECT id FROM locations ORDER BY id').pluck();
    // IMMEDIATE: the write lock is taken at BEGIN, so a transaction that reads first cannot fail
    // half-way when it upgrades to a write while another process holds the lock.
    this.runInTransaction = sqlite.transaction((work: () => unknown) => work()).immediate;
    this.updatePaused = sqlite.prepare('UPDATE locations SET paused = ? WHERE id = ?');
    this.updateTimeout = sqlite.prepare('UPDATE locations SET timeout_s = ?, deadline_at = ? WHERE id = ?');
    this.serviceState = new ServiceStateStore(sqlite);
  }

  /** The place whose current key this is. */
  findKey(apiKey: string): AuthenticatedPlace | undefined {
    return this.byKey.get(apiKey);
  }

  /** The place whose previous key this is, while that key is still accepted (a rotation's grace). */
  findPreviousKey(apiKey: string, now: number): (AuthenticatedPlace & { until: number }) | undefined {
    return this.byPreviousKey.get(apiKey, now);
  }

  /** The board used the new key: the old one stops working. */
  forgetPreviousKey(locationId: number): void {
    this.clearPreviousKey.run(locationId);
  }

  saveKeyRotation(locationId: number, rotation: { apiKey: string; previousKey: string | null; previousUntil: number | null; awaitingSince: number | null }): void {
    this.saveRotation.run({ id: locationId, ...rotation });
  }

  /** Places whose old key's grace ended by `now`. */
  lapsedPreviousKeyPlaces(now: number): { id: number; previous_key_until: number }[] {
    return this.lapsedPreviousKeys.all(now);
  }

  findById(id: number): WatchedLocation | undefined {
    return this.byId.get(id);
  }

  allLocationIds(): number[] {
    return this.allIds.all();
  }

  expiredIds(now: number, limit = 1000): number[] {
    return this.expired.all(now, limit).map((row) => row.id);
  }

  tracked(row: WatchedLocation): TrackedLocation {
    const current: OpenInterval | null =
      row.open_status !== null && row.open_started_at !== null && row.open_start_edge !== null
        ? { status: row.open_status, startedAt: row.open_started_at, startEdge: row.open_start_edge }
        : null;
    return {
      status: row.status,
      statusSince: row.status_since,
      lastHeartbeatAt: row.last_heartbeat_at,
      timeoutMs: row.timeout_s * 1000,
      paused: row.paused === 1,
      deviceBootId: row.device_boot_id,
      current,
    };
  }

  /** Saves a heartbeat's facts and the decision it led to, atomically. */
  recordHeartbeat(locationId: number, at: number, facts: DeviceFacts, decision: Decision, message: QueuedMessage | null): void {
    this.inTransaction(() => {
      this.saveHeartbeat.run(
        at,
        decision.deadlineAt,
        decision.status,
        decision.statusSince,
        facts.uptimeMs ?? null,
        facts.bootId ?? null,
        facts.resetReason ?? null,
        facts.rssi ?? null,
        facts.fw ?? null,
        facts.ip ?? null,
        locationId,
      );
      this.writeIntervals(locationId, decision);
      if (message) this.queue(message, at);
    });
  }

  /** Saves a decision not caused by a heartbeat (timeout, restart, pause), atomically. */
  recordDecision(locationId: number, now: number, decision: Decision, message: QueuedMessage | null): void {
    this.inTransaction(() => {
      this.saveState.run({
        id: locationId,
        status: decision.status,
        statusSince: decision.statusSince,
        deadlineAt: decision.deadlineAt,
      });
      this.writeIntervals(locationId, decision);
      if (message) this.queue(message, now);
    });
  }

  inOpenTransaction(): boolean {
    return this.sqlite.inTransaction;
  }

  /** Runs `work` in one (IMMEDIATE) transaction; nested calls join the outer one. */
  inTransaction<T>(work: () => T): T {
    if (this.sqlite.inTransaction) return work();
    return this.runInTransaction(work) as T;
  }

  /**
   * Runs `work` without waiting for another process's lock (SQLITE_BUSY at once instead of after
   * busy_timeout): a probe while storage is failing must not stall the event loop.
   */
  withoutWaiting<T>(work: () => T): T {
    const waitMs = this.sqlite.pragma('busy_timeout', { simple: true }) as number;
    this.sqlite.pragma('busy_timeout = 0');
    try {
      return work();
    } finally {
      this.sqlite.pragma(`busy_timeout = ${Number(waitMs)}`);
    }
  }

  queue(message: QueuedMessage, now: number): void {
    this.outbox.enqueue(message, now);
  }

  setPaused(locationId: number, paused: boolean): void {
    this.updatePaused.run(paused ? 1 : 0, locationId);
  }

  setTimeout(locationId: number, timeoutS: number, deadlineAt: number | null): void {
    this.updateTimeout.run(timeoutS, deadlineAt, locationId);
  }

  readServiceState(key: string): string | undefined {
    return this.serviceState.read(key);
  }

  writeServiceState(key: string, value: string): void {
    this.serviceState.write(key, value);
  }

  private writeIntervals(locationId: number, decision: Decision): void {
    if (decision.closeCurrentAt !== null) this.closeInterval.run({ locationId, at: decision.closeCurrentAt });
    for (const interval of decision.append) {
      this.insertInterval.run({
        locationId,
        status: interval.status,
        startedAt: interval.startedAt,
        endedAt: interval.endedAt,
        edge: interval.edge,
      });
    }
  }
}
