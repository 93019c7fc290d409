import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { Store } from '../../src/db/connection.js';
import { insertPlaceRow, openTestStore } from '../support/test-store.js';
import { PlaceStore } from '../../src/places/place-store.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { parseGpv } from '../../src/schedules/gpv-format.js';
import { SchedulePoller } from '../../src/schedules/poller.js';
import { ScheduleStore } from '../../src/schedules/schedule-store.js';
import { ScheduleFormatError } from '../../src/schedules/snapshot.js';
import { fetchSource } from '../../src/schedules/source-fetch.js';
import type { ScheduleSource } from '../../src/schedules/sources.js';
import { parseYasno } from '../../src/schedules/yasno-format.js';
import { ManualClock } from '../support/clock.js';
import { tempDir } from '../support/temp-dir.js';
import { fixture, MIN, utc, ZONE } from './fixture.js';
import { gpvBody } from './gpv-body.js';
import { startSourceServer } from './source-server.js';

const MEMBER_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const DAY = '2026-01-15';

/** A GPV file whose only odd thing is one queue named `name` (JSON text, so "__proto__" is a real key). */
function gpvWithQueue(name: string): string {
  const body = JSON.parse(gpvBody({ days: { [DAY]: { 'GPV1.1': { 18: 'no' } } }, update: '15.01.2026 08:00' })) as { fact: { data: Record<string, Record<string, unknown>> } };
  const day = Object.values(body.fact.data)[0]!;
  const text = JSON.stringify(body);
  const hours = JSON.stringify(day['GPV1.1']);
  return text.replace(`"GPV1.1":${hours}`, `"GPV1.1":${hours},${JSON.stringify(name)}:${hours}`);
}

function yasnoWithGroup(name: string): string {
  const good = fixture('yasno-small.json').trim();
  return `{${JSON.stringify(name)}:{"today":{"date":"2026-01-29T00:00:00+02:00","status":"NoOutages","slots":[]}},${good.slice(1)}`;
}

describe('schedule parsers and names they do not expect', () => {
  for (const name of MEMBER_NAMES) {
    test(`a GPV queue named "${name}" is a format error, never a TypeError`, () => {
      const text = gpvWithQueue(name);
      assert.ok(text.includes(`"${name}":{`), 'the odd queue is in the file');
      assert.throws(() => parseGpv(text, ZONE), (error: unknown) => error instanceof ScheduleFormatError && error.message.includes(JSON.stringify(name)));
    });

    test(`a Yasno group named "${name}" is a format error, never a TypeError`, () => {
      assert.throws(() => parseYasno(yasnoWithGroup(name), ZONE), (error: unknown) => error instanceof ScheduleFormatError && error.message.includes(JSON.stringify(name)));
    });

    test(`an hour value "${name}" refuses the day instead of reading a prototype member`, () => {
      const text = gpvBody({ days: { [DAY]: { 'GPV1.1': { 18: 'no' } } }, update: '15.01.2026 08:00' }).replace('"18":"no"', `"18":${JSON.stringify(name)}`);
      const snapshot = parseGpv(text, ZONE);
      const [entry] = snapshot.days['GPV1.1']!;
      assert.equal(entry?.status, 'unreadable');
      assert.match(snapshot.problems.join('\n'), /unknown value/);
    });
  }

  test('a queue name in preset.sch_names that is not a queue is noted and ignored; the rest reads', () => {
    const body = JSON.parse(gpvBody({ days: { [DAY]: { 'GPV1.1': { 18: 'no' } } }, update: '15.01.2026 08:00' })) as { preset: { sch_names: Record<string, string> } };
    const text = JSON.stringify(body).replace('"sch_names":{', '"sch_names":{"__proto__":"x","constructor":"y",');
    const snapshot = parseGpv(text, ZONE);
    assert.deepEqual(snapshot.queues.map((queue) => queue.id), ['GPV1.1']);
    assert.equal(snapshot.queues[0]!.label, 'Черга 1.1');
    assert.equal(snapshot.problems.filter((problem) => /not a queue/.test(problem)).length, 2);
  });

  test('a Yasno group with keys it does not expect: noted, never read', () => {
    const text = fixture('yasno-small.json').replace('"today"', '"constructor": 1, "today"');
    const snapshot = parseYasno(text, ZONE);
    assert.ok(snapshot.problems.some((problem) => /unexpected keys "constructor"/.test(problem)));
    assert.ok(snapshot.queues.length > 0);
  });
});

describe('a bad source is one bad source', () => {
  const POLL_MS = 15 * MIN;
  const logger = createLogger({ level: 'silent', pretty: false });
  let server: Awaited<ReturnType<typeof startSourceServer>>;
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let schedules: ScheduleStore;
  let clock: ManualClock;
  let poller: SchedulePoller;
  let metrics: ReturnType<typeof createMetrics>;
  // Sorted: the poisoned source comes first, and the good ones after it.
  const sources = (): ScheduleSource[] => [
    { id: 'a-poisoned', format: 'gpv', url: server.url('/poisoned.json'), region: null },
    { id: 'b-good', format: 'gpv', url: server.url('/good.json'), region: null },
    { id: 'c-yasno', format: 'yasno', url: server.url('/yasno'), region: null },
  ];
  const requestsOf = (path: string) => server.requests.filter((request) => request.path === path).length;

  before(async () => {
    server = await startSourceServer();
  });
  after(() => server.close());

  beforeEach(async () => {
    dir = tempDir('bad-source-');
    store = await openTestStore(dir.file('monitor.db'));
    schedules = new ScheduleStore(store.connection, new PlaceStore(store.connection));
    clock = new ManualClock(utc(2026, 1, 14, 19));
    metrics = createMetrics(() => ({}));
    server.requests.length = 0;
    server.reply('/poisoned.json', { kind: 'serve', body: gpvWithQueue('__proto__'), etag: '"p1"' });
    server.reply('/good.json', { kind: 'serve', body: fixture('gpv-small.json'), etag: '"g1"' });
    server.reply('/yasno', { kind: 'serve', body: fixture('yasno-small.json') });
    const add = (name: string, api_key: string) => insertPlaceRow(store.connection, { name, api_key, created_at: 0 });
    for (const [name, source, queue] of [['A', 'a-poisoned', 'GPV1.1'], ['B', 'b-good', 'GPV1.1'], ['C', 'c-yasno', '1.1']] as const) {
      const id = add(name, `key-${name}-000000000000`);
      schedules.setPlaceSchedule(id, { source, queue });
    }
    poller = new SchedulePoller({ sources: sources(), store: schedules, clock, logger, metrics, zone: ZONE, pollMs: POLL_MS, timeoutMs: 2_000 });
  });

  afterEach(async () => {
    await poller.stop();
    store.close();
    dir.cleanup();
  });

  test('a poisoned file fails with its reason; the sources after it are polled; it waits its poll period like any failure', async () => {
    const results = await poller.pollDue();
    assert.deepEqual(results.map((result) => [result.sourceId, result.result]), [
      ['a-poisoned', 'unreadable'],
      ['b-good', 'updated'],
      ['c-yasno', 'updated'],
    ]);
    const stored = schedules.source('a-poisoned')!;
    assert.equal(stored.failures, 1);
    assert.match(stored.last_error ?? '', /queue named "__proto__", which is not a queue/);
    assert.equal(poller.status('a-poisoned').usable, false);
    assert.equal(poller.status('b-good').usable, true);
    const failures = (await metrics.scheduleFetchFailures.get()).values;
    assert.deepEqual(failures.map((value) => [value.labels.source, value.value]), [['a-poisoned', 1]]);
    const fetches = (await metrics.scheduleFetches.get()).values.filter((value) => value.labels.source === 'a-poisoned');
    assert.deepEqual(fetches.map((value) => [value.labels.result, value.value]), [['unreadable', 1]]);
    // A queue named like an object member is not one: no plan, never a prototype member.
    for (const name of MEMBER_NAMES) assert.equal(poller.plan('b-good', name).blocked, 'queue-missing');

    // A minute later (the next tick): nothing is due, the poisoned one included.
    clock.advance(MIN);
    assert.deepEqual(await poller.pollDue(), []);
    assert.equal(requestsOf('/poisoned.json'), 1);
    // A poll period later all three are tried again; still poisoned, still only that one failing.
    clock.advance(POLL_MS);
    const again = await poller.pollDue();
    assert.deepEqual(again.map((result) => result.result), ['unreadable', 'not_modified', 'unchanged']);
    assert.equal(schedules.source('a-poisoned')!.failures, 2);
  });

  test('a poll that throws (storage failing for one source) is recorded as that source failing; the others go on', async () => {
    const saveFresh = schedules.saveFresh.bind(schedules);
    schedules.saveFresh = (id, ...rest) => {
      if (id === 'b-good') throw new Error('SQLITE_IOERR: disk I/O error');
      return saveFresh(id, ...rest);
    };
    server.reply('/poisoned.json', { kind: 'serve', body: fixture('gpv-small.json') });
    const results = await poller.pollDue();
    assert.deepEqual(results.map((result) => [result.sourceId, result.result]), [
      ['a-poisoned', 'updated'],
      ['b-good', 'failed'],
      ['c-yasno', 'updated'],
    ]);
    assert.match(schedules.source('b-good')!.last_error ?? '', /polling failed: SQLITE_IOERR/);
    clock.advance(MIN);
    assert.deepEqual(await poller.pollDue(), [], 'the failing source waits its poll period');
  });

  test('the poller started on its own keeps polling every source, the poisoned one first', async () => {
    const started = new SchedulePoller({ sources: sources(), store: schedules, clock, logger, zone: ZONE, pollMs: POLL_MS, timeoutMs: 2_000, tickMs: 20 });
    started.start();
    for (let i = 0; i < 200 && (requestsOf('/good.json') === 0 || requestsOf('/yasno') === 0); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await started.stop();
    assert.equal(requestsOf('/good.json'), 1);
    assert.equal(requestsOf('/yasno'), 1);
    assert.equal(requestsOf('/poisoned.json'), 1, 'ticks every 20 ms, but the failed source waits its poll period');
  });
});

describe('redirects of a schedule source', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((request, response) => {
      const path = request.url ?? '/';
      const hop = /^\/chain\/(\d+)$/.exec(path);
      const to = (location: string) => {
        response.writeHead(302, { location });
        response.end();
      };
      if (path === '/loop-a') return to('/loop-b');
      if (path === '/loop-b') return to(`${base}/loop-a`);
      if (path === '/moved') return to('/file.json');
      if (path === '/elsewhere') return to('http://localhost:1/file.json');
      if (path === '/no-location') return void response.writeHead(301).end();
      if (hop) return to(`/chain/${Number(hop[1]) + 1}`);
      if (path === '/file.json') {
        response.writeHead(200, { 'content-type': 'application/json' });
        return void response.end(fixture('gpv-small.json'));
      }
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (path: string) => fetchSource(`${base}${path}`, null, { timeoutMs: 2_000 });

  test('a redirect on the same host is followed', async () => {
    const outcome = await get('/moved');
    assert.equal(outcome.kind, 'fresh');
  });

  test('a loop says it is a loop and names the addresses', async () => {
    assert.deepEqual(await get('/loop-a'), { kind: 'failed', error: `redirect loop: ${base}/loop-a → ${base}/loop-b → ${base}/loop-a` });
  });

  test('a long chain stops after the fifth redirect and says so', async () => {
    const outcome = await get('/chain/0');
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.kind === 'failed' ? outcome.error : '', /^too many redirects \(more than 5\): .*\/chain\/0 → .*\/chain\/6$/);
  });

  test('a redirect to another host is refused, naming where it pointed', async () => {
    const outcome = await get('/elsewhere');
    assert.deepEqual(outcome, { kind: 'failed', error: "redirected to another host (127.0.0.1 → http://localhost:1/file.json); not followed: if the file has moved there, set the source's address to it" });
  });

  test('a redirect without an address says so', async () => {
    assert.deepEqual(await get('/no-location'), { kind: 'failed', error: 'HTTP 301 redirect without a Location' });
  });
});

test('a queue name thousands of characters long is cut before it reaches a post', () => {
  const text = gpvBody({ days: { [DAY]: { 'GPV1.1': { 18: 'no' } } }, update: '15.01.2026 08:00' }).replace('"Черга 1.1"', JSON.stringify('Черга '.repeat(2000)));
  const snapshot = parseGpv(text, ZONE);
  assert.equal([...snapshot.queues[0]!.label!].length, 40);
  assert.match(snapshot.problems.join('\n'), /cut to 40/);
});
