// Child process for event-crash.test.ts: a device's mains event makes a place go OFF (the change and
// its outbox row commit together), then the process dies by SIGKILL before anything is delivered.
import { startTestApp } from '../support/test-app.js';
import { ManualClock } from '../support/clock.js';
import type { Sender } from '../../src/outbox/dispatcher.js';

const neverDelivers: Sender = { deliver: () => new Promise(() => {}) };
const clock = new ManualClock(Date.now() - 3_600_000);
const t = await startTestApp(process.argv[2]!, { clock, sender: neverDelivers });
const place = await t.createPlace({ name: 'Home', timeoutS: 60 });
await fetch(t.url(`/api/event?key=${place.api_key}&mains=on`));
clock.advance(30_000);
const answer = await fetch(t.url(`/api/event?key=${place.api_key}&mains=off&ms_ago=400`));
if (answer.status !== 200) throw new Error(`expected 200, got ${answer.status}`);
process.kill(process.pid, 'SIGKILL');
