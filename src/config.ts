import { existsSync } from 'node:fs';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { parsePostgresUrl } from './db/postgres-url.js';
import { resolveScheduleSources, type ScheduleSource } from './schedules/sources.js';
import { isChatReference } from './telegram/chat-reference.js';

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
  /**
   * postgres://… when the service runs on PostgreSQL (several instances, one leader); undefined
   * on the embedded SQLite file at `databasePath`.
   */
  databaseUrl: string | undefined;
  timeZone: string;
  publicUrl: string | undefined;
  ownerId: number | undefined;
  defaultChannelId: string | undefined;
  logLevel: LogLevel;
  nodeEnv: string;
  /** Changes of one place closer together than this are coalesced into one channel post. */
  flapWindowS: number;
  /** Which proxy header, if any, names the client's address (throttling, the stored device IP). */
  trustProxy: TrustProxy;
  /** Outage schedule sources: the built-in list with SCHEDULE_SOURCES applied. */
  scheduleSources: ScheduleSource[];
  /** Minutes between two polls of one schedule source. */
  schedulePollMin: number;
  /** Telegram posts per second across all chats (Telegram allows about 30). */
  telegramGlobalPerSecond: number;
  /** The browser flasher's folder: the firmware release's manifest.json and image (/flash). */
  firmwareDir: string;
}

/**
 * Where the client's address comes from: the connection (`none`), fly.io's `Fly-Client-IP`
 * (`fly`), or the `hops`-th entry from the right of X-Forwarded-For, which the last of `hops`
 * trusted reverse proxies wrote. Never the left-most entry: any client can write that.
 */
export type TrustProxy = { kind: 'none' } | { kind: 'fly' } | { kind: 'hops'; hops: number };

/** The first Node.js with process.loadEnvFile (the .env file); `engines` in package.json says the same. */
export const MIN_NODE_VERSION = '20.12.0';

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
  DATABASE_URL: optionalText.superRefine((value, context) => {
    if (value === undefined) return;
    try {
      parsePostgresUrl(value, 'DATABASE_URL');
    } catch (error) {
      // Its message masks the password; unset, the service runs on the SQLite file at DATABASE_PATH.
      context.addIssue({ code: 'custom', message: `${error instanceof Error ? error.message : String(error)} (or leave it unset for the embedded SQLite file at DATABASE_PATH)` });
    }
  }),
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
  TRUST_PROXY: optionalText.refine((value) => value === undefined || parseTrustProxy(value) !== null, {
    message:
      'TRUST_PROXY must be none (the default: the address of the connection), fly (on fly.io: read Fly-Client-IP) ' +
      'or the number of reverse proxies in front of the service, e.g. 1 for one Caddy or nginx that appends ' +
      'the client to X-Forwarded-For (a whole number from 0 to 10)',
  }),
  SCHEDULE_SOURCES: optionalText,
  SCHEDULE_POLL_MIN: optionalText.refine((value) => value === undefined || (/^\d{1,3}$/.test(value) && Number(value) >= 5 && Number(value) <= 720), {
    message: 'SCHEDULE_POLL_MIN must be whole minutes from 5 to 720, e.g. 15 (the sources themselves refresh every 5–15 min)',
  }),
  TELEGRAM_GLOBAL_PER_SECOND: optionalText.refine((value) => value === undefined || (/^\d{1,2}$/.test(value) && Number(value) >= 1 && Number(value) <= 30), {
    message: 'TELEGRAM_GLOBAL_PER_SECOND must be a whole number from 1 to 30 (Telegram allows about 30 posts a second; the default is 25)',
  }),
  FIRMWARE_DIR: optionalText,
});

/** Validates the environment; throws a ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  const schedules = resolveScheduleSources(env.SCHEDULE_SOURCES);
  if (!parsed.success || schedules.problems.length > 0) {
    throw new ConfigError([...(parsed.success ? [] : parsed.error.issues.map((issue) => issue.message)), ...schedules.problems]);
  }
  const values = parsed.data;
  return {
    botToken: values.BOT_TOKEN,
    telegramApiRoot: (values.TELEGRAM_API_ROOT ?? 'https://api.telegram.org').replace(/\/+$/, ''),
    port: values.PORT === undefined ? 8080 : Number(values.PORT),
    databasePath: values.DATABASE_PATH ?? 'data/monitor.db',
    databaseUrl: values.DATABASE_URL,
    timeZone: values.TIMEZONE ?? 'Europe/Kyiv',
    publicUrl: values.PUBLIC_URL?.replace(/\/+$/, ''),
    ownerId: values.OWNER_ID === undefined ? undefined : Number(values.OWNER_ID),
    defaultChannelId: values.DEFAULT_CHANNEL_ID,
    logLevel: (values.LOG_LEVEL as LogLevel | undefined) ?? 'info',
    nodeEnv: values.NODE_ENV ?? 'development',
    flapWindowS: values.FLAP_WINDOW_S === undefined ? 60 : Number(values.FLAP_WINDOW_S),
    trustProxy: parseTrustProxy(values.TRUST_PROXY ?? 'none') ?? { kind: 'none' },
    scheduleSources: schedules.sources,
    schedulePollMin: values.SCHEDULE_POLL_MIN === undefined ? 15 : Number(values.SCHEDULE_POLL_MIN),
    telegramGlobalPerSecond: values.TELEGRAM_GLOBAL_PER_SECOND === undefined ? 25 : Number(values.TELEGRAM_GLOBAL_PER_SECOND),
    firmwareDir: values.FIRMWARE_DIR ?? 'firmware/release',
  };
}

/** `none`, `fly` or a number of proxy hops (0 is the same as none); null for anything else. */
function parseTrustProxy(value: string): TrustProxy | null {
  const text = value.toLowerCase();
  if (text === 'none' || text === '0') return { kind: 'none' };
  if (text === 'fly') return { kind: 'fly' };
  if (/^\d{1,2}$/.test(text) && Number(text) <= 10) return { kind: 'hops', hops: Number(text) };
  return null;
}

/**
 * Reads `.env` into process.env (without overriding real environment variables). Checks the Node
 * version first: every entry point calls this before anything else, and an older Node would
 * otherwise fail later with a confusing "process.loadEnvFile is not a function".
 */
export function loadDotEnvFile(path = '.env', nodeVersion = process.versions.node): void {
  const problem = nodeVersionProblem(nodeVersion);
  if (problem) throw new ConfigError([problem]);
  if (existsSync(path)) process.loadEnvFile(path);
}

/** What is wrong with running on `version` (e.g. "20.11.1"), or null when it is new enough. */
export function nodeVersionProblem(version: string): string | null {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  const [needMajor = 0, needMinor = 0, needPatch = 0] = MIN_NODE_VERSION.split('.').map(Number);
  const newEnough = major !== needMajor ? major > needMajor : minor !== needMinor ? minor > needMinor : patch >= needPatch;
  if (newEnough) return null;
  return (
    `Node.js ${MIN_NODE_VERSION} or newer is needed; this is ${version}. Install a current LTS release ` +
    '(22 or 24: https://nodejs.org, or `nvm install --lts`), or run the container image, which brings its own.'
  );
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
