import pg from 'pg';
import type { Logger } from '../logger.js';

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
   * supervisor starts it again as a standby). Resolves after the first attempt.
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

/** Any constant of our own (the writers' transaction lock uses another). */
export const LEADER_LOCK_KEY = 7_426_002;

export interface LeaseTiming {
  /** How often a standby tries to take the lock. */
  tryEveryMs: number;
  /** How often the leader confirms its session. */
  confirmEveryMs: number;
  /** Leading ends this long after the last confirmation was sent, answered or not. */
  leaseMs: number;
  /** The server ends a session silent for this long (idle_session_timeout); must exceed leaseMs. */
  serverDropsAfterMs: number;
}

export const DEFAULT_LEASE: LeaseTiming = { tryEveryMs: 1000, confirmEveryMs: 1000, leaseMs: 5000, serverDropsAfterMs: 8000 };

export class PostgresLeadership implements Leadership {
  private client: pg.Client | null = null;
  private state: 'standby' | 'leader' | 'lost' | 'stopped' = 'standby';
  /** When the last confirmation that came back was sent (monotonic ms). */
  private confirmedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private onLead: () => void | Promise<void> = () => {};
  private onLost: (reason: string) => void = () => {};
  /** The leader's work starting, once this instance leads. */
  private takingOver: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly timing: LeaseTiming = DEFAULT_LEASE,
  ) {
    if (timing.serverDropsAfterMs <= timing.leaseMs) throw new Error('the server must drop a silent session later than the leader stops leading');
  }

  get leading(): boolean {
    return this.state === 'leader' && monotonicNow() - this.confirmedAt < this.timing.leaseMs;
  }

  get role(): 'leader' | 'standby' {
    return this.leading ? 'leader' : 'standby';
  }

  async start(onLead: () => void | Promise<void>, onLost: (reason: string) => void): Promise<void> {
    this.onLead = onLead;
    this.onLost = onLost;
    await this.tryToLead();
    this.schedule();
    // When this instance leads at once, its start includes the leader's work.
    await this.takingOver;
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Ending the session frees the lock at once: a standby leads within its next try.
    await this.dropClient();
  }

  private schedule(): void {
    if (this.state === 'stopped' || this.state === 'lost') return;
    const wait = this.state === 'leader' ? this.timing.confirmEveryMs : this.timing.tryEveryMs;
    this.timer = setTimeout(() => void this.turn(), wait);
    this.timer.unref();
  }

  private async turn(): Promise<void> {
    if (this.state === 'leader') await this.confirm();
    else if (this.state === 'standby') await this.tryToLead();
    this.schedule();
  }

  private async tryToLead(): Promise<void> {
    let got: boolean | undefined;
    const sentAt = monotonicNow();
    try {
      const client = await this.connected();
      const result = await withTimeout(client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [LEADER_LOCK_KEY]), this.timing.leaseMs, 'PostgreSQL did not answer');
      got = result.rows[0]?.got;
    } catch (error) {
      // Not connected: try again at the next turn, with a new connection (a lock this attempt may
      // have taken unseen goes with the old session).
      this.logger.warn({ err: error }, 'cannot reach PostgreSQL to contend for the leadership; trying again');
      await this.dropClient();
      return;
    }
    if (this.state !== 'standby' || !got) return;
    this.confirmedAt = sentAt;
    this.state = 'leader';
    this.logger.info('this instance leads now: the sweep, the outbox, schedules, reports and the bot run here');
    // Not awaited here: the confirmations must go on while the leader's work starts (the bot's
    // start may wait 10 s for Telegram, longer than the server keeps a silent session).
    this.takingOver = Promise.resolve()
      .then(() => this.onLead())
      .catch((error: unknown) => this.logger.error({ err: error }, 'starting the leader\'s work failed'));
  }

  private async confirm(): Promise<void> {
    const client = this.client;
    const sentAt = monotonicNow();
    try {
      if (!client) throw new Error('the leader\'s connection is gone');
      await withTimeout(client.query('SELECT 1'), this.timing.leaseMs, 'the leader\'s session did not answer');
      if (this.state === 'leader' && this.leading) this.confirmedAt = sentAt;
      else this.lose('the lease ran out before the session answered');
    } catch (error) {
      this.lose(error instanceof Error ? error.message : String(error));
    }
  }

  private lose(reason: string): void {
    if (this.state !== 'leader') return;
    this.state = 'lost';
    this.logger.error({ reason }, 'this instance lost the leadership: it stops the leader\'s work at once');
    void this.dropClient();
    this.onLost(reason);
  }

  private async connected(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, connectionTimeoutMillis: 3000, application_name: 'power-monitor-leadership' });
    client.on('error', (error) => {
      if (this.state === 'leader') this.lose(`the leader's connection failed: ${error.message}`);
    });
    client.on('end', () => {
      if (this.state === 'leader') this.lose('the leader\'s connection closed');
    });
    await client.connect();
    // The server ends this session when it has been silent this long: a leader cut off from the
    // database loses the lock a bounded time after it stopped leading.
    await client.query(`SET idle_session_timeout = ${Math.round(this.timing.serverDropsAfterMs)}`);
    this.client = client;
    return client;
  }

  private async dropClient(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    // A server out of reach never answers the goodbye: the socket is closed after a moment anyway.
    await withTimeout(client.end(), 1000, 'no goodbye').catch(() => (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy());
  }
}

function monotonicNow(): number {
  return performance.now();
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
