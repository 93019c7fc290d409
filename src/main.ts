import { App } from './app.js';
import { ConfigError, loadConfig, loadDotEnvFile } from './config.js';
import { createLogger, prettyLogsAvailable } from './logger.js';

/** Reads the configuration, starts the service, and stops it cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  loadDotEnvFile();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
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
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  try {
    await app.start();
  } catch (error) {
    logger.fatal({ err: error }, 'the service could not start');
    await app.stop().catch(() => {});
    process.exit(1);
  }
}

await main();
