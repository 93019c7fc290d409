import { App, type AppOptions } from '../../src/app/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { OutboxRow } from '../../src/outbox/outbox-store.js';
import type { DeliveryResult, Sender } from '../../src/outbox/dispatcher.js';
import type { Clock } from '../../src/clock.js';
import { ManualClock } from './clock.js';

/** Records what would have been posted. */
export class RecordingSender implements Sender {
  readonly delivered: OutboxRow[] = [];
  async deliver(rows: OutboxRow[]): Promise<DeliveryResult> {
    this.delivered.push(...rows);
    return { outcome: 'sent', messageId: this.delivered.length };
  }
}

export interface TestApp<C extends Clock = ManualClock> {
  app: App;
  clock: C;
  sender: RecordingSender;
  config: Config;
  url: (path: string) => string;
  stop: () => Promise<void>;
}

/** Starts the real service on an ephemeral port over a database file in `databasePath`. */
export async function startTestApp<C extends Clock = ManualClock>(
  databasePath: string,
  options: {
    clock?: C;
    env?: Record<string, string>;
    runSweepWorker?: boolean;
    sender?: AppOptions['sender'];
    useTelegram?: boolean;
    /** Replaces the shortened test backoffs and spacing (e.g. to test spacing itself). */
    telegram?: AppOptions['telegram'];
    logger?: Logger;
    /** Sees the app before it starts (a test of what it does while its start waits). */
    onCreated?: (app: App) => void;
  } = {},
): Promise<TestApp<C>> {
  const config = loadConfig({ PORT: '0', DATABASE_PATH: databasePath, LOG_LEVEL: 'silent', ...options.env });
  const clock = options.clock ?? (new ManualClock() as Clock as C);
  const sender = new RecordingSender();
  const app = new App({
    config,
    logger: options.logger ?? createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false }),
    clock,
    ...(options.useTelegram ? {} : { sender: options.sender ?? sender }),
    telegram: {
      retryPolicy: { baseDelayMs: 100, maxDelayMs: 1000, flagAfterMs: 10 * 60_000 },
      limits: { globalPerSecond: 1000, groupIntervalMs: 0, privateIntervalMs: 0 },
      callTimeoutMs: 2000,
      ...options.telegram,
    },
    runSweepWorker: options.runSweepWorker ?? false,
  });
  options.onCreated?.(app);
  await app.start();
  return {
    app,
    clock,
    sender,
    config,
    url: (path) => `http://127.0.0.1:${app.port}${path}`,
    stop: () => app.stop(),
  };
}
