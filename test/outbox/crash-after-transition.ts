// Child process for crash-survival.test.ts: makes a place go OFF (the transition and its outbox
// row commit together), then dies by SIGKILL before anything can be delivered.
import { startTestApp } from '../support/test-app.js';
import { ManualClock } from '../support/clock.js';
import type { Sender } from '../../src/outbox/dispatcher.js';

const neverDelivers: Sender = { deliver: () => new Promise(() => {}) };
const clock = new ManualClock(Date.now() - 3_600_000);
const t = await startTestApp(process.argv[2]!, { clock, sender: neverDelivers });
const place = await t.createPlace({ name: 'Home', timeoutS: 60 });
await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } });
clock.advance(61_000);
if (t.sweep() !== 1) throw new Error('expected one transition');
process.kill(process.pid, 'SIGKILL');
