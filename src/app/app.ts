import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import { ensureDatabaseFolder, openPostgresStore, openStore, type Store } from '../db/connection.js';
import type { LeaseTiming } from '../db/leadership.js';
import { acquireInstanceLock, INSTANCE_CLAIM_KEY, readInstanceClaim, type InstanceLock } from '../db/instance-lock.js';
import { explainOpenFailure } from '../db/open-errors.js';
import { storageFaultOf } from '../db/storage-faults.js';
import type { HttpApp } from '../http/app.js';
import { HoldingServer } from '../http/holding-server.js';
import { createHttpServer } from '../http/server.js';
import type { Logger } from '../logger.js';
import type { Sender } from '../outbox/dispatcher.js';
import { buildSystem, type System } from './system.js';
import type { TelegramTuning } from './system-input.js';
import { RETENTION_EVERY_MS, repeat, SNOOZE_CHECK_EVERY_MS } from './timer-jobs.js';

/** At start, a database that cannot even be opened for a storage fault is tried again this often. */
const OPEN_RETRY_MS = 2_000;

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  sender?: Sender;
  /** Tests drive the sweep themselves with a controlled clock. */
  runSweepWorker?: boolean;
  /** Tests shorten Telegram backoffs and spacing. */
  telegram?: TelegramTuning;
  /** Tests shorten the leader's lease on PostgreSQL. */
  leaseTiming?: LeaseTiming;
  /**
   * This instance was the leader on PostgreSQL and lost the lock (cut off from the database): it
   * must stop at once, before another instance leads. By default the process exits with 75, and
   * its supervisor (fly.io, Docker, systemd) starts it again as a standby.
   */
  onLeadershipLost?: (reason: string) => void;
}

/** Undoes one step of the start (a timer, a worker, the database). */
type Undo = () => void | Promise<void>;

/**
 * Starts and stops the service: claims and opens the database (waiting, with a holding server on
 * the port, while storage fails), builds the System (src/app/system.ts), starts its timers,
 * workers, server and bot in order, and stops them in reverse.
 */
export class App {
  readonly clock: Clock;
  /** When this process started (for /health's uptime). */
  readonly startedAt: number;
  private built: System | null = null;
  /** How to undo what start() began, in the order it began: stop() runs them from the last. */
  private readonly undos: Undo[] = [];
  private server: Server | null = null;
  /** 503 on the port while the database cannot be opened yet (see untilStorageWorks). */
  private holding: HoldingServer | null = null;
  private accepting = false;
  private stopped = false;

  constructor(private readonly options: AppOptions) {
    this.clock = options.clock ?? systemClock;
    this.startedAt = this.clock.now();
  }

  /** The service's parts, once start() has opened the database and built them. */
  get system(): System {
    if (!this.built) throw new Error('App.system is read before start() built it: the parts exist once the database is open');
    return this.built;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.holding?.port ?? 0;
  }

  async start(): Promise<void> {
    const system = await this.openAndBuild();
    if (system.store.dialect === 'postgres') return this.startShared(system);
    this.startParts(system);
    const { sweep, telegram } = system;
    if (sweep) {
      this.undos.push(() => sweep.stop());
      await sweep.start();
      await this.endIfStopped();
    }
    await this.listen(system.http);
    this.options.logger.info({ port: this.port, database: this.options.config.databasePath, timeZone: this.options.config.timeZone }, 'power monitor is up');
    if (telegram) {
      this.undos.push(() => telegram.botRunner.stop());
      await telegram.botRunner.start();
    }
  }

  /**
   * On PostgreSQL several instances share the database. Each takes heartbeats as soon as it
   * listens; the leader's work (the parts startParts starts, the sweep, the bot) starts when this
   * instance wins the leadership: now, or when the leader dies, or never.
   */
  private async startShared(system: System): Promise<void> {
    const { leadership } = system;
    // Undone last: the leader's parts stop first, then the lock is let go for a standby.
    this.undos.push(() => leadership.stop());
    await this.listen(system.http);
    this.options.logger.info({ port: this.port, database: 'postgres', timeZone: this.options.config.timeZone }, 'power monitor is up; contending for the leadership');
    await leadership.start(
      () => this.lead(system),
      (reason) => (this.options.onLeadershipLost ?? exitAsStandby)(reason),
    );
  }

  /** This instance became the leader: the span since the last leader was watching is treated like a restart. */
  private async lead(system: System): Promise<void> {
    if (this.stopped) return;
    this.startParts(system);
    const { sweep, telegram } = system;
    if (sweep) {
      this.undos.push(() => sweep.stop());
      await sweep.start();
    }
    // A stop() that came meanwhile has undone what was pushed; what starts after it is stopped here.
    if (!telegram || this.stopped) return;
    this.undos.push(() => telegram.botRunner.stop());
    await telegram.botRunner.start();
    if (this.stopped) await telegram.botRunner.stop();
  }

  /** Stops taking heartbeats, lets requests in flight finish, then stops the parts in reverse order of their start. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.accepting = false;
    await this.releasePort();
    await this.closeServer();
    await this.undoAll();
    this.options.logger.info('power monitor stopped');
  }

  /** Claims and opens the database, then builds every part on it. */
  private async openAndBuild(): Promise<System> {
    const { config, logger } = this.options;
    // On PostgreSQL several instances may share the database: no file to claim (see startShared).
    const { databaseUrl } = config;
    const lock = databaseUrl ? null : await this.untilStorageWorks('claim the database', () => claimDatabase(config.databasePath, this.clock.now()));
    if (lock) this.undos.push(() => lock.release());
    await this.endIfStopped();
    // A file that opens but cannot be written (full disk, read-only, locked) does not stop the
    // start: the service comes up refusing heartbeats with 503 until writes work (see below).
    const open = (): Promise<Store> => (databaseUrl ? openPostgresStore(databaseUrl) : openStore(config.databasePath, { writeFaults: 'tolerate' }));
    const store = await this.untilStorageWorks('open the database', open);
    this.undos.push(() => store.close());
    await this.endIfStopped();
    if (store.writeFault) logWriteFault(logger, store.writeFault);
    this.built = buildSystem({
      ...this.options,
      clock: this.clock,
      store,
      startedAt: this.startedAt,
      runSweepWorker: this.options.runSweepWorker ?? true,
      isAccepting: () => this.accepting,
      port: () => this.port,
      leaseTiming: this.options.leaseTiming,
    });
    if (lock) recordClaim(this.built, lock, logger);
    return this.built;
  }

  /** The parts that start at once: the monitor, the periodic jobs, the outbox and the schedules that feed it, the clock's watch. */
  private startParts({ store, monitor, jobs, outbox, telegram, schedules, clockSteps }: System): void {
    if (telegram) this.undos.push(() => telegram.renderer.stop());
    if (store.writeFault) monitor.storageFailedAtStart(store.writeFault);
    monitor.start();
    this.undos.push(() => monitor.stop());
    jobs.pruneOldRows();
    this.undos.push(repeat(() => jobs.pruneOldRows(), RETENTION_EVERY_MS), repeat(() => jobs.endDueSnoozes(), SNOOZE_CHECK_EVERY_MS));
    outbox.start();
    this.undos.push(() => outbox.stop());
    if (telegram) {
      telegram.diagrams.start();
      telegram.reports.start();
      this.undos.push(() => telegram.diagrams.stop(), () => telegram.reports.stop());
    }
    schedules.start();
    this.undos.push(() => schedules.stop());
    // Last: a step it sees goes to the parts above, which are running by then.
    clockSteps.start();
    this.undos.push(() => clockSteps.stop());
  }

  /** Takes the port over from the holding server (the same one, when any port would do) and serves. */
  private async listen(http: HttpApp): Promise<void> {
    this.accepting = true;
    const port = this.options.config.port || (this.holding?.port ?? 0);
    await this.releasePort();
    this.server = await new Promise<Server>((resolve, reject) => {
      const server = createHttpServer(http.callback());
      server.listen(port, () => resolve(server));
      server.once('error', reject);
    });
  }

  /** Lets requests in flight finish (3 s at most), then closes the server. */
  private async closeServer(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const forceAfter = setTimeout(() => server.closeAllConnections(), 3_000);
    await closed;
    clearTimeout(forceAfter);
    this.server = null;
  }

  private async undoAll(): Promise<void> {
    for (let undo = this.undos.pop(); undo; undo = this.undos.pop()) await undo();
  }

  /** A stop() that came while a start step waited: what started so far is undone, and the start ends. */
  private async endIfStopped(): Promise<void> {
    if (!this.stopped) return;
    await this.undoAll();
    throw new Error('the service was stopped while it started');
  }

  /**
   * Runs a start step again while it fails for the storage (the disk full or failing, a foreign
   * lock, a read-only file): logged once, tried every 2 s until it works or the service stops. A
   * damaged file or anything else is thrown at once (it needs a person, not waiting).
   */
  private async untilStorageWorks<T>(what: string, step: () => T | Promise<T>): Promise<T> {
    const { logger } = this.options;
    let failingSince: number | null = null;
    for (;;) {
      try {
        const result = await step();
        if (failingSince !== null) logger.warn({ waitedS: Math.round((Date.now() - failingSince) / 1000) }, `could ${what} at last; starting`);
        return result;
      } catch (error) {
        const kind = storageFaultOf(error);
        if (kind === null || kind === 'corrupt' || this.stopped) throw error;
        if (failingSince === null) {
          failingSince = Date.now();
          logger.error({ err: error, fault: kind }, `cannot ${what} (${kind}); trying again every ${OPEN_RETRY_MS / 1000} s until it works`);
          // Meanwhile heartbeats and /health get 503 on the port, not "connection refused".
          this.holding ??= await HoldingServer.listen(this.options.config.port, this.startedAt, logger);
        }
        await sleep(OPEN_RETRY_MS);
        if (this.stopped) throw error;
      }
    }
  }

  /** Closes the holding server (the database opened, or the service stops). */
  private async releasePort(): Promise<void> {
    const holding = this.holding;
    this.holding = null;
    await holding?.close();
  }
}

/** One instance per database: claimed before anything is written (see db/instance-lock.ts); none for an in-memory one. */
/** The default answer to a lost leadership: exit at once (no more writes, no sends), to be started again as a standby. */
function exitAsStandby(): void {
  process.exit(75);
}

function claimDatabase(databasePath: string, now: number): InstanceLock | null {
  if (databasePath === ':memory:') return null;
  ensureDatabaseFolder(databasePath);
  try {
    return acquireInstanceLock(databasePath, now, () => readInstanceClaim(databasePath));
  } catch (error) {
    throw explainOpenFailure(error, databasePath);
  }
}

/** Who holds the database, for a second instance's message; not worth failing the start for. */
function recordClaim({ tables }: System, lock: InstanceLock, logger: Logger): void {
  try {
    tables.serviceState.write(INSTANCE_CLAIM_KEY, JSON.stringify(lock.claim));
  } catch (error) {
    if (storageFaultOf(error) === null) throw error;
    logger.warn({ err: error }, 'could not record which process holds the database (it cannot be written now)');
  }
}

function logWriteFault(logger: Logger, fault: unknown): void {
  logger.error(
    { err: fault, fault: storageFaultOf(fault) },
    `${fault instanceof Error ? fault.message : String(fault)}\nStarting anyway: heartbeats get 503 and /health says db: error until the database can be written; then the service carries on by itself.`,
  );
}
