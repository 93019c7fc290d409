import { withoutWaiting, type SyncDatabase } from '../db/sync-database.js';
import type { Device, DeviceStore, DeviceKeyRotation } from '../devices/device-store.js';
import type { PowerEventStore } from '../history/power-event-store.js';
import type { PlaceStore, WatchedPlace } from '../places/place-store.js';
import type { OutboxMessage } from '../outbox/messages.js';
import type { OutboxStore } from '../outbox/outbox-store.js';
import type { PlaceRebase } from './clock-rebase.js';
import { deadlineFor, type Decision, type OpenInterval, type ServiceClock, type TrackedPlace } from './state-machine.js';

/** Device facts reported with a heartbeat; undefined means "not reported, keep what we have". */
export interface DeviceFacts {
  uptimeMs?: number | undefined;
  bootId?: string | undefined;
  resetReason?: string | undefined;
  rssi?: number | undefined;
  fw?: string | undefined;
  ip?: string | undefined;
}

/** The owners whose statements a decision composes, shared with the rest of the service. */
export interface DecisionOwners {
  places: PlaceStore;
  events: PowerEventStore;
  devices: DeviceStore;
  /** Where decided messages are queued: the outbox's owner, or a writer in front of it (src/people/place-alerts.ts). */
  outbox: Pick<OutboxStore, 'enqueue'>;
}

/** The place as the state machine sees it; `bootId` is the reporting device's last boot, when one reports. */
export function trackedPlace(row: WatchedPlace, bootId: string | null = row.device_boot_id): TrackedPlace {
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
 * The synchronous storage side of the state machine: the writes that must land together. It
 * writes no SQL of its own: a decision composes the owners' statements — the place's state
 * (PlaceStore), its intervals (PowerEventStore) and the outbox row — in ONE better-sqlite3
 * IMMEDIATE transaction, and because it is synchronous no other write can interleave on the main
 * thread. The same holds for a clock step's moves and a key rotation mirrored on the place. What
 * is read or written alone, the monitor asks of the owner itself.
 */
export class PowerStore {
  private readonly places: PlaceStore;
  private readonly events: PowerEventStore;
  private readonly devices: DeviceStore;
  private readonly outbox: Pick<OutboxStore, 'enqueue'>;
  /** Built once: better-sqlite3 compiles a wrapper per transaction() call. */
  private readonly runInTransaction;

  constructor(
    private readonly sqlite: SyncDatabase,
    owners: DecisionOwners,
  ) {
    this.places = owners.places;
    this.events = owners.events;
    this.devices = owners.devices;
    this.outbox = owners.outbox;
    // IMMEDIATE: the write lock is taken at BEGIN, so a transaction that reads first cannot fail
    // half-way when it upgrades to a write while another process holds the lock.
    this.runInTransaction = sqlite.transaction((work: () => unknown) => work()).immediate;
  }

  /**
   * A device's key changed; for the place's first device the place's own key columns follow
   * (they show "the place's key" to what predates devices).
   */
  saveKeyRotation(device: Pick<Device, 'id' | 'location_id'>, first: boolean, rotation: DeviceKeyRotation): void {
    this.devices.saveKeyRotation(device.id, rotation);
    if (first) this.places.saveKeyRotation(device.location_id, rotation);
  }

  /** The device used its new key: the old one stops working. */
  forgetPreviousKey(device: Pick<Device, 'id' | 'location_id'>, first: boolean): void {
    this.devices.forgetPreviousKey(device.id);
    if (first) this.places.forgetPreviousKey(device.location_id);
  }

  /**
   * Saves a heartbeat that proves power and the decision it led to, atomically. `facts` are the
   * place's own device columns (its first device's, mirrored); null keeps them.
   */
  recordHeartbeat(placeId: number, at: number, facts: DeviceFacts, decision: Decision, message: OutboxMessage | null): void {
    this.inTransaction(() => {
      this.places.saveHeartbeat({
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
      if (message) this.outbox.enqueue(message, at);
    });
  }

  /** Saves a decision not caused by a heartbeat (timeout, restart, pause), atomically. */
  recordDecision(placeId: number, now: number, decision: Decision, message: OutboxMessage | null): void {
    this.inTransaction(() => {
      this.places.saveState(placeId, { status: decision.status, statusSince: decision.statusSince, deadlineAt: decision.deadlineAt });
      this.writeIntervals(placeId, decision);
      if (message) this.outbox.enqueue(message, now);
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
        this.places.rebaseTimes(placeId, from, deltaMs);
        this.devices.rebaseTimes(placeId, from, deltaMs);
      } else {
        // Told apart by where it came from: the times this run wrote from its own clock move,
        // nothing of the previous run does, whatever its time. A place this run has not heard from
        // has only times of the previous run (an OFF it declared began at that run's last heartbeat).
        if (heard) this.events.rebaseRun(placeId, runFirstEventId, deltaMs);
        this.places.rebaseTimes(placeId, Number.MAX_SAFE_INTEGER, deltaMs, {
          heartbeatSince: heard ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER,
          statusSince: heard && statusSet ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER,
        });
        // A device this run heard from carries times of this run's clock; the others the previous run's.
        if (heard) this.devices.rebaseTimes(placeId, Number.MIN_SAFE_INTEGER, deltaMs);
      }
      const row = this.places.watched(placeId);
      if (row && row.deadline_at !== null) this.places.setTimeout(placeId, row.timeout_s, deadlineFor(row.last_heartbeat_at, row.timeout_s * 1000, service));
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

  /** Runs `work` without waiting for another writer's lock (a probe while storage is failing). */
  withoutWaiting<T>(work: () => T): T {
    return withoutWaiting(this.sqlite, work);
  }

  private writeIntervals(placeId: number, decision: Decision): void {
    if (decision.closeCurrentAt !== null) this.events.closeOpen(placeId, decision.closeCurrentAt);
    for (const interval of decision.append) this.events.append(placeId, interval);
  }
}
