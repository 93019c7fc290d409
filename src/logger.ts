import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs: JSON in production (one line per event, for the platform's log search),
 * human-readable in development. Anything that could carry a secret is redacted by path, and
 * the code never passes a device key or the bot token as a log field in the first place.
 */
export function createLogger(options: { level: string; pretty: boolean }): Logger {
  return pino({
    level: options.level,
    redact: {
      paths: ['token', 'botToken', 'apiKey', 'api_key', 'key', '*.token', '*.apiKey', '*.api_key', 'headers.authorization', 'headers["x-api-key"]'],
      censor: '[redacted]',
    },
    ...(options.pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}

/** pino-pretty is a development dependency: use it only where it is installed. */
export async function prettyLogsAvailable(): Promise<boolean> {
  try {
    await import('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
