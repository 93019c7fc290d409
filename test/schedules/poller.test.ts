import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../../src/db/connection.js';
import { insertPlaceRow, openTestStore } from '../support/test-store.js';
import { PlaceStore } from '../../src/places/place-store.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { dayStateAt } from '../../src/schedules/queue-plan.js';
import { SchedulePoller } from '../../src/schedules/poller.js';
import { ScheduleStore } from '../../src/schedules/schedule-store.js';
import type { ScheduleSource } from '../../src/schedules/sources.js';
import { ManualClock } from '../support/clock.js';
import { tempDir } from '../support/temp-dir.js';
import { fixture, MIN, utc, ZONE } from './fixture.js';
import { startSourceServer } from './source-server.js';

const POLL_MS = 15 * MIN;
const logger = createLogger({ level: 'silent', pretty: false });

describe('the schedule poller against a local source', () => {
  let server: Awaited<ReturnType<typeof startSourceServer>>;
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let schedules: ScheduleStore;
  let clock: ManualClock;
  let sources: ScheduleSource[];
  const pollers: SchedulePoller[] = [];

  const newPoller = (options: Partial<ConstructorParameters<typeof SchedulePoller>[0]> = {}) => {
    const poller = new SchedulePoller({ sources, store: schedules, clock, logger, zone: ZONE, pollMs: POLL_MS, timeoutMs: 2_000, ...options });
    pollers.push(poller);
    return poller;
  };

  before(async () => {
    server = await startSourceServer();
  });
  after(() => server.close());

  beforeEach(async () => {
    dir = tempDir('schedule-poller-');
    store = await openTestStore(dir.file('monitor.db'));
    schedules = new ScheduleStore(store.connection, new PlaceStore(store.connection));
    clock = new ManualClock(utc(2026, 1, 14, 19));
    sources = [
      { id: 'city', format: 'gpv', url: server.url('/city.json'), region: null },
      { id: 'yasno', format: 'yasno', url: server.url('/yasno'), region: null },
      { id: 'idle', format: 'gpv', url: server.url('/idle.json'), region: null },
    ];
    server.requests.length = 0;
    server.reply('/city.json', { kind: 'serve', body: fixture('gpv-small.json'), etag: '"v1"' });
    server.reply('/yasno', { kind: 'serve', body: fixture('yasno-small.json'), lastModified: 'Wed, 28 Jan 2026 21:00:00 GMT' });
    const add = (name: string, api_key: string) => insertPlaceRow(store.connection, { name, api_key, created_at: 0 });
    for (const [name, source, queue] of [['A', 'city', 'GPV1.1'], ['B', 'city', 'GPV1.2'], ['C', 'yasno', '1.1']] as const) {
      const id = add(name, `key-${name}-000000000000`);
      schedules.setPlaceSchedule(id, { source, queue });
    }
  });

  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop()));
    await store.close();
    dir.cleanup();
  });

  test('a 200 with an ETag is parsed and kept; the next poll asks If-None-Match and a 304 keeps the copy', async () => {
    const updates: string[] = [];
    const poller = newPoller({ onUpdate: (id) => updates.push(id) });
    assert.deepEqual(await poller.poll('city'), { sourceId: 'city', result: 'updated' });
    assert.equal(server.requests[0]!.headers['if-none-match'], undefined);
    const plan = poller.plan('city', 'GPV1.1');
    assert.equal(plan.blocked, null);
    assert.equal(dayStateAt(plan, clock.now()).known, true);

    clock.advance(POLL_MS);
    const copy = poller.copy('city');
    assert.deepEqual(await poller.poll('city'), { sourceId: 'city', result: 'not_modified' });
    assert.equal(server.requests[1]!.headers['if-none-match'], '"v1"');
    assert.equal(poller.copy('city')!.snapshot, copy!.snapshot, 'the same parsed copy');
    assert.equal(poller.copy('city')!.fetchedAt, clock.now());
    assert.equal(schedules.source('city')!.fetched_at, clock.now());
    assert.deepEqual(updates, ['city']);
  });

  test('If-Modified-Since when the source gives Last-Modified only', async () => {
    const poller = newPoller();
    assert.equal((await poller.poll('yasno')).result, 'updated');
    assert.equal((await poller.poll('yasno')).result, 'not_modified');
    assert.equal(server.requests[1]!.headers['if-modified-since'], 'Wed, 28 Jan 2026 21:00:00 GMT');
  });

  test('new content replaces the copy and is announced; the same content again is not', async () => {
    const updates: string[] = [];
    const poller = newPoller({ onUpdate: (id) => updates.push(id) });
    await poller.poll('city');
    const changed = fixture('gpv-small.json').replace('"17": "no"', '"17": "yes"');
    server.reply('/city.json', { kind: 'serve', body: changed, etag: '"v2"' });
    assert.equal((await poller.poll('city')).result, 'updated');
    server.reply('/city.json', { kind: 'serve', body: changed, etag: '"v3"' });
    assert.equal((await poller.poll('city')).result, 'unchanged');
    assert.deepEqual(updates, ['city', 'city']);
  });

  test('a 500, garbage or a timeout count as failures and keep the last good copy; long failure makes the plan unknown', async () => {
    const metrics = createMetrics(() => ({}));
    const poller = newPoller({ metrics, timeoutMs: 1_000 });
    await poller.poll('city');
    const good = poller.copy('city');

    server.reply('/city.json', { kind: 'status', status: 500 });
    clock.advance(POLL_MS);
    assert.deepEqual(await poller.poll('city'), { sourceId: 'city', result: 'failed', error: 'HTTP 500 Internal Server Error' });
    server.reply('/city.json', { kind: 'serve', body: '<html>Too many requests</html>' });
    clock.advance(POLL_MS);
    const garbage = await poller.poll('city');
    assert.equal(garbage.result, 'unreadable');
    assert.match(garbage.result === 'unreadable' ? garbage.error : '', /unreadable reply: not JSON/);
    server.reply('/city.json', { kind: 'hang' });
    const started = Date.now();
    const timeout = await poller.poll('city');
    assert.deepEqual(timeout, { sourceId: 'city', result: 'failed', error: 'no answer within 1 s' });
    assert.ok(Date.now() - started < 10_000, 'the timeout, not the default 20 s');

    assert.equal(poller.copy('city'), good, 'the last good copy stays');
    assert.equal(poller.status('city').failures, 3);
    assert.equal(poller.status('city').usable, true, 'still within three poll intervals');
    clock.advance(16 * MIN);
    assert.deepEqual([poller.status('city').usable, poller.status('city').reason], [false, 'fetch-failing']);
    assert.equal(poller.plan('city', 'GPV1.1').blocked, 'fetch-failing');

    const text = await metrics.registry.metrics();
    assert.match(text, /schedule_fetch_failures_total\{source="city"\} 3/);
    assert.match(text, /schedule_fetches_total\{source="city",result="unreadable"\} 1/);
    assert.match(text, /schedule_source_age_seconds\{source="city"\} 6060/); // as of 18:05Z, now 19:46Z
    assert.match(text, /schedule_source_last_fetch_age_seconds\{source="city"\} 2760/);
  });

  test('the last good copy survives a restart, and the first poll after it is conditional', async () => {
    await newPoller().poll('city');
    const again = newPoller();
    again.load();
    assert.equal(again.plan('city', 'GPV1.1').blocked, null);
    assert.deepEqual(again.copy('city')!.snapshot.queues.map((q) => q.id), ['GPV1.1', 'GPV1.2', 'GPV2.1', 'GPV2.2']);
    assert.equal((await again.poll('city')).result, 'not_modified');
    assert.equal(server.requests.at(-1)!.headers['if-none-match'], '"v1"');
  });

  test('one poll per source in use per interval, however many places share it', async () => {
    const poller = newPoller();
    const first = await poller.pollDue();
    assert.deepEqual(first.map((r) => r.sourceId).sort(), ['city', 'yasno']);
    assert.deepEqual(await poller.pollDue(), []);
    clock.advance(POLL_MS - 1);
    assert.deepEqual(await poller.pollDue(), []);
    clock.advance(1);
    assert.equal((await poller.pollDue()).length, 2);
    assert.ok(!server.requests.some((r) => r.path === '/idle.json'), 'a source nobody follows is not polled');
  });

  test('concurrent polls of one source share one request', async () => {
    const poller = newPoller();
    const [a, b] = await Promise.all([poller.poll('city'), poller.poll('city')]);
    assert.deepEqual([a.result, b.result], ['updated', 'updated']);
    assert.equal(server.requests.length, 1);
  });

  test('started, it polls the sources in use on its own and stops cleanly', async () => {
    const poller = newPoller({ tickMs: 20 });
    poller.start();
    for (let i = 0; i < 200 && !(poller.copy('city') && poller.copy('yasno')); i++) await sleep(10);
    assert.ok(poller.copy('city') && poller.copy('yasno'));
    await poller.stop();
    const seen = server.requests.length;
    await sleep(60);
    assert.equal(server.requests.length, seen, 'no polls after stop');
  });

  test('stopping cancels a request that hangs, without counting it as the source failing', async () => {
    server.reply('/city.json', { kind: 'hang' });
    const poller = newPoller({ timeoutMs: 20_000 });
    const polling = poller.poll('city');
    while (server.requests.length === 0) await sleep(5);
    const started = Date.now();
    await poller.stop();
    assert.ok(Date.now() - started < 5_000, 'not held for the 20 s timeout');
    assert.equal((await polling).result, 'failed');
    assert.equal(schedules.source('city'), undefined, 'no failure was recorded');
  });

  test('a hook runs before new content replaces a copy, while plan() still answers from the old one', async () => {
    const seen: boolean[] = [];
    let first: ReturnType<SchedulePoller['copy']>;
    const poller = newPoller({
      beforeChange: async (id) => {
        seen.push(poller.copy(id) === first && dayStateAt(poller.plan(id, 'GPV1.1'), clock.now()).known);
      },
    });
    await poller.poll('city');
    first = poller.copy('city');
    assert.deepEqual(seen, [], 'not for the first copy');
    server.reply('/city.json', { kind: 'serve', body: fixture('gpv-small.json').replace('"fact"', '"ignored": 1, "fact"'), etag: '"v2"' });
    clock.advance(POLL_MS);
    assert.equal((await poller.poll('city')).result, 'updated');
    assert.deepEqual(seen, [true]);
    assert.notEqual(poller.copy('city'), first, 'then replaced');
  });
});
