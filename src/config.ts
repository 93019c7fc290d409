import { existsSync } from 'node:fs';
import { IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * The whole configuration of the service, read from the environment (and a `.env` file when
 * present) and validated once at start. Names are fixed by DESIGN.md §10: deploy templates and
 * monitoring checks outside this repo rely on them.
 */
export interface Config {
  botToken: string | undefined;
  telegramApiRoot: string;
  port: number;
  databasePath: string;
  timeZone: string;
  publicUrl: string | undefined;
  ownerId: number | undefined;
  defaultChannelId: string | undefined;
  logLevel: LogLevel;
  nodeEnv: string;
  /** Changes of one place closer together than this are coalesced into one channel post. */
  flapWindowS: number;
  /** Telegram posts per second across all chats (Telegram allows about 30). */
  telegramGlobalPerSecond: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

const BOT_TOKEN_SHAPE = /^\d{5,16}:[A-Za-z0-9_-]{30,}$/;

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const schema = z.object({
  BOT_TOKEN: optionalText.refine((value) => value === undefined || BOT_TOKEN_SHAPE.test(value), {
    message:
      'BOT_TOKEN does not look like a bot token (digits, a colon, then 30+ letters, e.g. "123456789:AAE…"). ' +
      'Get one from @BotFather in Telegram: send /newbot, then copy the token it gives you.',
  }),
  TELEGRAM_API_ROOT: optionalText.refine((value) => value === undefined || isHttpUrl(value), {
    message: 'TELEGRAM_API_ROOT must be an http(s) URL such as https://api.telegram.org',
  }),
  PORT: optionalText.refine((value) => value === undefined || isPort(value), {
    message: 'PORT must be a whole number from 0 to 65535, e.g. 8080',
  }),
  DATABASE_PATH: optionalText,
  TIMEZONE: optionalText.refine((value) => value === undefined || IANAZone.isValidZone(value), {
    message: 'TIMEZONE must be an IANA time zone name such as Europe/Kyiv or UTC',
  }),
  PUBLIC_URL: optionalText.refine((value) => value === undefined || isHttpUrl(value), {
    message: 'PUBLIC_URL must be the public http(s) address of this service, e.g. https://monitor.example.com',
  }),
  OWNER_ID: optionalText.refine((value) => value === undefined || /^\d{1,16}$/.test(value), {
    message: 'OWNER_ID must be a numeric Telegram user id (ask @userinfobot for yours)',
  }),
  DEFAULT_CHANNEL_ID: optionalText.refine((value) => value === undefined || isChatReference(value), {
    message: 'DEFAULT_CHANNEL_ID must be a channel id like -1001234567890 or a @channelusername',
  }),
  LOG_LEVEL: optionalText.refine((value) => value === undefined || isLogLevel(value), {
    message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`,
  }),
  NODE_ENV: optionalText,
  FLAP_WINDOW_S: optionalText.refine((value) => value === undefined || /^\d{1,5}$/.test(value), {
    message: 'FLAP_WINDOW_S must be a whole number of seconds, e.g. 60 (0 turns coalescing off)',
  }),
  TELEGRAM_GLOBAL_PER_SECOND: optionalText.refine((value) => value === undefined || (/^\d{1,2}$/.test(value) && Number(value) >= 1 && Number(value) <= 30), {
    message: 'TELEGRAM_GLOBAL_PER_SECOND must be a whole number from 1 to 30 (Telegram allows about 30 posts a second; the default is 25)',
  }),
});

/** Validates the environment; throws a ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  }
  const values = parsed.data;
  return {
    botToken: values.BOT_TOKEN,
    telegramApiRoot: (values.TELEGRAM_API_ROOT ?? 'https://api.telegram.org').replace(/\/+$/, ''),
    port: values.PORT === undefined ? 8080 : Number(values.PORT),
    databasePath: values.DATABASE_PATH ?? 'data/monitor.db',
    timeZone: values.TIMEZONE ?? 'Europe/Kyiv',
    publicUrl: values.PUBLIC_URL?.replace(/\/+$/, ''),
    ownerId: values.OWNER_ID === undefined ? undefined : Number(values.OWNER_ID),
    defaultChannelId: values.DEFAULT_CHANNEL_ID,
    logLevel: (values.LOG_LEVEL as LogLevel | undefined) ?? 'info',
    nodeEnv: values.NODE_ENV ?? 'development',
    flapWindowS: values.FLAP_WINDOW_S === undefined ? 60 : Number(values.FLAP_WINDOW_S),
    telegramGlobalPerSecond: values.TELEGRAM_GLOBAL_PER_SECOND === undefined ? 25 : Number(values.TELEGRAM_GLOBAL_PER_SECOND),
  };
}

/** Reads `.env` into process.env (without overriding real environment variables). */
export function loadDotEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

function isPort(value: string): boolean {
  return /^\d{1,5}$/.test(value) && Number(value) <= 65535;
}

export function isChatReference(value: string): boolean {
  return /^-?\d{1,20}$/.test(value) || /^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(value);
}
