import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Store } from '../db/connection.js';
import type { LeaseTiming } from '../db/leadership.js';
import type { DatabaseTarget } from '../db/read-only.js';
import type { Logger } from '../logger.js';
import type { Sender } from '../outbox/dispatcher.js';
import type { RateLimits } from '../telegram/rate-limiter.js';
import type { RetryPolicy } from '../telegram/telegram-errors.js';

/** Telegram's pacing and backoffs, shortened by tests. */
export interface TelegramTuning {
  retryPolicy?: RetryPolicy;
  limits?: RateLimits;
  callTimeoutMs?: number;
}

/** What the composition root is given: the configuration, the opened database, and the few things only the caller knows. */
export interface SystemInput {
  config: Config;
  logger: Logger;
  clock: Clock;
  store: Store;
  /** When this process started (for /health's uptime). */
  startedAt: number;
  /** Tests record what would be posted instead of talking to Telegram (then there is no bot). */
  sender?: Sender;
  /** Tests drive the sweep themselves with a controlled clock. */
  runSweepWorker: boolean;
  telegram?: TelegramTuning;
  /** Whether heartbeats are taken now (false while starting and stopping). */
  isAccepting: () => boolean;
  /** The port the service listens on, known once it listens (for the devices' heartbeat URL). */
  port: () => number;
  /** Tests shorten the leader's lease on PostgreSQL (src/db/leadership.ts). */
  leaseTiming?: LeaseTiming;
}

/** Where the database is, for the worker threads that read it on their own connection. */
export function databaseTarget(config: Pick<Config, 'databasePath' | 'databaseUrl'>): DatabaseTarget {
  return config.databaseUrl ? { url: config.databaseUrl } : { path: config.databasePath };
}
