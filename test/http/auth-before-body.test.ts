/**
 * The key is checked before the body is read (DESIGN.md §4): an unauthenticated client is answered
 * at once and its connection closed, so it cannot hold the server with a body that never comes;
 * an authenticated one gets a few seconds for its body, not Node's five minutes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { RawClient } from '../support/http-client.js';
import { ManualClock } from '../support/clock.js';
import type { Store } from '../../src/db/connection.js';
import { openTestStore } from '../support/test-store.js';
import { createHttpApp } from '../../src/http/app.js';
import { createHttpServer, HTTP_SERVER_TIMEOUTS } from '../../src/http/server.js';
import { FailureThrottle } from '../../src/http/failure-throttle.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { Monitor } from '../../src/monitor/monitor.js';
import { PowerStore } from '../../src/monitor/power-store.js';
import { PlaceService } from '../../src/places/place-service.js';
import { standaloneOwners } from '../../src/monitor/standalone-owners.js';

const wrongKey = (i: number) => `wrong-key-${String(i).padStart(4, '0')}-xxxxxxxxxxxxxxxxx`;

/** A POST whose head promises a body of `length` bytes; the body is left to the test. */
function postHead(path: string, headers: Record<string, string>, length: number): string {
  const lines = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${length}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

describe('through the whole service', () => {
  const dir = tempDir();
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dir.file('monitor.db'));
  });
  after(async () => {
    await t.stop();
    dir.cleanup();
  });

  test('a wrong key is answered 401 before any body arrives, and the connection is closed', async () => {
    const client = new RawClient(t.port);
    try {
      client.write(postHead('/api/heartbeat', { Authorization: `Bearer ${wrongKey(1)}` }, 1000));
      assert.equal(await client.status(2_000), 401, `answer: ${client.received}`);
      assert.match(client.received, /\r\nConnection: close\r\n/i);
      assert.ok(await client.closedWithin(2_000), 'the server closed the connection');
    } finally {
      client.destroy();
    }
  });

  test('a throttled address is answered 429 before any body arrives, and the connection is closed', async () => {
    for (let i = 0; i < 10; i += 1) await (await fetch(t.url(`/api/heartbeat?key=${wrongKey(10 + i)}`))).arrayBuffer();
    const client = new RawClient(t.port);
    try {
      client.write(postHead('/api/heartbeat', { 'X-Api-Key': wrongKey(99) }, 1000));
      assert.equal(await client.status(2_000), 429, `answer: ${client.received}`);
      assert.match(client.received, /\r\nRetry-After: \d+\r\n/i);
      assert.ok(await client.closedWithin(2_000), 'the server closed the connection');
    } finally {
      client.destroy();
    }
    t.clock.advance(120_000);
  });

  test('POST also takes the key from ?key=, and then reads the body', async () => {
    const place = await t.createPlace({ name: 'Router script' });
    const answer = await fetch(t.url(`/api/heartbeat?key=${place.api_key}`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fw: 'sh-1', uptime_ms: 5000 }),
    });
    assert.equal(answer.status, 200);
    const saved = await t.place(place.id);
    assert.equal(saved.device_fw, 'sh-1');
    assert.equal(saved.device_uptime_ms, 5000);
  });

  test('a key in the header wins over one in the query', async () => {
    const place = await t.createPlace({ name: 'Both' });
    const answer = await fetch(t.url(`/api/heartbeat?key=${wrongKey(5)}`), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } });
    assert.equal(answer.status, 200);
  });

  test('the server gives requests seconds, not minutes', () => {
    assert.ok(HTTP_SERVER_TIMEOUTS.headersTimeoutMs <= 15_000);
    assert.ok(HTTP_SERVER_TIMEOUTS.requestTimeoutMs <= 30_000);
    assert.ok(HTTP_SERVER_TIMEOUTS.checkEveryMs <= 2_000);
  });
});

describe('deadlines, with short ones', () => {
  const dir = tempDir();
  let store: Store;
  let server: Server;
  let places: PlaceService;
  let port: number;
  let stopMonitor = () => {};
  before(async () => {
    store = await openTestStore(dir.file('monitor.db'));
    const clock = new ManualClock();
    const logger = createLogger({ level: 'silent', pretty: false });
    const metrics = createMetrics(() => ({}));
    const owners = standaloneOwners(store.connection);
    const powerStore = new PowerStore(store.connection, owners);
    const monitor = new Monitor({ store: powerStore, owners, clock, logger, metrics });
    monitor.start();
    stopMonitor = () => monitor.stop();
    places = new PlaceService(owners, monitor, clock);
    const app = createHttpApp({
      monitor,
      metrics,
      throttle: new FailureThrottle(),
      clock,
      logger,
      isAccepting: () => true,
      health: () => ({ ok: true, db: 'ok', bot: 'disabled', storage: 'sqlite', role: 'leader' }),
      startedAt: clock.now(),
      trustProxy: { kind: 'none' },
      heartbeatBodyDeadlineMs: 300,
    });
    server = createHttpServer(app.callback(), { headersTimeoutMs: 400, requestTimeoutMs: 5_000, checkEveryMs: 50 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    stopMonitor();
    await store.close();
    dir.cleanup();
  });

  test('a valid key whose body stalls gets 408 at the body deadline, the connection is closed and nothing is written', async () => {
    const place = await places.create({ name: 'Slow board' });
    const client = new RawClient(port);
    try {
      client.write(postHead('/api/heartbeat', { Authorization: `Bearer ${place.api_key}` }, 100));
      client.write('{"fw":');
      assert.equal(await client.status(3_000), 408, `answer: ${client.received}`);
      assert.ok(await client.closedWithin(2_000), 'the server closed the connection');
    } finally {
      client.destroy();
    }
    assert.equal((await places.get(place.id)).last_heartbeat_at, null);
  });

  test('headers that never finish are cut off by the server', async () => {
    const client = new RawClient(port);
    try {
      client.write('POST /api/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      assert.ok(await client.closedWithin(3_000), 'the server closed the connection');
      assert.ok(client.closedAt! < 2_500, `closed after ${client.closedAt} ms`);
    } finally {
      client.destroy();
    }
  });
});
