import type SqliteDatabase from 'better-sqlite3';
import type { EdgeKind, IntervalStatus, LocationsTable } from '../db/schema.js';
import type { Selectable } from 'kysely';
import type { OutboxMessage } from '../outbox/messages.js';
import { OutboxStore } from '../outbox/outbox-store.js';
import type { Decision, OpenInterval, TrackedLocation } from './state-machine.js';

export type LocationRow = Selectable<LocationsTable>;

/** Device facts reported with a heartbeat; undefined means "not reported, keep what we have". */
export interface DeviceFacts {
  uptimeMs?: number | undefined;
  bootId?: string | undefined;
  resetReason?: string | undefined;
  rssi?: number | undefined;
  fw?: string | undefined;
  ip?: string | undefined;
}

export type QueuedMessage = OutboxMessage;

/**
 * The synchronous storage side of the state machine. Every write of a decision happens in one
 * better-sqlite3 transaction (the state, the intervals and the outbox row together), and because
 * it is synchronous no other write can interleave on the main thread.
 */
export class PowerStore {
  private readonly byKey;
  private readonly byId;
  private readonly openInterval;
  private readonly saveHeartbeat;
  private readonly saveState;
  private readonly closeInterval;
  private readonly insertInterval;
  private readonly expired;
  private readonly watched;
  private readonly readState;
  private readonly writeState;
  private readonly updatePaused;
  /** Built once: better-sqlite3 compiles a wrapper per transaction() call. */
  private readonly runInTransaction;

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly outbox: OutboxStore = new OutboxStore(sqlite),
  ) {
    this.byKey = sqlite.prepare<[string], { id: number; timeout_s: number }>('SELECT id, timeout_s FROM locations WHERE api_key = ?');
    this.byId = sqlite.prepare<[number], LocationRow>('SELECT * FROM locations WHERE id = ?');
    this.openInterval = sqlite.prepare<[number], { status: IntervalStatus; started_at: number; start_edge: EdgeKind }>(
      'SELECT status, started_at, start_edge FROM power_events WHERE location_id = ? AND ended_at IS NULL',
    );
    this.saveHeartbeat = sqlite.prepare(
      `UPDATE locations SET last_heartbeat_at = @at, deadline_at = @deadlineAt, status = @status, status_since = @statusSince,
         device_uptime_ms = coalesce(@uptimeMs, device_uptime_ms), device_boot_id = coalesce(@bootId, device_boot_id),
         device_reset_reason = coalesce(@resetReason, device_reset_reason), device_rssi = coalesce(@rssi, device_rssi),
         device_fw = coalesce(@fw, device_fw), device_ip = coalesce(@ip, device_ip)
       WHERE id = @id`,
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
    this.watched = sqlite.prepare<[], LocationRow>('SELECT * FROM locations');
    this.runInTransaction = sqlite.transaction((work: () => unknown) => work());
    this.updatePaused = sqlite.prepare('UPDATE locations SET paused = ? WHERE id = ?');
    this.readState = sqlite.prepare<[string], { value: string }>('SELECT value FROM service_state WHERE key = ?');
    this.writeState = sqlite.prepare(
      'INSERT INTO service_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  findKey(apiKey: string): { id: number; timeout_s: number } | undefined {
    return this.byKey.get(apiKey);
  }

  findById(id: number): LocationRow | undefined {
    return this.byId.get(id);
  }

  allLocations(): LocationRow[] {
    return this.watched.all();
  }

  expiredIds(now: number, limit = 1000): number[] {
    return this.expired.all(now, limit).map((row) => row.id);
  }

  tracked(row: LocationRow): TrackedLocation {
    const open = this.openInterval.get(row.id);
    const current: OpenInterval | null = open
      ? { status: open.status, startedAt: open.started_at, startEdge: open.start_edge }
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
      this.saveHeartbeat.run({
        id: locationId,
        at,
        deadlineAt: decision.deadlineAt,
        status: decision.status,
        statusSince: decision.statusSince,
        uptimeMs: facts.uptimeMs ?? null,
        bootId: facts.bootId ?? null,
        resetReason: facts.resetReason ?? null,
        rssi: facts.rssi ?? null,
        fw: facts.fw ?? null,
        ip: facts.ip ?? null,
      });
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

  /** Runs `work` in one transaction; nested calls join the outer one. */
  inTransaction<T>(work: () => T): T {
    if (this.sqlite.inTransaction) return work();
    return this.runInTransaction(work) as T;
  }



  queue(message: QueuedMessage, now: number): void {
    this.outbox.enqueue(message, now);
  }

  setPaused(locationId: number, paused: boolean): void {
    this.updatePaused.run(paused ? 1 : 0, locationId);
  }

  readServiceState(key: string): string | undefined {
    return this.readState.get(key)?.value;
  }

  writeServiceState(key: string, value: string): void {
    this.writeState.run(key, value);
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
