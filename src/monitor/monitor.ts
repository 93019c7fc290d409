import type { Clock } from '../clock.js';
import { STEP_THRESHOLD_MS, type ClockStep, type ClockSteps } from '../clock-steps.js';
import { isStorageFault, StorageHealth, StorageUnavailableError } from '../db/storage-faults.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { DeviceLink } from '../db/schema.js';
import { KeyIndex } from './key-index.js';
import type { AlertPayload, DeviceNoticePayload } from '../outbox/messages.js';
import type { Alert, AlertPlan } from '../outbox/payload-parts.js';
import { PendingGaps } from './pending-gaps.js';
import { ClockRebases } from './clock-rebase.js';
import { evidenceAtDeadline, mainsUpdate, proverOf, type MainsUpdate } from './device-evidence.js';
import type { Device, DeviceStore } from '../devices/device-store.js';
import type { ServiceStateStore } from '../db/service-state.js';
import type { PowerEventStore } from '../history/power-event-store.js';
import type { OutboxStore } from '../outbox/outbox-store.js';
import type { PlaceStore, WatchedDevice, WatchedPlace } from '../places/place-store.js';
import type { KeyRotation, PlaceWatch } from '../places/place-service.js';
import { trackedPlace, type DeviceFacts, type PowerStore } from './power-store.js';
import {
  applyDeadline,
  applyHeartbeat,
  applyKeyRevoked,
  applyMainsOff,
  applyMainsOn,
  applyPause,
  applyServiceStart,
  deadlineFor,
  type Decision,
  type Heartbeat,
  type ServiceClock,
} from './state-machine.js';

const LAST_ALIVE_KEY = 'last_alive_at';
/** What a recovery probe writes: any write that commits proves storage works again. */
const STORAGE_PROBE_KEY = 'storage_probe_at';
/** How often "the service is watching" is written down (the start of the unknown span after a crash). */
const ALIVE_EVERY_MS = 5_000;
/** While storage fails, how often a write is tried to see whether it works again. */
const RECOVERY_PROBE_MS = 1_000;
/** What a device refused for a storage fault is told to wait before it tries again. */
const STORAGE_RETRY_AFTER_S = 5;
/**
 * Gaps recorded at start before the service opens (past this, the rest go in the background), and
 * per background turn (a few milliseconds of work, so heartbeats go in between). On PostgreSQL
 * each statement is a round trip, some 20× SQLite's cost, and the batch holds the writers' lock
 * that the other instances wait for: smaller batches there (MonitorOptions.gapBatches).
 */
export interface GapBatches {
  atStart: number;
  perTurn: number;
}
export const SQLITE_GAP_BATCHES: GapBatches = { atStart: 5_000, perTurn: 500 };
export const POSTGRES_GAP_BATCHES: GapBatches = { atStart: 200, perTurn: 50 };
/** Places moved for a clock step per background turn (each rewrites its intervals: ~0.15 ms). */
const REBASES_PER_TURN = 100;
/**
 * Places moved for a clock step inside one sweep: after a step forward the sweep worker reports
 * every place as expired; past this many, the background moves them (and the worker reports the
 * ones whose moved deadline really passed), so the event loop is not held for the whole lot.
 */
const REBASES_PER_SWEEP = 100;
/** Expired places one sweep decides (the sweep worker reports more on its next look). */
const EXPIRED_PER_SWEEP = 1000;

export type HeartbeatReport = Omit<Heartbeat, 'at' | 'mainsOnAt'> &
  DeviceFacts & {
    /** The key the device used: checked again when the heartbeat is stored, so a key rotated in between is refused. */
    key?: string | undefined;
    /** The device that sent it (from its key); absent: the place's first device (simulations, benches). */
    deviceId?: number | undefined;
    /** The device sees the mains (true) or runs on its battery (false); absent: a mains-only device. */
    mains?: boolean | undefined;
    /** How long before sending the mains became what `mains` says. */
    mainsChangedMsAgo?: number | undefined;
    link?: DeviceLink | undefined;
  };

/** A one-shot mains event of a device (POST/GET /api/event), already validated. */
export interface EventReport {
  key?: string | undefined;
  deviceId: number;
  mains: boolean;
  /** When the change happened, on the server's clock (the endpoint clamped a future time to arrival); absent: on arrival. */
  at?: number | undefined;
  /** How long before sending the change happened (instead of `at`). */
  msAgo?: number | undefined;
  id?: string | undefined;
  ip?: string | undefined;
}

/** What an event did: false for a replay, an event older than the state applied, or one that says what is known. */
export interface AppliedEvent {
  applied: boolean;
}

/** How many event ids a device's replays are recognised by. */
const EVENT_IDS_KEPT = 16;
/** Devices whose silence is looked at per turn. */
const SILENCES_PER_TURN = 200;

/** How long an old key keeps working after a "keep the old key" rotation, at most. */
export const OLD_KEY_GRACE_MS = 7 * 24 * 3600_000;

/**
 * A heartbeat whose key stopped working (rotated, or the place deleted) between its check and its
 * storing: refused like any unknown key (401).
 */
export class HeartbeatRefusedError extends Error {
  readonly status = 401;
  readonly expose = true;
  constructor() {
    super('Unknown or missing device key.');
    this.name = 'HeartbeatRefusedError';
  }
}

/** What the device is told once its heartbeat is stored. */
export interface StoredHeartbeat {
  /** The place's timeout as it is now (the device derives its interval from it). */
  timeoutS: number;
}

interface PendingHeartbeat {
  placeId: number;
  report: HeartbeatReport;
  at: number;
  stored?: StoredHeartbeat;
  resolve: (stored: StoredHeartbeat) => void;
  reject: (error: unknown) => void;
}

/** Whether `device` is the place's first (oldest) device, whose key is the place's key. */
function isFirstDevice(devices: readonly Device[], device: Device): boolean {
  return devices[0]?.id === device.id;
}

/** The key a heartbeat was checked with still opens the device at the moment it is stored. */
function keyStillValid(row: WatchedDevice, key: string, at: number): boolean {
  if (key === row.d_api_key) return true;
  return row.d_previous_api_key === key && row.d_previous_key_until !== null && at < row.d_previous_key_until;
}

/** The edge a report dates, on the server's clock: never after its arrival. */
function edgeOf(arrival: number, msAgo: number | undefined, at?: number): number {
  if (at !== undefined) return Math.min(at, arrival);
  return arrival - (msAgo ?? 0);
}

/** The owners the monitor reads, and writes to alone (outside a decision's transaction). */
export interface MonitorOwners {
  places: PlaceStore;
  devices: DeviceStore;
  events: Pick<PowerEventStore, 'lastId'>;
  serviceState: ServiceStateStore;
  /** Where admin notices are queued (the same writer as the decisions'). */
  outbox: Pick<OutboxStore, 'enqueue'>;
}

export interface MonitorOptions {
  /** The writes that land together: a decision's, a clock step's, a key mirrored on its place. */
  store: PowerStore;
  owners: MonitorOwners;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Told after an alert was committed to the outbox, so delivery can start at once. */
  onQueued?: () => void;
  /**
   * What the place's outage schedule says about an alert (schedules/alert-plan.ts), taken when
   * the change is decided and carried in its outbox row. Asked only for a decision with an
   * alert, never for a heartbeat that changes nothing. A failure costs the post its plan line,
   * never the decision.
   */
  alertPlan?: (placeId: number, alert: Alert) => AlertPlan | null;
  /**
   * Steps of the wall clock (src/clock-steps.ts): checked before each reading of the time for a
   * decision; a step moves the times this run stored with it (clock-rebase.ts).
   */
  clockSteps?: ClockSteps;
  /** How many gaps one batch records (SQLITE_GAP_BATCHES unless said). */
  gapBatches?: GapBatches;
}

/**
 * Applies the state machine to heartbeats, expired deadlines and service restarts, and commits
 * each decision with its outbox row. All of it is synchronous: one decision at a time.
 */
export class Monitor implements PlaceWatch {
  readonly service: ServiceClock;
  /** Whether heartbeats can be stored; while not, nothing is decided (see storage-faults.ts). */
  readonly storage: StorageHealth;
  private readonly store: PowerStore;
  private readonly places: PlaceStore;
  private readonly devices: DeviceStore;
  private readonly events: Pick<PowerEventStore, 'lastId'>;
  private readonly serviceState: ServiceStateStore;
  private readonly outbox: Pick<OutboxStore, 'enqueue'>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly metrics: Metrics;
  private readonly onQueued: () => void;
  private readonly alertPlan: MonitorOptions['alertPlan'];
  private pending: PendingHeartbeat[] = [];
  private readonly keys: KeyIndex;
  /** Places whose unknown span (after a restart or a storage failure) is still to be recorded. */
  private readonly gaps = new PendingGaps();
  private readonly gapBatches: GapBatches;
  private gapTurn: NodeJS.Immediate | null = null;
  /** Places whose stored times are still to be moved for a step of the wall clock. */
  private readonly rebases: ClockRebases;
  private rebaseTurn: NodeJS.Immediate | null = null;
  private readonly clockSteps: ClockSteps | undefined;
  private aliveTimer: NodeJS.Timeout | null = null;
  private recoveryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /**
   * Whether this monitor watches (start() ran): it records gaps, marks itself alive, and its
   * recovery from a storage fault makes the failed span unknown. Before it (a standby on
   * PostgreSQL) it only applies heartbeats and events.
   */
  private watching = false;

  constructor(options: MonitorOptions) {
    this.store = options.store;
    this.places = options.owners.places;
    this.devices = options.owners.devices;
    this.events = options.owners.events;
    this.serviceState = options.owners.serviceState;
    this.outbox = options.owners.outbox;
    this.clock = options.clock;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.onQueued = options.onQueued ?? (() => {});
    this.alertPlan = options.alertPlan;
    this.clockSteps = options.clockSteps;
    this.gapBatches = options.gapBatches ?? SQLITE_GAP_BATCHES;
    this.service = { watchingSince: this.now() };
    this.rebases = new ClockRebases(this.service.watchingSince);
    this.clockSteps?.onStep((step) => this.clockStepped(step));
    this.keys = new KeyIndex((key, now) => {
      const current = this.devices.findKey(key);
      if (current) return { id: current.location_id, device: current.id, until: null };
      const previous = this.devices.findPreviousKey(key, now);
      return previous ? { id: previous.location_id, device: previous.id, until: previous.until } : undefined;
    });
    this.storage = new StorageHealth({
      onFault: (operation) => this.metrics.storageFaults.inc({ operation }),
      onFailing: (error, operation) => {
        this.metrics.storageFailing.set(1);
        this.logger.error(
          { err: error, operation },
          'the database cannot be written (locked by another process, or the disk is full); heartbeats get 503 and no place is declared off until it works again',
        );
      },
      onRecovered: (failedForMs) => {
        this.metrics.storageFailing.set(0);
        this.logger.warn(
          { failedForS: Math.round(failedForMs / 1000) },
          'the database works again; the span it failed is recorded as unknown and every place gets a full timeout to check in',
        );
      },
    });
  }

  /**
   * Called once at start: the span since the previous run was last alive becomes unknown, and
   * every place gets a full timeout to check in before it can be declared OFF. Then it keeps the
   * "alive" mark current until stop().
   */
  start(): void {
    this.watching = true;
    // Watching starts now: at the process's start, or when a standby takes over from a leader
    // that died (its own heartbeats before this were applied, but nobody swept meanwhile).
    this.service.watchingSince = this.now();
    const lastAliveText = this.serviceState.read(LAST_ALIVE_KEY);
    const lastAliveAt = lastAliveText === undefined ? null : Number(lastAliveText);
    const runFirstEventId = this.events.lastId();
    this.gaps.add(this.places.allIds(), lastAliveAt);
    // A small service records every gap before it opens; a big one goes on in the background (a
    // place touched first has its gap recorded first, see PendingGaps). Started with storage
    // failing (see storageFailedAtStart), the gaps wait for the recovery.
    if (!this.storage.failing) this.guarded('start', () => this.write(() => this.recordGaps(this.gapBatches.atStart)));
    this.continueGaps();
    // Started on a clock behind the previous run (a board without a real-time clock, before NTP):
    // what a later step moves must not reach back into what the previous run stored.
    const behindMs = this.rebases.started(lastAliveAt, runFirstEventId, STEP_THRESHOLD_MS, this.service.watchingSince);
    if (behindMs > 0) {
      this.logger.warn(
        { behindS: Math.round(behindMs / 1000) },
        'the clock is behind the last moment the previous run was watching: it was probably set wrong at boot (no real-time clock, NTP not answered yet). Until NTP corrects it, the times this run records are wrong; when it does, they move with the clock and the previous run\'s record stays as it is',
      );
    }
    if (lastAliveAt !== null) {
      this.logger.info({ downForS: Math.round((this.service.watchingSince - lastAliveAt) / 1000) }, 'service restarted; the time it was down is recorded as unknown');
    }
    this.stopped = false;
    this.aliveTimer = setInterval(() => {
      this.runInBackground('alive', () => this.markAlive());
      this.runInBackground('old-keys', () => this.endLapsedKeyGraces());
      this.runInBackground('silent-devices', () => this.lookAtSilentDevices());
    }, ALIVE_EVERY_MS);
    this.aliveTimer.unref();
  }

  /**
   * The database could not be written when the service started (the disk full, the file
   * read-only, a foreign lock): heartbeats are refused with 503 and nothing is decided until the
   * recovery probe's write works; then the service carries on as after any storage failure.
   */
  storageFailedAtStart(error: unknown): void {
    this.storageFault(error, 'start');
  }

  /** Stops the timers and writes the last "alive" mark (best effort). */
  stop(): void {
    this.stopped = true;
    this.watching = false;
    if (this.aliveTimer) clearInterval(this.aliveTimer);
    if (this.recoveryTimer) clearTimeout(this.recoveryTimer);
    if (this.gapTurn) clearImmediate(this.gapTurn);
    if (this.rebaseTurn) clearImmediate(this.rebaseTurn);
    this.rebaseTurn = null;
    this.aliveTimer = null;
    this.recoveryTimer = null;
    this.gapTurn = null;
    this.commitPending();
    this.markAlive();
  }

  /**
   * Remembers that the service is watching now (the start of the unknown span after a crash).
   * Not while gaps are still to be recorded: a crash then must find the older mark, or those
   * places would lose their gap.
   */
  markAlive(): void {
    if (this.storage.failing || this.gaps.size > 0) return;
    this.guarded('alive', () => this.serviceState.write(LAST_ALIVE_KEY, String(this.clock.now())));
  }

  /** Places whose gap is still to be recorded (0 once a start or a recovery is fully caught up). */
  get gapsPending(): number {
    return this.gaps.size;
  }

  /**
   * The place a device key belongs to: its current key, or its previous one during a rotation's
   * grace. Known keys are answered from memory (see key-index.ts); the heartbeat is checked
   * against the place's row again when it is stored.
   */
  authenticate(apiKey: string): { id: number; deviceId: number } | undefined {
    const entry = this.keys.find(apiKey, this.clock.now());
    return entry ? { id: entry.id, deviceId: entry.device } : undefined;
  }

  /**
   * Gives a device of the place (its first one when none is named) a new key. 'revoke': the old
   * key stops now (it leaked); when no other device of the place was heard from, the place waits
   * for this one to check in with the new key, deciding nothing meanwhile — no false OFF. 'keep-old':
   * the old key keeps working until the device first uses the new one, at most OLD_KEY_GRACE_MS;
   * if it never does, the same as a revoke then.
   */
  rotateKey(placeId: number, mode: KeyRotation, newKey: string, deviceId?: number): boolean {
    this.commitPending();
    const now = this.now();
    return this.adminWrite('rotate-key', () =>
      this.write(() => {
        const row = this.watched(placeId);
        if (!row) return false;
        const devices = this.devices.ofPlace(placeId);
        const device = deviceId === undefined ? devices[0] : devices.find((candidate) => candidate.id === deviceId);
        if (!device) return false;
        const first = isFirstDevice(devices, device);
        this.keys.forget(device.api_key);
        if (device.previous_api_key !== null) this.keys.forget(device.previous_api_key);
        if (mode === 'keep-old') {
          this.store.saveKeyRotation(device, first, { apiKey: newKey, previousKey: device.api_key, previousUntil: now + OLD_KEY_GRACE_MS, awaitingSince: null });
          return true;
        }
        this.revoked(row, devices, device, first, newKey, now);
        return true;
      }),
    );
  }

  /** A new device of the place, with its own key; it says nothing until its first call. */
  addDevice(placeId: number, name: string, apiKey: string): Device | undefined {
    return this.adminWrite('add-device', () =>
      this.write(() => {
        if (!this.places.exists(placeId)) return undefined;
        return this.devices.insert({ location_id: placeId, name, api_key: apiKey, created_at: this.now() });
      }),
    );
  }

  /**
   * Removes a device of the place: its key stops at once (a request of it still in flight is
   * refused, 401). The place's last device cannot go ('last'): the place would have nothing to
   * watch it with (delete the place instead). When no remaining device was ever heard from, the
   * place waits for one, as after a revoked key — its silence is not an outage.
   */
  removeDevice(placeId: number, deviceId: number): 'removed' | 'missing' | 'last' {
    this.commitPending();
    return this.adminWrite('remove-device', () =>
      this.write(() => {
        const row = this.watched(placeId);
        const devices = row ? this.devices.ofPlace(placeId) : [];
        const device = devices.find((candidate) => candidate.id === deviceId);
        if (!row || !device) return 'missing';
        if (devices.length === 1) return 'last';
        this.keys.forget(device.api_key);
        if (device.previous_api_key !== null) this.keys.forget(device.previous_api_key);
        this.devices.delete(device.id);
        const rest = devices.filter((candidate) => candidate.id !== device.id);
        const heard = rest.some((candidate) => candidate.last_seen_at !== null && candidate.awaiting_key_since === null);
        const now = this.clock.now();
        const placeWaits = !heard && row.paused === 0 && row.status === 'on';
        // Never undefined: the place's last device is not removed (above).
        const [first] = rest;
        if (first && (isFirstDevice(devices, device) || placeWaits)) {
          this.places.saveKeyRotation(row.id, {
            apiKey: first.api_key,
            previousKey: first.previous_api_key,
            previousUntil: first.previous_key_until,
            awaitingSince: placeWaits ? now : null,
          });
        }
        if (placeWaits) this.store.recordDecision(row.id, now, applyKeyRevoked(trackedPlace(row), now), null);
        return 'removed';
      }),
    );
  }

  /** Old keys whose grace ended without the device using its new key: as if revoked then. */
  endLapsedKeyGraces(): number {
    if (this.storage.failing) return 0;
    let ended = 0;
    this.guarded('old-keys', () => {
      for (const lapsed of this.devices.lapsedPreviousKeys(this.now())) {
        const at = lapsed.previous_key_until;
        this.write(() => {
          const row = this.watched(lapsed.location_id);
          if (!row) return;
          const devices = this.devices.ofPlace(row.id);
          const device = devices.find((candidate) => candidate.id === lapsed.id);
          if (!device || device.previous_api_key === null) return;
          this.keys.forget(device.previous_api_key);
          this.revoked(row, devices, device, isFirstDevice(devices, device), device.api_key, at);
        });
        ended += 1;
      }
    });
    return ended;
  }

  /**
   * The device's old key stops at `at`. It is awaited (its silence says nothing) when it had been
   * heard from; the place waits with it when no other device of it was heard from.
   */
  private revoked(row: WatchedPlace, devices: readonly Device[], device: Device, first: boolean, newKey: string, at: number): void {
    const heardFrom = device.last_seen_at !== null && row.paused === 0;
    const othersHeard = devices.some((other) => other.id !== device.id && other.last_seen_at !== null && other.awaiting_key_since === null);
    const placeWaits = heardFrom && !othersHeard;
    this.devices.saveKeyRotation(device.id, { apiKey: newKey, previousKey: null, previousUntil: null, awaitingSince: heardFrom ? at : null });
    if (first || placeWaits) {
      // The place's own columns: its first device's key, and whether the place as a whole waits.
      const mirror = first ? { apiKey: newKey, previousKey: null, previousUntil: null } : { apiKey: row.api_key, previousKey: row.previous_api_key, previousUntil: row.previous_key_until };
      this.places.saveKeyRotation(row.id, { ...mirror, awaitingSince: placeWaits ? at : null });
    }
    if (placeWaits) this.store.recordDecision(row.id, at, applyKeyRevoked(trackedPlace(row), at), null);
  }

  /**
   * Records a heartbeat of an authenticated place. Heartbeats that arrive together are committed
   * together (group commit: one SQLite transaction per event-loop turn instead of one per request,
   * which is most of the cost of a heartbeat); the promise resolves once this one is committed, so
   * a device is only acknowledged for a heartbeat that is stored.
   */
  heartbeat(placeId: number, report: HeartbeatReport): Promise<StoredHeartbeat> {
    // Known to fail: answer at once (503) instead of queueing a write that cannot be stored.
    if (this.storage.failing) return Promise.reject(new StorageUnavailableError(STORAGE_RETRY_AFTER_S));
    return new Promise((resolve, reject) => {
      this.pending.push({ placeId, report, at: this.now(), resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.commitPending());
    });
  }

  /**
   * Applies one heartbeat right away, synchronously (the group commit and simulations use it).
   * Returns false when it is refused: the place was deleted, or the key the device used stopped
   * working since it was checked.
   */
  heartbeatNow(placeId: number, report: HeartbeatReport, at = this.now()): StoredHeartbeat | null {
    return this.write(() => this.applyHeartbeatNow(placeId, report, at));
  }

  private applyHeartbeatNow(placeId: number, report: HeartbeatReport, at: number): StoredHeartbeat | null {
    const row = this.reportingDevice(placeId, report.deviceId, report.key, at);
    if (!row) return null;
    const timeoutMs = row.timeout_s * 1000;
    const update = mainsUpdate({ mains: row.d_mains, mains_since: row.d_mains_since }, report.mains, edgeOf(at, report.mainsChangedMsAgo));
    const mains = mainsAfter(row, update);
    let decision: Decision | null = null;
    if (mains.value !== 0) {
      // Proof of power: as a heartbeat always was; a device that saw the mains come back dates the return.
      const heartbeat: Heartbeat = {
        at,
        uptimeMs: report.uptimeMs,
        bootId: report.bootId,
        resetReason: report.resetReason,
        mainsOnAt: update.kind === 'changed' && update.mains === 1 && row.d_mains === 0 ? update.since : undefined,
      };
      decision = applyHeartbeat(trackedPlace(row, row.d_boot_id), heartbeat, this.service);
      const message = this.alertMessage(row.id, decision);
      const facts: DeviceFacts = row.d_first === 1 ? report : {};
      this.store.recordHeartbeat(row.id, at, facts, decision, message);
      this.rebases.wrote(row.id, row.status_since, decision.statusSince, true);
      if (message) this.announce(row, decision);
    } else if (row.paused === 0 && row.status !== 'off') {
      // On its battery: a cut, unless another device proves power.
      const devices = this.devices.ofPlace(row.id);
      if (!proverOf(devices, at, timeoutMs, row.d_id)) decision = applyMainsOff(trackedPlace(row), mains.since ?? at, at);
      this.recordChange(row, at, decision);
    }
    this.devices.saveHeartbeat({
      id: row.d_id,
      at,
      link: report.link ?? null,
      mains: mains.value,
      mainsSince: mains.since,
      silentCheckAt: row.paused === 0 ? at + timeoutMs : null,
      uptimeMs: report.uptimeMs ?? null,
      bootId: report.bootId ?? null,
      resetReason: report.resetReason ?? null,
      rssi: report.rssi ?? null,
      fw: report.fw ?? null,
      ip: report.ip ?? null,
    });
    this.deviceNotices(row, at);
    return { timeoutS: row.timeout_s };
  }

  /**
   * Records a one-shot mains event of an authenticated device, at once (events are rare; each is
   * its own transaction, with its outbox row). Refused like a heartbeat: 503 while storage fails,
   * HeartbeatRefusedError when the device was removed or its key stopped working meanwhile.
   */
  event(placeId: number, report: EventReport): AppliedEvent {
    if (this.storage.failing) throw new StorageUnavailableError(STORAGE_RETRY_AFTER_S);
    // Heartbeats received before it are applied first, so its decision sees them.
    this.commitPending();
    let applied: AppliedEvent | null;
    try {
      applied = this.write(() => this.applyEventNow(placeId, report, this.now()));
    } catch (error) {
      if (!isStorageFault(error)) throw error;
      this.storageFault(error, 'event');
      throw new StorageUnavailableError(STORAGE_RETRY_AFTER_S, { cause: error });
    }
    if (!applied) throw new HeartbeatRefusedError();
    return applied;
  }

  private applyEventNow(placeId: number, report: EventReport, now: number): AppliedEvent | null {
    const row = this.reportingDevice(placeId, report.deviceId, report.key, now);
    if (!row) return null;
    const ids = row.d_event_ids === null ? [] : row.d_event_ids.split('\n');
    if (report.id !== undefined && ids.includes(report.id)) return { applied: false };
    const edgeAt = edgeOf(now, report.msAgo, report.at);
    if (report.at !== undefined && row.d_mains === (report.mains ? 1 : 0) && row.d_mains_since === edgeAt) return { applied: false };
    const update = mainsUpdate({ mains: row.d_mains, mains_since: row.d_mains_since }, report.mains, edgeAt);
    const mains = mainsAfter(row, update);
    const eventIds = report.id === undefined ? row.d_event_ids : [...ids, report.id].slice(-EVENT_IDS_KEPT).join('\n');
    this.devices.saveEvent({ id: row.d_id, at: now, mains: mains.value, mainsSince: mains.since, eventIds, ip: report.ip ?? null });
    this.deviceNotices(row, now);
    if (update.kind !== 'changed') return { applied: false };
    if (row.paused === 1) return { applied: true };
    const timeoutMs = row.timeout_s * 1000;
    const devices = this.devices.ofPlace(row.id);
    let decision: Decision | null = null;
    if (update.mains === 1) {
      // A device that heartbeats holds the power as long as its heartbeats; one that only calls on a change, until its next call.
      const heartbeats = row.d_last_heartbeat_at !== null;
      const deadlineAt = heartbeats ? deadlineFor(Math.max(row.last_heartbeat_at ?? 0, row.d_last_heartbeat_at ?? 0), timeoutMs, this.service) : null;
      decision = applyMainsOn(trackedPlace(row), update.since, now, deadlineAt);
    } else if (row.status !== 'off' && !proverOf(devices, now, timeoutMs, row.d_id)) {
      decision = applyMainsOff(trackedPlace(row), update.since, now);
    }
    this.recordChange(row, now, decision);
    return { applied: true };
  }

  /**
   * The place and the device a heartbeat or event came from, or null when it is refused: the place
   * or device is gone (removed while its request was in flight), or the key it used stopped working.
   */
  private reportingDevice(placeId: number, deviceId: number | undefined, key: string | undefined, at: number): WatchedDevice | null {
    // One read on the hot path: the place's pending gap (if any) first, then the place with its device.
    this.recordPendingGap(placeId);
    const device = deviceId ?? this.devices.ofPlace(placeId)[0]?.id;
    const row = device === undefined ? undefined : this.places.watchedDevice(placeId, device);
    if (!row || (key !== undefined && !keyStillValid(row, key, at))) {
      if (key !== undefined) this.keys.forget(key);
      return null;
    }
    // The device uses its new key: the old one stops working now.
    if (key === row.d_api_key && row.d_previous_api_key !== null) this.store.forgetPreviousKey({ id: row.d_id, location_id: row.id }, row.d_first === 1);
    return row;
  }

  /** Saves a decision of a heartbeat or event that did not prove power, with its alert. */
  private recordChange(row: WatchedPlace, at: number, decision: Decision | null): void {
    if (!decision) return;
    const message = this.alertMessage(row.id, decision);
    this.store.recordDecision(row.id, at, decision, message);
    this.rebases.wrote(row.id, row.status_since, decision.statusSince, true);
    if (message) this.announce(row, decision);
  }

  /** The admins hear of a device's first call, and of its return after a silence they were told of. */
  private deviceNotices(row: WatchedDevice, at: number): void {
    if (row.d_first_seen_at === null) this.queueDeviceNotice(row.id, { notice: 'device_online', placeName: row.name, deviceName: row.d_name, at });
    else if (row.d_silent_noticed_at !== null) this.queueDeviceNotice(row.id, { notice: 'device_back', placeName: row.name, deviceName: row.d_name, at });
  }

  private queueDeviceNotice(placeId: number, payload: DeviceNoticePayload): void {
    this.outbox.enqueue({ kind: 'admin_notice', placeId, payload }, payload.at);
    this.onQueued();
  }

  /**
   * Devices silent past the place's timeout: when another device still proves power, it is a
   * lost connection, not an outage — the admins are told once, quietly, and the channel nothing.
   * (When none does, the place's own deadline decides the outage.)
   */
  lookAtSilentDevices(): number {
    if (this.storage.failing) return 0;
    let told = 0;
    this.guarded('silent-devices', () => {
      const now = this.now();
      for (const due of this.devices.silentDue(now, SILENCES_PER_TURN)) {
        this.write(() => {
          const device = this.devices.get(due.id);
          const row = device ? this.watched(device.location_id) : undefined;
          if (!device || !row || device.silent_check_at === null || device.silent_check_at > now) return;
          const timeoutMs = row.timeout_s * 1000;
          const prover = row.paused === 0 && row.status === 'on' && device.awaiting_key_since === null ? proverOf(this.devices.ofPlace(row.id), now, timeoutMs, device.id) : undefined;
          this.devices.markSilence(device.id, prover ? now : null);
          if (!prover) return;
          const name = this.places.nameOf(row.id) ?? '';
          this.queueDeviceNotice(row.id, { notice: 'device_silent', placeName: name, deviceName: device.name, at: now, silentSince: device.last_heartbeat_at ?? now, provedBy: prover.name });
          told += 1;
        });
      }
    });
    return told;
  }

  private commitPending(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      if (this.storage.failing) throw new StorageUnavailableError(STORAGE_RETRY_AFTER_S);
      this.write(() => {
        for (const item of batch) item.stored = this.applyHeartbeatNow(item.placeId, item.report, item.at) ?? undefined;
      });
    } catch (error) {
      let refusal = error;
      if (!(error instanceof StorageUnavailableError) && isStorageFault(error)) {
        this.storageFault(error, 'heartbeat');
        refusal = new StorageUnavailableError(STORAGE_RETRY_AFTER_S, { cause: error });
      } else if (!(error instanceof StorageUnavailableError)) {
        this.logger.error({ err: error, heartbeats: batch.length }, 'heartbeats could not be stored');
      }
      for (const item of batch) item.reject(refusal);
      return;
    }
    for (const item of batch) {
      if (item.stored) item.resolve(item.stored);
      else item.reject(new HeartbeatRefusedError());
    }
  }

  /** Applies the deadlines of these places if they have really passed (ids from the sweep). */
  expire(ids: readonly number[]): number {
    // A heartbeat received before this moment but not yet committed must count, or a place that
    // checked in just in time would be declared OFF and back ON a moment later.
    this.commitPending();
    // While heartbeats cannot be stored, a silent place may be one whose heartbeats we refused:
    // nothing is decided until storage works again (and then every place gets a full timeout).
    if (this.storage.failing) return 0;
    const stopTimer = this.metrics.sweepDuration.startTimer();
    const now = this.now();
    let changed = 0;
    let moved = 0;
    this.guarded('sweep', () => {
      for (const id of ids) {
        if (this.rebases.has(id)) {
          moved += 1;
          if (moved > REBASES_PER_SWEEP) continue;
        }
        this.write(() => {
          const row = this.watched(id);
          if (!row) return;
          const evidence = evidenceAtDeadline(this.devices.ofPlace(id), now, row.timeout_s * 1000);
          const decision = applyDeadline(trackedPlace(row), now, this.service, evidence);
          if (!decision) return;
          const message = this.alertMessage(id, decision);
          this.store.recordDecision(id, now, decision, message);
          this.rebases.wrote(id, row.status_since, decision.statusSince, false);
          changed += 1;
          if (message) this.announce(row, decision);
        });
      }
    });
    stopTimer();
    return changed;
  }

  /** Finds and applies every passed deadline on the main thread (tests, and a safety net). */
  sweep(): number {
    if (this.storage.failing) return 0;
    const changed = this.expire(this.places.expiredIds(this.now(), EXPIRED_PER_SWEEP));
    this.lookAtSilentDevices();
    return changed;
  }

  /**
   * Tries once to leave the storage-failure state: a write taken without waiting for a foreign
   * lock. When it commits, the failed span becomes unknown for every place and every deadline moves
   * to a full timeout from now, exactly as after a restart (the gaps are recorded as after a
   * start: at once for a small service, in the background for a big one, a touched place first).
   * Returns true when storage works again.
   */
  tryRecoverStorage(): boolean {
    const failedFrom = this.storage.failingSince;
    if (failedFrom === null) return true;
    const now = this.now();
    try {
      this.store.withoutWaiting(() => this.serviceState.write(STORAGE_PROBE_KEY, String(now)));
    } catch (error) {
      if (!isStorageFault(error)) this.logger.error({ err: error }, 'recovering from the storage failure went wrong; trying again');
      this.storage.fault(error, 'recovery', now);
      return false;
    }
    if (!this.watching) {
      // A standby (PostgreSQL, another instance leads) only applies heartbeats: the leader
      // watches, and records the span storage failed for it.
      this.storage.recovered(now);
      return true;
    }
    this.service.watchingSince = now;
    this.gaps.add(this.places.allIds(), failedFrom);
    this.storage.recovered(now);
    this.guarded('recovery', () => this.write(() => this.recordGaps(this.gapBatches.atStart)));
    this.continueGaps();
    this.continueRebases();
    this.onQueued();
    return true;
  }

  /** Stops watching a place: the time until it is resumed is unknown and nothing is posted. */
  pause(placeId: number): boolean {
    this.commitPending();
    const now = this.now();
    return this.adminWrite('pause', () => {
      return this.write(() => {
        const row = this.watched(placeId);
        if (!row || row.paused === 1) return false;
        this.store.recordDecision(placeId, now, applyPause(trackedPlace(row), now), null);
        this.places.setPaused(placeId, true);
        return true;
      });
    });
  }

  /** Watches a paused place again; its first heartbeat starts a new ON span quietly. */
  resume(placeId: number): boolean {
    return this.adminWrite('resume', () =>
      this.write(() => {
        const row = this.watched(placeId);
        if (!row || row.paused === 0) return false;
        this.places.setPaused(placeId, false);
        return true;
      }),
    );
  }

  /** A new timeout for the place; a pending deadline moves with it (the one deadline rule). */
  setTimeout(placeId: number, timeoutS: number): void {
    this.commitPending();
    this.adminWrite('timeout', () =>
      this.write(() => {
        const row = this.watched(placeId);
        if (!row) return;
        const deadlineAt = row.deadline_at === null ? null : deadlineFor(row.last_heartbeat_at, timeoutS * 1000, this.service);
        this.places.setTimeout(placeId, timeoutS, deadlineAt);
      }),
    );
  }

  /** An admin's change: refused with StorageUnavailableError while (or when) storage fails. */
  private adminWrite<T>(operation: string, work: () => T): T {
    if (this.storage.failing) throw new StorageUnavailableError(STORAGE_RETRY_AFTER_S);
    try {
      return work();
    } catch (error) {
      if (!isStorageFault(error)) throw error;
      this.storageFault(error, operation);
      throw new StorageUnavailableError(STORAGE_RETRY_AFTER_S, { cause: error });
    }
  }

  /**
   * One transaction of the monitor's own: the places whose gaps it recorded count as recorded
   * only once it has committed. Joins a transaction already open (the caller's then decides).
   */
  private write<T>(work: () => T): T {
    if (this.store.inOpenTransaction()) return work();
    try {
      const result = this.store.inTransaction(work);
      this.gaps.committed();
      this.rebases.committed();
      return result;
    } catch (error) {
      this.gaps.rolledBack();
      this.rebases.rolledBack();
      throw error;
    }
  }

  /** A place's state for a decision, its pending move (a clock step) and gap (if any) recorded first. */
  private watched(id: number) {
    this.recordPendingGap(id);
    return this.places.watched(id);
  }

  private recordPendingGap(id: number): void {
    this.rebaseOf(id);
    const gap = this.gaps.take(id);
    if (gap) this.recordGapOf(id, gap.lastAliveAt);
  }

  /**
   * The span since `lastAliveAt` (the last moment the place was surely watched) becomes unknown,
   * and its deadline restarts from `service.watchingSince`.
   */
  private recordGapOf(id: number, lastAliveAt: number | null): void {
    const row = this.places.watched(id);
    if (!row) return;
    const decision = applyServiceStart(trackedPlace(row), lastAliveAt, this.service);
    this.store.recordDecision(id, this.service.watchingSince, decision, null);
  }

  /** Records up to `count` pending gaps (inside the caller's transaction). */
  private recordGaps(count: number): void {
    for (const id of this.gaps.next(count)) {
      this.rebaseOf(id);
      const gap = this.gaps.take(id);
      if (gap) this.recordGapOf(id, gap.lastAliveAt);
    }
  }

  /** Records the remaining gaps a batch per event-loop turn, then writes the "alive" mark. */
  private continueGaps(): void {
    if (this.gapTurn || this.storage.failing) return;
    if (this.gaps.size === 0) {
      this.markAlive();
      return;
    }
    this.gapTurn = setImmediate(() => {
      this.gapTurn = null;
      this.guarded('gaps', () => this.write(() => this.recordGaps(this.gapBatches.perTurn)));
      if (!this.stopped) this.continueGaps();
    });
  }

  /**
   * The wall clock stepped (clock-steps.ts): the times this run stored move with it, every place's
   * in turn (clock-rebase.ts), and so do the ones held here. Memory only, at once; the rows are
   * moved before the place's next decision and in the background.
   */
  private clockStepped(step: ClockStep): void {
    this.rebases.stepped(this.places.allIds(), step.deltaMs);
    this.service.watchingSince += step.deltaMs;
    // Heartbeats received before the step and not yet stored were stamped in the old base.
    for (const item of this.pending) item.at += step.deltaMs;
    this.continueRebases();
  }

  /** Places whose stored times are still to be moved for a clock step (0 once caught up). */
  get rebasesPending(): number {
    return this.rebases.size;
  }

  /** Moves the place's stored times for a clock step, if that is still due (inside the caller's transaction). */
  private rebaseOf(id: number): void {
    const due = this.rebases.take(id);
    if (due) this.rebases.moved(id, due.rebase, this.store.rebase(id, due, this.service));
  }

  /** Moves the remaining places a batch per event-loop turn (as the gaps are recorded). */
  private continueRebases(): void {
    if (this.rebaseTurn || this.stopped || this.rebases.size === 0 || this.storage.failing) return;
    this.rebaseTurn = setImmediate(() => {
      this.rebaseTurn = null;
      this.guarded('clock-step', () =>
        this.write(() => {
          for (const id of this.rebases.next(REBASES_PER_TURN)) this.rebaseOf(id);
        }),
      );
      this.continueRebases();
    });
  }

  /** The wall time for a decision, after a look for a step of the clock (see clockStepped). */
  private now(): number {
    this.clockSteps?.check();
    return this.clock.now();
  }

  /** A timer's or worker message's work: no error of it may end the process. */
  runInBackground(operation: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      this.logger.error({ err: error, operation }, 'a background step failed; it runs again on its next turn');
    }
  }

  /** Runs a write of a background job; a storage fault is recorded, never thrown. */
  private guarded(operation: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      if (!isStorageFault(error)) throw error;
      this.storageFault(error, operation);
    }
  }

  private storageFault(error: unknown, operation: string): void {
    this.storage.fault(error, operation, this.clock.now());
    this.armRecovery();
  }

  private armRecovery(): void {
    if (this.recoveryTimer || this.stopped) return;
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = null;
      if (!this.tryRecoverStorage()) this.armRecovery();
    }, RECOVERY_PROBE_MS);
    this.recoveryTimer.unref();
  }

  private alertMessage(placeId: number, decision: Decision) {
    if (!decision.alert) return null;
    const payload: AlertPayload = { alert: decision.alert };
    const plan = this.planOf(placeId, decision.alert);
    if (plan) payload.plan = plan;
    return { kind: 'alert' as const, placeId, payload };
  }

  private planOf(placeId: number, alert: Alert): AlertPlan | null {
    if (!this.alertPlan) return null;
    try {
      return this.alertPlan(placeId, alert);
    } catch (error) {
      // A storage fault is the transaction's to handle; anything else only loses the plan line.
      if (isStorageFault(error)) throw error;
      this.logger.error({ err: error, placeId }, 'the plan context of an alert could not be worked out; it is posted without it');
      return null;
    }
  }

  private announce(place: Pick<WatchedPlace, 'id'>, decision: Decision): void {
    this.metrics.alertsQueued.inc();
    this.logger.info({ placeId: place.id, alert: decision.alert?.kind, status: decision.status }, 'power state changed');
    this.onQueued();
  }
}

/** A device's mains state after a report: what to store, and its date. */
function mainsAfter(row: WatchedDevice, update: MainsUpdate): { value: number | null; since: number | null } {
  switch (update.kind) {
    case 'none':
      return { value: null, since: null };
    case 'changed':
      return { value: update.mains, since: update.since };
    default:
      return { value: row.d_mains, since: row.d_mains_since };
  }
}
