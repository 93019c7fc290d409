import { setMaxListeners } from 'node:events';
import type { Clock } from '../clock.js';
import { DeferredWrites } from '../db/deferred-writes.js';
import { storageFaultOf } from '../db/storage-faults.js';
import type { Logger } from '../logger.js';
import { OUTBOX_KINDS, parsePayload, PayloadError, type OutboxKind, type PayloadOf } from './messages.js';
import type { OutboxRow, OutboxStore } from './outbox-store.js';
import { isNonEmpty, type NonEmpty } from '../non-empty.js';

/** What a deliverer says about rows it handled. */
export type DeliveryResult =
  | { outcome: 'sent'; messageId: number | null }
  /** A failed attempt: try again at `retryAt` (the first failure is remembered). */
  | { outcome: 'retry'; retryAt: number; error: string }
  /** Held back without an attempt: the flapping window, Telegram's "retry after". */
  | { outcome: 'later'; at: number }
  /** Can never be delivered (the place is gone, the payload is broken): settled with the reason. */
  | { outcome: 'failed'; error: string }
  /** Nothing happened (the service is stopping): the rows stay as they were. */
  | { outcome: 'untouched' };

/**
 * A place's rows of one kind (or a row on its own), oldest first. A lane is delivered in order:
 * its first row goes before the next, so a channel sees a place's alerts in the order they happened.
 */
export interface Lane {
  readonly key: string;
  readonly kind: OutboxKind;
  readonly placeId: number | null;
  readonly rows: readonly OutboxRow[];
}

/**
 * A lane as a task sees it in due(): its first row is there and due now. Settling rows takes
 * them out of the lane, so after a settle the task asks due() again rather than reading on.
 */
export interface DueLane extends Lane {
  readonly rows: NonEmpty<OutboxRow>;
}

/** What a running task may do. */
export interface TaskContext {
  /** Aborts calls in flight (the grace period after stop() is over). */
  readonly signal: AbortSignal;
  /**
   * Fires when stop() begins, or when the database cannot be written: stop waiting for a send
   * slot, start nothing new (the rows stay as they are).
   */
  readonly stopping: AbortSignal;
  /** The task's lanes whose first row is due now, oldest first; read afresh at every call. */
  due(): DueLane[];
  /** Records what became of `rows` of `lane` (in the database and in the lane). */
  settle(lane: Lane, rows: readonly OutboxRow[], result: DeliveryResult): void;
  /** Work that goes on after the task (e.g. pinning a posted diagram); drainOnce() and stop() wait for it. */
  follow(work: Promise<unknown>): void;
  /**
   * Records what a send made true (a message id, a cleared warning) now, or once the database can
   * be written again (DeferredWrites). True when it was written now.
   */
  record(what: string, write: () => void): boolean;
}

/** Delivers one kind of outbox row. */
export interface Deliverer {
  /**
   * Due lanes with the same task key are handed to one task, which runs until none is due: the
   * alerts of every place posting to one chat share a task, so they can go out as one digest.
   */
  taskKey(lane: Lane): string;
  /** At most this many tasks of the kind run at once (a diagram task holds a rendered PNG). */
  readonly maxTasks?: number;
  /**
   * The lane of a row, when the kind keeps order by something other than its place (a private
   * alert: per person and place). Without it: a place's alerts or diagrams, or the row alone.
   */
  laneOf?(row: OutboxRow): string;
  run(task: TaskContext): Promise<void>;
}

export type Deliverers = Readonly<Record<OutboxKind, Deliverer>>;

export interface DispatcherOptions {
  /** Looks for due rows at least this often, even when nobody called wake(). */
  idlePollMs: number;
  /** An attempt still running this long after stop() is aborted. */
  stopGraceMs: number;
  /** Undelivered rows read per query. */
  loadBatch: number;
  /** Told of every message given up on (the place is gone, the payload is broken, nobody to tell). */
  onGivenUp: (kind: OutboxKind) => void;
  /**
   * True while the database cannot be written (see db/storage-faults.ts): no send is started, since
   * it could not be recorded as sent; the rows wait and go out once storage works again.
   */
  isStorageFailing: () => boolean;
  /**
   * Whether this instance may send: one sender per bot token (Telegram's budget is per token), so
   * of several instances on one PostgreSQL database only the leader sends (src/db/leadership.ts).
   */
  isLeading: () => boolean;
  /**
   * Where settlements and the deliverers' records wait while the database cannot be written; no
   * send starts while any wait. One of its own unless the app shares its one.
   */
  deferred?: DeferredWrites;
}

const DEFAULTS: Omit<DispatcherOptions, 'deferred'> = { idlePollMs: 1000, stopGraceMs: 3000, loadBatch: 2000, onGivenUp: () => {}, isStorageFailing: () => false, isLeading: () => true };

/** A deliverer that threw (a bug, not a delivery failure) has its rows tried again after this. */
const AFTER_A_CRASH_MS = 5_000;

interface LaneState {
  key: string;
  kind: OutboxKind;
  placeId: number | null;
  rows: OutboxRow[];
  task: Task | null;
}

interface Task {
  key: string;
  kind: OutboxKind;
  lanes: Set<LaneState>;
  done: Promise<void>;
}

/**
 * Drains the outbox by readiness. Undelivered rows are read once (new ones by id, through a
 * partial index) into lanes; a lane whose first row is due is handed to its kind's deliverer as a
 * task. Tasks run side by side with no fixed number of workers: a task waiting for its chat's
 * spacing or for a render holds nothing another chat needs, because send slots are granted by the
 * rate limiter by readiness and priority. Delivery is at least once: a row is marked sent only
 * after Telegram confirmed it (with the message id), so a crash in between resends it after the
 * restart, and a confirmed row never again. Every write goes through the OutboxStore.
 */
export class OutboxDispatcher {
  private readonly options: DispatcherOptions;
  private readonly deferred: DeferredWrites;
  private readonly lanes = new Map<string, LaneState>();
  /** Lanes with rows and no task, per kind (every kind has its set), in the order they got their first row. */
  private readonly waiting = emptySetsByKind<LaneState>();
  private readonly tasks = new Map<string, Task>();
  private readonly tasksOfKind = new Map<OutboxKind, number>();
  private readonly follows = new Set<Promise<unknown>>();
  private lastLoadedId = 0;
  private settled = 0;
  private running = false;
  private closing = false;
  private pumpQueued = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly stopping = new AbortController();
  private readonly abort = new AbortController();
  /** Aborted while the database cannot be written: sends still waiting for a slot give up, their rows stay. */
  private pause = new AbortController();
  /** What tasks started now listen to: stop() or the pause (one signal per pause, shared by its tasks). */
  private sendsStopping: AbortSignal;

  constructor(
    private readonly store: OutboxStore,
    private readonly deliverers: Deliverers,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: Partial<DispatcherOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.deferred = options.deferred ?? new DeferredWrites({ logger, now: () => clock.now() });
    // Every waiting send listens to these: thousands at once in a city-wide cut are expected.
    this.sendsStopping = AbortSignal.any([this.stopping.signal, this.pause.signal]);
    setMaxListeners(0, this.stopping.signal, this.abort.signal, this.sendsStopping);
  }

  /** Delivers what is due, and keeps looking for due rows, until stop(). Call `wake()` on new rows. */
  start(): void {
    this.running = true;
    this.wake();
  }

  /**
   * Looks for new and due rows soon (after the current synchronous work, so a row queued inside
   * a transaction is read once that transaction has committed). Only once started.
   */
  wake(): void {
    if (!this.running || this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      try {
        this.pump();
      } catch (error) {
        // A bug; the timer armed before it (or the next wake) looks again.
        this.logger.error({ err: error }, 'looking for due outbox rows failed; will try again');
        this.arm(Infinity, this.clock.now());
      }
    });
  }

  /**
   * The wall clock stepped (src/clock-steps.ts): the undelivered rows' times — queued, due, failing
   * since — move with it, so a step back does not hold them for its length and a step forward does
   * not make them look hours late. After a step forward, a row stamped on the new clock before the
   * step was seen (a second at most) is told apart by its time and keeps it.
   */
  clockStepped(step: { deltaMs: number; at: number }): void {
    const movedBefore = step.deltaMs < 0 ? Number.MAX_SAFE_INTEGER : step.at - step.deltaMs / 2;
    for (const lane of this.lanes.values()) {
      for (const row of lane.rows) {
        if (row.created_at >= movedBefore) continue;
        row.created_at += step.deltaMs;
        row.next_attempt_at += step.deltaMs;
        if (row.failing_since !== null) row.failing_since += step.deltaMs;
      }
    }
    try {
      this.store.moveUndelivered(step.deltaMs, movedBefore);
    } catch (error) {
      // The rows in memory moved; the stored ones are rewritten as they are next settled.
      this.logger.error({ err: error }, 'the undelivered messages could not be moved with the clock step');
    }
    this.wake();
  }

  /**
   * Stops waiting for send slots at once, lets calls in flight finish, aborts them after a grace
   * period, and returns at the latest shortly after that even if a call ignores the abort: an
   * unconfirmed row stays undelivered and goes out after the restart (at least once).
   */
  async stop(): Promise<void> {
    this.closing = true;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopping.abort(new Error('the service is stopping'));
    const grace = setTimeout(() => this.abort.abort(new Error('the service is stopping')), this.options.stopGraceMs);
    let giveUp: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (giveUp = setTimeout(resolve, this.options.stopGraceMs + 1000)));
    await Promise.race([this.idle(), deadline]);
    clearTimeout(grace);
    clearTimeout(giveUp);
    // A last try at what Telegram accepted while the database failed; what still cannot be
    // written is sent again after the restart (at least once).
    if (this.deferred.pending > 0 && !this.deferred.flush()) {
      this.logger.error({ unrecorded: this.deferred.pending }, 'stopping with sends that could not be recorded: their messages may be sent again after the restart');
    }
  }

  /**
   * Delivers everything due at the clock's current reading, and whatever that makes due at the
   * same reading (a notice queued by a failure), until nothing more is; resolves with the number
   * of settlements. For tests and tools: the running service drains on its own.
   */
  async drainOnce(): Promise<number> {
    const before = this.settled;
    for (;;) {
      const settledBefore = this.settled;
      this.pump();
      if (this.tasks.size === 0 && this.follows.size === 0) break;
      await this.idle();
      if (this.settled === settledBefore) break;
    }
    return this.settled - before;
  }

  private async idle(): Promise<void> {
    while (this.tasks.size > 0 || this.follows.size > 0) {
      await Promise.all([...[...this.tasks.values()].map((task) => task.done), ...this.follows]);
    }
  }

  /** Records kept in memory while the database failed (settlements, message ids) still to write. */
  get unrecorded(): number {
    return this.deferred.pending;
  }

  /** Whether no send may start: not the leader, the database cannot be written, or records still wait for it. */
  private held(): boolean {
    return !this.options.isLeading() || this.options.isStorageFailing() || this.deferred.pending > 0;
  }

  private pump(): void {
    if (this.closing) return;
    // What Telegram already accepted is recorded first: until it is, nothing else is sent.
    if (this.deferred.pending > 0) this.deferred.flush();
    if (this.held()) {
      this.holdSends();
      this.arm(Infinity, this.clock.now());
      return;
    }
    this.resumeSends();
    try {
      this.load();
    } catch (error) {
      this.logger.error({ err: error }, 'reading the outbox failed; will try again');
    }
    const now = this.clock.now();
    let nextDue = Infinity;
    for (const kind of OUTBOX_KINDS) {
      const deliverer = this.deliverers[kind];
      for (const lane of this.waiting[kind]) {
        // A waiting lane has rows (finish() and load() only add lanes that do); one without is skipped.
        const [head] = lane.rows;
        if (!head) continue;
        if (head.next_attempt_at > now) {
          nextDue = Math.min(nextDue, head.next_attempt_at);
          continue;
        }
        let key: string;
        try {
          key = `${kind}|${deliverer.taskKey(lane)}`;
        } catch (error) {
          this.logger.error({ err: error, lane: lane.key }, 'routing an outbox lane failed; will try again');
          continue;
        }
        const task = this.tasks.get(key);
        if (task) {
          this.join(lane, task);
          continue;
        }
        if (deliverer.maxTasks !== undefined && (this.tasksOfKind.get(kind) ?? 0) >= deliverer.maxTasks) break;
        this.startTask(kind, key, lane);
      }
    }
    this.arm(nextDue, now);
  }

  /** Reads rows queued since the last read into their lanes. */
  private load(): void {
    for (;;) {
      const rows = this.store.undeliveredAfter(this.lastLoadedId, this.options.loadBatch);
      for (const row of rows) {
        this.lastLoadedId = row.id;
        if (!(row.kind in this.deliverers)) {
          this.store.markFailed([row.id], `no deliverer for kind '${row.kind}'`, this.clock.now());
          continue;
        }
        const key = this.deliverers[row.kind].laneOf?.(row) ?? laneKey(row);
        let lane = this.lanes.get(key);
        if (!lane) {
          lane = { key, kind: row.kind, placeId: row.location_id, rows: [], task: null };
          this.lanes.set(key, lane);
        }
        lane.rows.push(row);
        if (!lane.task) this.waiting[lane.kind].add(lane);
      }
      if (rows.length < this.options.loadBatch) return;
    }
  }

  private join(lane: LaneState, task: Task): void {
    this.waiting[lane.kind].delete(lane);
    lane.task = task;
    task.lanes.add(lane);
  }

  private startTask(kind: OutboxKind, key: string, first: LaneState): void {
    const task: Task = { key, kind, lanes: new Set(), done: Promise.resolve() };
    this.join(first, task);
    this.tasks.set(key, task);
    this.tasksOfKind.set(kind, (this.tasksOfKind.get(kind) ?? 0) + 1);
    const context: TaskContext = {
      signal: this.abort.signal,
      stopping: this.sendsStopping,
      due: () => this.dueLanes(task),
      settle: (lane, rows, result) => this.settle(lane as LaneState, rows, result),
      follow: (work) => this.follow(work),
      record: (what, write) => this.record(what, write),
    };
    // Neither handler may throw: task.done is awaited by drainOnce() and stop(), and a rejection
    // here would have nobody to catch it.
    let running: Promise<void>;
    try {
      running = this.deliverers[kind].run(context);
    } catch (error) {
      running = Promise.reject(error);
    }
    task.done = running
      .catch((error: unknown) => this.crashed(task, error))
      .finally(() => this.finish(task));
  }

  private record(what: string, write: () => void): boolean {
    const written = this.deferred.write(what, write);
    if (!written) {
      this.holdSends();
      this.arm(Infinity, this.clock.now());
    }
    return written;
  }

  private holdSends(): void {
    if (!this.pause.signal.aborted) this.pause.abort(new Error('the database cannot be written'));
  }

  private resumeSends(): void {
    if (!this.pause.signal.aborted) return;
    this.pause = new AbortController();
    this.sendsStopping = AbortSignal.any([this.stopping.signal, this.pause.signal]);
    setMaxListeners(0, this.sendsStopping);
  }

  private dueLanes(task: Task): DueLane[] {
    // While records wait for storage, a running task sends nothing more: it ends, its rows stay.
    if (this.held()) return [];
    const now = this.clock.now();
    const due: DueLane[] = [];
    for (const lane of task.lanes) if (isDue(lane, now)) due.push(lane);
    return due.sort((a, b) => a.rows[0].id - b.rows[0].id);
  }

  /**
   * Settles rows in the lane at once and in the database as soon as it can be written: a row sent
   * while the database failed leaves the lane (it is never sent again) and is recorded as sent
   * once storage works (DeferredWrites).
   */
  private settle(lane: LaneState, rows: readonly OutboxRow[], result: DeliveryResult): void {
    if (result.outcome === 'untouched' || rows.length === 0) return;
    const ids = rows.map((row) => row.id);
    const now = this.clock.now();
    switch (result.outcome) {
      case 'sent': {
        const messageId = result.messageId;
        this.record('outbox sent', () => this.store.markSent(ids, messageId, now));
        this.remove(lane, ids);
        break;
      }
      case 'failed': {
        const error = result.error;
        this.record('outbox failed', () => this.store.markFailed(ids, error, now));
        this.remove(lane, ids);
        this.logger.warn({ outboxIds: ids, kind: lane.kind, error: result.error }, 'delivery given up');
        this.options.onGivenUp(lane.kind);
        break;
      }
      case 'retry': {
        const { retryAt, error } = result;
        this.record('outbox retry', () => this.store.markRetry(ids, retryAt, error, now));
        for (const row of rows) {
          row.next_attempt_at = result.retryAt;
          row.attempts += 1;
          row.last_error = result.error;
          row.failing_since ??= now;
        }
        break;
      }
      case 'later': {
        const at = result.at;
        this.record('outbox later', () => this.store.postpone(ids, at));
        for (const row of rows) row.next_attempt_at = at;
        break;
      }
    }
    this.settled += 1;
  }

  private remove(lane: LaneState, ids: number[]): void {
    const gone = new Set(ids);
    lane.rows = lane.rows.filter((row) => !gone.has(row.id));
  }

  private follow(work: Promise<unknown>): void {
    const tracked: Promise<unknown> = work
      .catch((error: unknown) => this.logger.error({ err: error }, 'delivery follow-up failed'))
      .finally(() => {
        this.follows.delete(tracked);
        this.wake();
      });
    this.follows.add(tracked);
  }

  /** A deliverer threw: a bug, not Telegram. Its due rows wait a little, so it does not spin. */
  /**
   * A deliverer threw: a bug, not Telegram, or the database failing under it (a read before the
   * send; what it recorded after a send goes through `record`). Its due rows wait a little, so it
   * does not spin; they were not sent, so nothing is sent twice.
   */
  private crashed(task: Task, error: unknown): void {
    try {
      const message = error instanceof Error ? error.message : String(error);
      const fault = storageFaultOf(error);
      if (fault) this.logger.warn({ err: error, kind: task.kind, fault }, 'a deliverer could not read or write the database; its rows wait and are tried again');
      else this.logger.error({ err: error, kind: task.kind }, 'a deliverer failed; its rows will be tried again');
      const now = this.clock.now();
      for (const lane of task.lanes) {
        const head = lane.rows[0];
        if (!head || head.next_attempt_at > now) continue;
        this.settle(lane, [head], { outcome: 'retry', retryAt: now + AFTER_A_CRASH_MS, error: message });
      }
    } catch (failure) {
      this.logger.error({ err: failure, kind: task.kind }, 'settling after a failed deliverer failed too; the rows are tried again as they are');
    }
  }

  private finish(task: Task): void {
    try {
      this.tasks.delete(task.key);
      this.tasksOfKind.set(task.kind, (this.tasksOfKind.get(task.kind) ?? 1) - 1);
      for (const lane of task.lanes) {
        lane.task = null;
        if (lane.rows.length > 0) this.waiting[lane.kind].add(lane);
        else if (this.lanes.get(lane.key) === lane) this.lanes.delete(lane.key);
      }
      this.wake();
    } catch (error) {
      this.logger.error({ err: error, kind: task.kind }, 'ending a delivery task failed');
    }
  }

  private arm(nextDue: number, now: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.min(this.options.idlePollMs, Math.max(0, nextDue - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, wait);
    this.timer.unref();
  }
}

function isDue(lane: LaneState, now: number): lane is LaneState & DueLane {
  return isNonEmpty(lane.rows) && lane.rows[0].next_attempt_at <= now;
}

/** One empty set per outbox kind, so that every kind's set is there without a lookup that may miss. */
function emptySetsByKind<T>(): Record<OutboxKind, Set<T>> {
  const sets = {} as Record<OutboxKind, Set<T>>;
  for (const kind of OUTBOX_KINDS) sets[kind] = new Set();
  return sets;
}

/** A place's alerts form one lane, its diagrams another, its schedule posts a third; admin notices share one; anything else stands alone. */
function laneKey(row: OutboxRow): string {
  if ((row.kind === 'alert' || row.kind === 'diagram' || row.kind === 'plan_notice') && row.location_id !== null) return `${row.kind}:${row.location_id}`;
  if (row.kind === 'admin_notice') return 'admin_notice';
  return `${row.kind}#${row.id}`;
}

/** The simplest delivery: hands each row, in its lane's order, to a Sender (logging, tests). */
export interface Sender {
  deliver(rows: OutboxRow[], signal: AbortSignal): Promise<DeliveryResult>;
}

/**
 * Every row of a lane read back as `kind`, oldest first. A broken row is settled as failed and
 * null is returned: the lane is looked at again without it.
 */
export function lanePayloads<K extends OutboxKind>(task: TaskContext, lane: Lane, kind: K): PayloadOf<K>[] | null {
  const payloads: PayloadOf<K>[] = [];
  for (const row of lane.rows) {
    try {
      payloads.push(parsePayload(kind, row.payload));
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      task.settle(lane, [row], { outcome: 'failed', error: error.message });
      return null;
    }
  }
  return payloads;
}

/**
 * The usual task of a kind sent one row at a time: each due lane's head row in turn, handed to
 * `deliver` and settled with its result, until nothing is due or the service stops (an
 * 'untouched' result leaves the rest as they are).
 */
export async function deliverHeadRows(task: TaskContext, deliver: (row: OutboxRow) => Promise<DeliveryResult>): Promise<void> {
  for (let [lane] = task.due(); lane && !task.stopping.aborted; [lane] = task.due()) {
    const [row] = lane.rows;
    const result = await deliver(row);
    if (result.outcome === 'untouched') return;
    task.settle(lane, [row], result);
  }
}

/** Every kind delivered by `sender`, one row at a time per lane, lanes side by side. */
export function senderDeliverers(sender: Sender, clock: Clock): Deliverers {
  const deliverer: Deliverer = {
    taskKey: (lane) => lane.key,
    run: (task) =>
      deliverHeadRows(task, async (row) => {
        try {
          return await sender.deliver([row], task.signal);
        } catch (error) {
          return { outcome: 'retry', retryAt: clock.now() + AFTER_A_CRASH_MS, error: error instanceof Error ? error.message : String(error) };
        }
      }),
  };
  return Object.fromEntries(OUTBOX_KINDS.map((kind) => [kind, deliverer])) as Record<OutboxKind, Deliverer>;
}

/** Until Telegram is connected (and in benchmarks): logs what would be posted, counts it delivered. */
export class LoggingSender implements Sender {
  constructor(private readonly logger: Logger) {}

  async deliver(rows: OutboxRow[]): Promise<DeliveryResult> {
    for (const row of rows) {
      this.logger.info({ outboxId: row.id, placeId: row.location_id, kind: row.kind, payload: JSON.parse(row.payload) as unknown }, 'outbox message (logging sender)');
    }
    return { outcome: 'sent', messageId: null };
  }
}
