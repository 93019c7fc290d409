import type SqliteDatabase from 'better-sqlite3';
import { ServiceStateStore } from '../db/service-state.js';
import { DeviceStore, type Device, type DeviceEventWrite, type DeviceHeartbeatWrite, type DeviceKeyHolder, type DeviceKeyRotation } from '../devices/device-store.js';
import { PowerEventStore } from '../history/power-event-store.js';
import { PlaceStore, type WatchedDevice, type WatchedPlace } from '../places/place-store.js';
import type { OutboxMessage } from '../outbox/messages.js';
import { OutboxStore } from '../outbox/outbox-store.js';
import type { PlaceRebase } from './clock-rebase.js';
import { deadlineFor, type Decision, type OpenInterval, type ServiceClock, type TrackedPlace } from './state-machine.js';

export type { Device, WatchedDevice, WatchedPlace };

/** Device facts reported with a heartbeat; undefined means "not reported, keep what we have". */
export interface DeviceFacts {
  uptimeMs?: number | undefined;
  bootId?: string | undefined;
  resetReason?: string | undefined;
  rssi?: number | undefined;
  fw?: string | undefined;
  ip?: string | undefined;
}

/** What a key lookup tells the heartbeat path: the device and its place. */
export type AuthenticatedDevice = DeviceKeyHolder;

export type QueuedMessage = OutboxMessage;

/** The owners whose statements a decision composes (each defaults to one on the same connection). */
export interface PowerStoreOwners {
  locations?: PlaceStore;
  events?: PowerEventStore;
  serviceState?: ServiceStateStore;
  devices?: DeviceStore;
}

/**
 * The synchronous storage side of the state machine. It writes no SQL of its own: a decision
 * composes the owners' statements — the location's state (PlaceStore), its intervals
 * (PowerEventStore) and the outbox row (OutboxStore) — in ONE better-sqlite3 transaction, and
 * because it is synchronous no other write can interleave on the main thread.
 */
export class PowerStore {
  readonly locations: PlaceStore;
  readonly events: PowerEventStore;
  readonly serviceState: ServiceStateStore;
  readonly devices: DeviceStore;
  /** Built once: better-sqlite3 compiles a wrapper per transaction() call. */
  private readonly runInTransaction;

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    /** Where decided messages are queued: the outbox's owner, or a writer in front of it (src/people/place-alerts.ts). */
    private readonly outbox: Pick<OutboxStore, 'enqueue'> = new OutboxStore(sqlite),
    owners: PowerStoreOwners = {},
  ) {
    this.locations = owners.locations ?? new PlaceStore(sqlite);
    this.events = owners.events ?? new PowerEventStore(sqlite);
    this.serviceState = owners.serviceState ?? new ServiceStateStore(sqlite);
    this.devices = owners.devices ?? new DeviceStore(sqlite);
    // IMMEDIATE: the write lock is taken at BEGIN, so a transaction that reads first cannot fail
    // half-way when it upgrades to a write while another process holds the lock.
    this.runInTransaction = sqlite.transaction((work: () => unknown) => work()).immediate;
  }

  /** The device whose current key this is. */
  findKey(apiKey: string): AuthenticatedDevice | undefined {
    return this.devices.findKey(apiKey);
  }

  /** The device whose previous key this is, while that key is still accepted (a rotation's grace). */
  findPreviousKey(apiKey: string, now: number): (AuthenticatedDevice & { until: number }) | undefined {
    return this.devices.findPreviousKey(apiKey, now);
  }

  /** The place with the device that reported (of that place), in one read. */
  watchedDevice(placeId: number, deviceId: number): WatchedDevice | undefined {
    return this.locations.watchedDevice(placeId, deviceId);
  }

  devicesOf(placeId: number): Device[] {
    return this.devices.ofPlace(placeId);
  }

  device(id: number): Device | undefined {
    return this.devices.get(id);
  }

  /**
   * A device's key changed; for the place's first device the place's own key columns follow
   * (they show "the place's key" to what predates devices).
   */
  saveKeyRotation(device: Pick<Device, 'id' | 'location_id'>, first: boolean, rotation: DeviceKeyRotation): void {
    this.devices.saveKeyRotation(device.id, rotation);
    if (first) this.locations.saveKeyRotation(device.location_id, rotation);
  }

  /** The device used its new key: the old one stops working. */
  forgetPreviousKey(device: Pick<Device, 'id' | 'location_id'>, first: boolean): void {
    this.devices.forgetPreviousKey(device.id);
    if (first) this.locations.forgetPreviousKey(device.location_id);
  }

  /** Devices whose old key's grace ended by `now`. */
  lapsedPreviousKeyDevices(now: number): Array<AuthenticatedDevice & { previous_key_until: number }> {
    return this.devices.lapsedPreviousKeys(now);
  }

  saveDeviceHeartbeat(write: DeviceHeartbeatWrite): void {
    this.devices.saveHeartbeat(write);
  }

  saveDeviceEvent(write: DeviceEventWrite): void {
    this.devices.saveEvent(write);
  }

  findById(id: number): WatchedPlace | undefined {
    return this.locations.watched(id);
  }

  allPlaceIds(): number[] {
    return this.locations.allIds();
  }

  expiredIds(now: number, limit = 1000): number[] {
    return this.locations.expiredIds(now, limit);
  }

  /** The place as the state machine sees it; `bootId` is the reporting device's last boot, when one reports. */
  tracked(row: WatchedPlace, bootId: string | null = row.device_boot_id): TrackedPlace {
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
      deviceBootId: bootId,
      current,
    };
  }

  /**
   * Saves a heartbeat that proves power and the decision it led to, atomically. `facts` are the
   * place's own device columns (its first device's, mirrored); null keeps them.
   */
  recordHeartbeat(placeId: number, at: number, facts: DeviceFacts, decision: Decision, message: QueuedMessage | null): void {
    this.inTransaction(() => {
      this.locations.saveHeartbeat({
        id: placeId,
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
      this.writeIntervals(placeId, decision);
      if (message) this.queue(message, at);
    });
  }

  /** Saves a decision not caused by a heartbeat (timeout, restart, pause), atomically. */
  recordDecision(placeId: number, now: number, decision: Decision, message: QueuedMessage | null): void {
    this.inTransaction(() => {
      this.locations.saveState(placeId, { status: decision.status, statusSince: decision.statusSince, deadlineAt: decision.deadlineAt });
      this.writeIntervals(placeId, decision);
      if (message) this.queue(message, now);
    });
  }

  /**
   * Moves the place's times stored at or after `since` by `deltaMs`, atomically: its intervals and
   * its state (see clock-rebase.ts); after a start on a clock behind the previous run's, the times
   * this run wrote instead (`runFirstEventId`, `heard`, `statusSet`). A pending deadline is worked out again by the one deadline
   * rule from the moved last heartbeat and `service` (already in the new base), so it falls a full
   * timeout after the last heartbeat, or after watching started, in time that really passed.
   * Returns where the move began (see PowerEventStore.rebaseSince).
   */
  rebase(placeId: number, { rebase, heard, statusSet }: PlaceRebase, service: ServiceClock): number {
    const { since, deltaMs, runFirstEventId } = rebase;
    return this.inTransaction(() => {
      let from = since;
      if (runFirstEventId === undefined) {
        from = this.events.rebaseSince(placeId, since, deltaMs);
        this.locations.rebaseTimes(placeId, from, deltaMs);
        this.devices.rebaseTimes(placeId, from, deltaMs);
      } else {
        // Told apart by where it came from: the times this run wrote from its own clock move,
        // nothing of the previous run does, whatever its time. A place this run has not heard from
        // has only times of the previous run (an OFF it declared began at that run's last heartbeat).
        if (heard) this.events.rebaseRun(placeId, runFirstEventId, deltaMs);
        this.locations.rebaseTimes(placeId, Number.MAX_SAFE_INTEGER, deltaMs, {
          heartbeatSince: heard ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER,
          statusSince: heard && statusSet ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER,
        });
        // A device this run heard from carries times of this run's clock; the others the previous run's.
        if (heard) this.devices.rebaseTimes(placeId, Number.MIN_SAFE_INTEGER, deltaMs);
      }
      const row = this.locations.watched(placeId);
      if (row && row.deadline_at !== null) this.locations.setTimeout(placeId, row.timeout_s, deadlineFor(row.last_heartbeat_at, row.timeout_s * 1000, service));
      return from;
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

  setPaused(placeId: number, paused: boolean): void {
    this.locations.setPaused(placeId, paused);
  }

  setTimeout(placeId: number, timeoutS: number, deadlineAt: number | null): void {
    this.locations.setTimeout(placeId, timeoutS, deadlineAt);
  }

  readServiceState(key: string): string | undefined {
    return this.serviceState.read(key);
  }

  writeServiceState(key: string, value: string): void {
    this.serviceState.write(key, value);
  }

  private writeIntervals(placeId: number, decision: Decision): void {
    if (decision.closeCurrentAt !== null) this.events.closeOpen(placeId, decision.closeCurrentAt);
    for (const interval of decision.append) this.events.append(placeId, interval);
  }
}
