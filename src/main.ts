import { App } from './app/app.js';
import { ConfigError, loadConfig, loadDotEnvFile } from './config.js';
import { createLogger, prettyLogsAvailable } from './logger.js';
import { BotTokenRejectedError } from './bot/bot-runner.js';
import { InstanceLockedError } from './db/instance-lock.js';
import { DatabaseOpenError } from './db/open-errors.js';

/** Reads the configuration, starts the service, and stops it cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    loadDotEnvFile(); // also checks the Node version, before .env needs it
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  if (!config.botToken) {
    console.error(
      'BOT_TOKEN is not set. The service posts alerts and is administered through a Telegram bot:\n' +
        '  1. In Telegram, open @BotFather and send /newbot (or /mybots → your bot → API Token).\n' +
        '  2. Start the service with the token: BOT_TOKEN=123456789:AAE... npm start (or put it in .env).',
    );
    process.exit(2);
  }
  const pretty = config.nodeEnv !== 'production' && process.stdout.isTTY && (await prettyLogsAvailable());
  const logger = createLogger({ level: config.logLevel, pretty });
  const app = new App({ config, logger });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const forceExit = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 10_000);
    forceExit.unref();
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // A safety net, not the fix: every failure has its own answer where it happens (see README, "When
  // the disk fails"). One that slipped through is logged loudly, and the service keeps watching.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'BUG: a promise rejection nobody handled; the service goes on'));
  process.on('uncaughtException', (error) => logger.error({ err: error }, 'BUG: an exception nobody caught; the service goes on'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  try {
    await app.start();
  } catch (error) {
    // A signal that came while the service started ends the start; shutdown() stops it and exits.
    if (stopping) return;
    // These say what to do next; print them plainly as well as in the structured log.
    if (error instanceof BotTokenRejectedError || error instanceof InstanceLockedError || error instanceof DatabaseOpenError) console.error(error.message);
    logger.fatal({ err: error }, 'the service could not start');
    await app.stop().catch(() => {});
    process.exit(1);
  }
}

await main();
