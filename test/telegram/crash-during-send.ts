// Child process for delivery.test.ts: a place goes OFF, the send to Telegram hangs, and the
// process is killed with SIGKILL before Telegram answers.
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp } from '../support/test-app.js';
import { ManualClock } from '../support/clock.js';
import { CHANNEL_ID, TEST_BOT_TOKEN } from '../support/telegram-app.js';

const [database, apiRoot] = process.argv.slice(2) as [string, string];
const clock = new ManualClock(Date.now() - 3_600_000);
const t = await startTestApp(database, { clock, useTelegram: true, env: { BOT_TOKEN: TEST_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, FLAP_WINDOW_S: '0' } });
const place = await t.createPlace({ name: 'Home', channelId: String(CHANNEL_ID) });
await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } });
clock.advance(61_000);
if (t.sweep() !== 1) throw new Error('expected one transition');
await sleep(300); // the send is now in flight, hanging
process.kill(process.pid, 'SIGKILL');
