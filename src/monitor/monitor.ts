import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { AlertPayload } from '../outbox/messages.js';
import type { DeviceFacts, LocationRow, PowerStore } from './power-store.js';
import {
  applyDeadline,
  applyHeartbeat,
  applyPause,
  applyServiceStart,
  type Decision,
  type Heartbeat,
  type ServiceClock,
} from './state-machine.js';

const LAST_ALIVE_KEY = 'last_alive_at';

export type HeartbeatReport = Omit<Heartbeat, 'at'> & DeviceFacts;

interface PendingHeartbeat {
  locationId: number;
  report: HeartbeatReport;
  at: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}


export interface MonitorOptions {
  store: PowerStore;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Told after an alert was committed to the outbox, so delivery can start at once. */
  onQueued?: () => void;
}

/**
 * Applies the state machine to heartbeats, expired deadlines and service restarts, and commits
 * each decision with its outbox row. All of it is synchronous: one decision at a time.
 */
export class Monitor {
  readonly service: ServiceClock;
  private readonly store: PowerStore;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly metrics: Metrics;
  private readonly onQueued: () => void;
  private pending: PendingHeartbeat[] = [];

  constructor(options: MonitorOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.onQueued = options.onQueued ?? (() => {});
    this.service = { startedAt: this.clock.now() };
  }

  /**
   * Called once at start: the span since the previous run was last alive becomes unknown, and
   * every place gets a full timeout to check in before it can be declared OFF.
   */
  recoverFromRestart(): void {
    const lastAliveText = this.store.readServiceState(LAST_ALIVE_KEY);
    const lastAliveAt = lastAliveText === undefined ? null : Number(lastAliveText);
    this.store.inTransaction(() => {
      for (const row of this.store.allLocations()) {
        const decision = applyServiceStart(this.store.tracked(row), lastAliveAt, this.service);
        this.store.recordDecision(row.id, this.service.startedAt, decision, null);
      }
      this.store.writeServiceState(LAST_ALIVE_KEY, String(this.service.startedAt));
    });
    if (lastAliveAt !== null) {
      this.logger.info({ downForS: Math.round((this.service.startedAt - lastAliveAt) / 1000) }, 'service restarted; the time it was down is recorded as unknown');
    }
  }

  /** Remembers that the service is watching now (the start of the unknown span after a crash). */
  markAlive(): void {
    this.store.writeServiceState(LAST_ALIVE_KEY, String(this.clock.now()));
  }

  /** The place a device key belongs to (id and timeout are all the HTTP side needs). */
  authenticate(apiKey: string): { id: number; timeout_s: number } | undefined {
    return this.store.findKey(apiKey);
  }

  /**
   * Records a heartbeat of an authenticated place. Heartbeats that arrive together are committed
   * together (group commit: one SQLite transaction per event-loop turn instead of one per request,
   * which is most of the cost of a heartbeat); the promise resolves once this one is committed, so
   * a device is only acknowledged for a heartbeat that is stored.
   */
  heartbeat(locationId: number, report: HeartbeatReport): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ locationId, report, at: this.clock.now(), resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.commitPending());
    });
  }

  /** Applies one heartbeat right away, synchronously (the group commit and simulations use it). */
  heartbeatNow(locationId: number, report: HeartbeatReport, at = this.clock.now()): void {
    const location = this.store.findById(locationId);
    if (!location) return; // deleted since it was authenticated
    const heartbeat: Heartbeat = { at, uptimeMs: report.uptimeMs, bootId: report.bootId, resetReason: report.resetReason };
    const decision = applyHeartbeat(this.store.tracked(location), heartbeat, this.service);
    const message = this.alertMessage(location.id, decision);
    this.store.recordHeartbeat(location.id, at, report, decision, message);
    if (message) this.announce(location, decision);
  }

  private commitPending(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.store.inTransaction(() => {
        for (const item of batch) this.heartbeatNow(item.locationId, item.report, item.at);
      });
    } catch (error) {
      this.logger.error({ err: error, heartbeats: batch.length }, 'heartbeats could not be stored');
      for (const item of batch) item.reject(error);
      return;
    }
    for (const item of batch) item.resolve();
  }

  /** Applies the deadlines of these places if they have really passed (ids from the sweep). */
  expire(ids: readonly number[]): number {
    // A heartbeat received before this moment but not yet committed must count, or a place that
    // checked in just in time would be declared OFF and back ON a moment later.
    this.commitPending();
    const stopTimer = this.metrics.sweepDuration.startTimer();
    const now = this.clock.now();
    let changed = 0;
    for (const id of ids) {
      const row = this.store.findById(id);
      if (!row) continue;
      const decision = applyDeadline(this.store.tracked(row), now, this.service);
      if (!decision) continue;
      const message = this.alertMessage(id, decision);
      this.store.recordDecision(id, now, decision, message);
      changed += 1;
      if (message) this.announce(row, decision);
    }
    stopTimer();
    return changed;
  }

  /** Finds and applies every passed deadline on the main thread (tests, and a safety net). */
  sweep(): number {
    return this.expire(this.store.expiredIds(this.clock.now()));
  }

  /** Stops watching a place: the time until it is resumed is unknown and nothing is posted. */
  pause(locationId: number): boolean {
    this.commitPending();
    const row = this.store.findById(locationId);
    if (!row || row.paused === 1) return false;
    const now = this.clock.now();
    this.store.inTransaction(() => {
      this.store.recordDecision(locationId, now, applyPause(this.store.tracked(row), now), null);
      this.store.setPaused(locationId, true);
    });
    return true;
  }

  /** Watches a paused place again; its first heartbeat starts a new ON span quietly. */
  resume(locationId: number): boolean {
    const row = this.store.findById(locationId);
    if (!row || row.paused === 0) return false;
    this.store.setPaused(locationId, false);
    return true;
  }

  private alertMessage(locationId: number, decision: Decision) {
    if (!decision.alert) return null;
    const payload: AlertPayload = { alert: decision.alert };
    return { kind: 'alert' as const, locationId, payload };
  }

  private announce(location: LocationRow, decision: Decision): void {
    this.metrics.alertsQueued.inc();
    this.logger.info({ locationId: location.id, alert: decision.alert?.kind, status: decision.status }, 'power state changed');
    this.onQueued();
  }
}
