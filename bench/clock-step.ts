// A step of the wall clock at many places with history: how long until every place's stored times
// moved with it, the event loop's longest stall meanwhile, heartbeat latency meanwhile, and that
// no alert was queued (the sweep worker runs and sees every deadline "passed" after +2 h).
//   node --import tsx bench/clock-step.ts [--places 10000 --intervals 20 --step-h 2]
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { App } from '../src/app/app.js';
import type { Clock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { PowerEventStore } from '../src/history/power-event-store.js';
import { createLogger } from '../src/logger.js';
import type { Sender } from '../src/outbox/dispatcher.js';
import { tempDir } from '../test/support/temp-dir.js';
import { percentile, seedPlaces } from './support/seed.js';

const { values } = parseArgs({ options: { places: { type: 'string', default: '10000' }, intervals: { type: 'string', default: '20' }, 'step-h': { type: 'string', default: '2' } } });
const places = Number(values.places);
const intervals = Number(values.intervals);
const stepMs = Number(values['step-h']) * 3_600_000;

/** The system clocks, with a wall clock that can be stepped. */
class SteppableClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  monotonic(): number {
    return performance.now();
  }
}

const clock = new SteppableClock();
const dir = tempDir('bench-clock-step-');
const config = loadConfig({ DATABASE_PATH: dir.file('monitor.db'), PORT: '0', LOG_LEVEL: 'silent' });
const sent: Sender = { deliver: async () => ({ outcome: 'sent', messageId: 1 }) };
const app = new App({ config, logger: createLogger({ level: 'silent', pretty: false }), sender: sent, clock });
await app.start();
const startedAt = clock.now();
const keys = seedPlaces(app.system.store.sqlite, places, startedAt, 60);
await sleep(intervals + 50);

// Each place: `intervals` intervals in this run, on and off by turns, the last one open and on.
const events = new PowerEventStore(app.system.store.sqlite);
const seededAt = clock.now();
app.system.store.sqlite.transaction(() => {
  const state = app.system.store.sqlite.prepare('UPDATE locations SET status = ?, status_since = ?, last_heartbeat_at = ?, deadline_at = ? WHERE id = ?');
  for (let id = 1; id <= places; id += 1) {
    for (let j = 0; j < intervals; j += 1) {
      const last = j === intervals - 1;
      events.append(id, { status: (intervals - 1 - j) % 2 === 0 ? 'on' : 'off', startedAt: startedAt + 1 + j, endedAt: last ? null : startedAt + 2 + j, edge: j === 0 ? 'first_heartbeat' : 'heartbeat' });
    }
    state.run('on', startedAt + intervals, seededAt, seededAt + 60_000, id);
  }
})();
const alertsBefore = app.system.store.sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE kind = 'alert'").get() as { n: number };

async function heartbeatLatencies(stopAt: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  let i = 0;
  while (!stopAt()) {
    const key = keys[(i += 1) % keys.length]!;
    const begun = performance.now();
    const response = await fetch(`http://127.0.0.1:${app.port}/api/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`heartbeat refused: ${response.status}`);
    latencies.push(performance.now() - begun);
  }
  return latencies;
}

async function step(deltaMs: number): Promise<void> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  clock.offset += deltaMs;
  const begun = performance.now();
  let done = false;
  const load = heartbeatLatencies(() => done);
  while (app.system.clockSteps.count === 0 || app.system.monitor.rebasesPending > 0 || performance.now() - begun < 100) await sleep(5);
  const movedMs = performance.now() - begun;
  await sleep(1_500); // the sweep worker has seen the moved deadlines
  done = true;
  const latencies = (await load).sort((a, b) => a - b);
  delay.disable();
  const alerts = app.system.store.sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE kind = 'alert'").get() as { n: number };
  console.log(`  step ${deltaMs > 0 ? '+' : ''}${deltaMs / 3_600_000} h: every place moved after ${movedMs.toFixed(0)} ms; event loop stall max ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`);
  console.log(`    heartbeats meanwhile: ${latencies.length}, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; alerts queued: ${alerts.n - alertsBefore.n}`);
}

console.log(`bench/clock-step: ${places} places × ${intervals} intervals this run`);
await step(stepMs);
await step(-stepMs);
await app.stop();
dir.cleanup();
