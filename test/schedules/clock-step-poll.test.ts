import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertPlaceRow, openTestStore } from '../support/test-store.js';
import { PlaceStore } from '../../src/places/place-store.js';
import { createLogger } from '../../src/logger.js';
import { SchedulePoller } from '../../src/schedules/poller.js';
import { ScheduleStore } from '../../src/schedules/schedule-store.js';
import { ManualClock } from '../support/clock.js';
import { tempDir } from '../support/temp-dir.js';
import { fixture, MIN, utc, ZONE } from './fixture.js';
import { startSourceServer } from './source-server.js';

const POLL_MS = 15 * MIN;
const HOUR = 60 * MIN;

test('after the clock is stepped back, a source is polled on its interval, not hours later', async () => {
  const server = await startSourceServer();
  const dir = tempDir('schedule-step-');
  const store = await openTestStore(dir.file('monitor.db'));
  const clock = new ManualClock(utc(2026, 1, 14, 19));
  const schedules = new ScheduleStore(store.connection, new PlaceStore(store.connection));
  const poller = new SchedulePoller({
    sources: [{ id: 'city', format: 'gpv', url: server.url('/city.json'), region: null }],
    store: schedules,
    clock,
    logger: createLogger({ level: 'silent', pretty: false }),
    zone: ZONE,
    pollMs: POLL_MS,
    timeoutMs: 2_000,
  });
  try {
    server.reply('/city.json', { kind: 'serve', body: fixture('gpv-small.json'), etag: '"v1"' });
    const id = insertPlaceRow(store.connection, { name: 'A', api_key: 'key-A-000000000000', created_at: 0 });
    schedules.setPlaceSchedule(id, { source: 'city', queue: 'GPV1.1' });
    assert.equal((await poller.pollDue()).length, 1);
    clock.advance(5 * MIN);
    assert.equal((await poller.pollDue()).length, 0, 'not due 5 min later');
    clock.step(-2 * HOUR);
    assert.equal((await poller.pollDue()).length, 1, 'a last poll "in the future" means the clock went back: due');
    clock.advance(5 * MIN);
    assert.equal((await poller.pollDue()).length, 0, 'then on its interval again');
    clock.advance(10 * MIN);
    assert.equal((await poller.pollDue()).length, 1);
  } finally {
    await poller.stop();
    await store.close();
    dir.cleanup();
    server.close();
  }
});
