import { after, before } from 'node:test';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api.js';
import { tempDir } from './temp-dir.js';
import { startTestApp, type TestApp } from './test-app.js';
import { ManualClock } from './clock.js';
import type { Clock } from '../../src/clock.js';
import type { AppOptions } from '../../src/app/app.js';

export const TEST_BOT_TOKEN = '123456789:AAtestTokenForTheFakeBotApi_abcdefghij';
export const OWNER = { id: 1001, is_bot: false, first_name: 'Olena', language_code: 'uk' } as const;
export const CHANNEL_ID = -1001234567890;

export interface TelegramTestApp<C extends Clock = ManualClock> extends TestApp<C> {
  fake: FakeBotApi;
}

/**
 * The real service with its real bot, talking to a local fake Bot API. Backoffs and spacing are
 * shortened; flapping coalescing is off unless FLAP_WINDOW_S is given.
 */
export async function startTelegramTestApp<C extends Clock = ManualClock>(
  databasePath: string,
  options: { env?: Record<string, string>; clock?: C; fake?: FakeBotApi; telegram?: AppOptions['telegram'] } = {},
): Promise<TelegramTestApp<C>> {
  const fake = options.fake ?? (await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } }));
  const t = await startTestApp<C>(databasePath, {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.telegram ? { telegram: options.telegram } : {}),
    useTelegram: true,
    env: {
      BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      OWNER_ID: String(OWNER.id),
      FLAP_WINDOW_S: '0',
      ...options.env,
    },
  });
  // The façade itself, with the fake beside it: a spread would read its getters (port, system) once.
  const stopApp = t.stop;
  return Object.assign(t, {
    fake,
    stop: async () => {
      await stopApp();
      if (!options.fake) await fake.close();
    },
  });
}

/**
 * One service with its bot for the enclosing describe(), on a fresh database: started before its
 * tests (then `setUp` runs with it), stopped and removed after them.
 */
export function useTelegramApp(
  setUp: (app: TelegramTestApp) => void | Promise<void>,
  options: { env?: Record<string, string>; clock?: () => ManualClock; telegram?: AppOptions['telegram'] } = {},
): void {
  const dir = tempDir();
  let app: TelegramTestApp | undefined;
  before(async () => {
    app = await startTelegramTestApp(dir.file('monitor.db'), {
      ...(options.env ? { env: options.env } : {}),
      ...(options.clock ? { clock: options.clock() } : {}),
      ...(options.telegram ? { telegram: options.telegram } : {}),
    });
    await setUp(app);
  });
  after(async () => {
    await app?.stop();
    dir.cleanup();
  });
}
