import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import { workerEntry } from '../worker-entry.js';
import { absoluteNow, CONFIRMED_AT, SHARED_BYTES, STATE, State, type LeadershipMessage, type LeadershipWorkerData, type LeaseTiming } from './leadership-wire.js';

/**
 * Which instance leads when several share one PostgreSQL database. Any instance takes heartbeats
 * (each is decided inside a transaction that queues writers, see postgres-connection.ts); only the
 * leader runs what must happen once: the timeout sweep, the outbox sender (Telegram's budget is
 * per bot token), schedule polls, diagrams and reports, the bot's long polling, the "alive" mark.
 *
 * The leader holds a session-level advisory lock on a connection of its own. The lock lives as
 * long as that session:
 * - the leader killed (kill -9, the machine gone): its socket closes, the server ends the session
 *   and frees the lock at once; a standby, trying every `tryEveryMs`, takes it within that;
 * - the leader cut off from the database (a partition): it confirms the session every
 *   `confirmEveryMs`; once no confirmation is newer than `leaseMs` it stops leading by itself
 *   (`leading` turns false at that moment, whatever the timers do), and calls `onLost`. The
 *   server ends the silent session after `idle_session_timeout` (`serverDropsAfterMs`, longer than
 *   `leaseMs`), and only then can another instance take the lock: the old leader has stopped first.
 * One instance on SQLite always leads (SingleInstance): the file's instance lock already keeps a
 * second one out.
 */
export interface Leadership {
  /** True while this instance may do the leader's work (checked before each piece of it). */
  readonly leading: boolean;
  readonly role: 'leader' | 'standby';
  /**
   * Starts contending. `onLead` runs once when this instance becomes the leader; `onLost` once if
   * it then loses the lock (the instance must stop its leader's work; the service exits so its
   * supervisor starts it again as a standby). Resolves once this instance leads and its work has
   * started, or after its first try when another instance leads.
   */
  start(onLead: () => void | Promise<void>, onLost: (reason: string) => void): Promise<void>;
  stop(): Promise<void>;
}

/** SQLite: one instance, always the leader. */
export class SingleInstance implements Leadership {
  readonly leading = true;
  readonly role = 'leader';
  async start(onLead: () => void | Promise<void>): Promise<void> {
    await onLead();
  }
  async stop(): Promise<void> {}
}

export type { LeaseTiming } from './leadership-wire.js';

export const DEFAULT_LEASE: LeaseTiming = { tryEveryMs: 1000, confirmEveryMs: 1000, leaseMs: 5000, serverDropsAfterMs: 8000 };

/**
 * The leadership on PostgreSQL. The lock's session lives in a thread of its own
 * (leadership-worker.ts), so it is confirmed on time however long the main thread sleeps in the
 * synchronous bridge; the state and the last confirmation's time are in shared memory, and
 * `leading` reads them, so the lease ends on time even if the message saying so waits.
 */
export class PostgresLeadership implements Leadership {
  private readonly shared = new SharedArrayBuffer(SHARED_BYTES);
  private readonly state = new Int32Array(this.shared, 0, 1);
  private readonly confirmed = new Float64Array(this.shared, 8, 1);
  private worker: Worker | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly timing: LeaseTiming = DEFAULT_LEASE,
  ) {
    if (timing.serverDropsAfterMs <= timing.leaseMs) throw new Error('the server must drop a silent session later than the leader stops leading');
  }

  get leading(): boolean {
    return Atomics.load(this.state, STATE) === State.Leader && absoluteNow() - this.confirmed[CONFIRMED_AT]! < this.timing.leaseMs;
  }

  get role(): 'leader' | 'standby' {
    return this.leading ? 'leader' : 'standby';
  }

  /** Resolves after the first attempt; when it won, after the leader's work started too. */
  start(onLead: () => void | Promise<void>, onLost: (reason: string) => void): Promise<void> {
    const entry = workerEntry(new URL('./leadership-worker.js', import.meta.url));
    const data: LeadershipWorkerData = { url: this.url, timing: this.timing, shared: this.shared };
    const worker = new Worker(entry.path, { workerData: { ...entry.workerData, ...data } });
    this.worker = worker;
    worker.unref();
    let unreachableSaid = false;
    return new Promise<void>((firstAttemptDone) => {
      worker.on('message', (message: LeadershipMessage) => {
        if (message.kind === 'lead') {
          unreachableSaid = false;
          this.logger.info('this instance leads now: the sweep, the outbox, schedules, reports and the bot run here');
          Promise.resolve()
            .then(onLead)
            .catch((error: unknown) => this.logger.error({ err: error }, 'starting the leader\'s work failed'))
            .finally(() => firstAttemptDone());
        } else if (message.kind === 'lost') {
          this.logger.error({ reason: message.reason }, 'this instance lost the leadership: it stops the leader\'s work at once');
          onLost(message.reason);
        } else if (message.kind === 'unreachable') {
          if (!unreachableSaid) this.logger.warn({ reason: message.reason }, 'cannot reach PostgreSQL to contend for the leadership; trying again every second');
          unreachableSaid = true;
          firstAttemptDone();
        }
      });
      worker.on('error', (error) => {
        this.logger.error({ err: error }, 'the leadership thread failed');
        if (Atomics.load(this.state, STATE) === State.Leader) onLost('the leadership thread failed');
        Atomics.store(this.state, STATE, State.Lost);
        firstAttemptDone();
      });
      // A standby after its first try: the worker says nothing when the lock is taken elsewhere.
      setTimeout(firstAttemptDone, Math.min(this.timing.tryEveryMs, 1000)).unref();
    });
  }

  stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return Promise.resolve();
    this.stopping ??= new Promise<void>((resolve) => {
      const done = () => void worker.terminate().finally(resolve);
      worker.on('message', (message: LeadershipMessage) => message.kind === 'stopped' && done());
      worker.on('exit', () => resolve());
      // The session's end frees the lock; a server out of reach gets a second, then the thread goes.
      setTimeout(done, 1500).unref();
      worker.postMessage({ kind: 'stop' });
    });
    return this.stopping;
  }
}
