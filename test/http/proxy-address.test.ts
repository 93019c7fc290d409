/**
 * Which address is the client's (DESIGN.md §4): the connection's, unless TRUST_PROXY says which
 * proxy header to believe. A client must not be able to escape the throttle or lock someone else
 * out by writing X-Forwarded-For itself.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { httpRequest } from '../support/http-client.js';

const wrongKey = (i: number) => `wrong-key-${String(i).padStart(4, '0')}-xxxxxxxxxxxxxxxxx`;

function useApp(env: Record<string, string>): () => TestApp {
  const dir = tempDir();
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dir.file('monitor.db'), { env });
  });
  after(async () => {
    await t.stop();
    dir.cleanup();
  });
  return () => t;
}

describe('TRUST_PROXY=none (the default), even with PUBLIC_URL set', () => {
  const app = useApp({ PUBLIC_URL: 'https://monitor.example.com' });

  test('a rotating X-Forwarded-For does not escape the throttle', async () => {
    const t = app();
    const statuses: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      const answer = await httpRequest(t.url(`/api/heartbeat?key=${wrongKey(i)}`), { headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } });
      statuses.push(answer.status);
    }
    assert.deepEqual(statuses, [...Array(10).fill(401), ...Array(5).fill(429)]);
  });

  test("naming a victim's address in X-Forwarded-For does not lock the victim out", async () => {
    const t = app();
    for (const victim of ['127.0.0.2', '::ffff:127.0.0.2']) {
      for (let i = 0; i < 20; i += 1) await httpRequest(t.url(`/api/heartbeat?key=${wrongKey(100 + i)}`), { headers: { 'x-forwarded-for': victim } });
    }
    // The victim, really at 127.0.0.2, still has its whole budget of failed attempts.
    const victim = await httpRequest(t.url(`/api/heartbeat?key=${wrongKey(200)}`), { localAddress: '127.0.0.2' });
    assert.equal(victim.status, 401);
  });

  test('the stored device address is the connection’s, without the ::ffff: prefix', async () => {
    const t = app();
    const place = await t.createPlace({ name: 'Home' });
    const answer = await httpRequest(t.url(`/api/heartbeat?key=${place.api_key}`), { headers: { 'x-forwarded-for': '198.51.100.77' } });
    assert.equal(answer.status, 200);
    assert.equal((await t.place(place.id)).device_ip, '127.0.0.1');
  });
});

describe('TRUST_PROXY=fly', () => {
  const app = useApp({ TRUST_PROXY: 'fly', PUBLIC_URL: 'https://monitor.fly.dev' });

  test('the client is Fly-Client-IP: stored on the place, and the throttle counts per client', async () => {
    const t = app();
    const place = await t.createPlace({ name: 'Home' });
    const ok = await httpRequest(t.url(`/api/heartbeat?key=${place.api_key}`), {
      headers: { 'fly-client-ip': '203.0.113.7', 'x-forwarded-for': '198.51.100.1, 203.0.113.7' },
    });
    assert.equal(ok.status, 200);
    assert.equal((await t.place(place.id)).device_ip, '203.0.113.7');

    for (let i = 0; i < 10; i += 1) {
      const answer = await httpRequest(t.url(`/api/heartbeat?key=${wrongKey(i)}`), { headers: { 'fly-client-ip': '203.0.113.66' } });
      assert.equal(answer.status, 401);
    }
    assert.equal((await httpRequest(t.url(`/api/heartbeat?key=${wrongKey(10)}`), { headers: { 'fly-client-ip': '203.0.113.66' } })).status, 429);
    assert.equal((await httpRequest(t.url(`/api/heartbeat?key=${wrongKey(11)}`), { headers: { 'fly-client-ip': '203.0.113.67' } })).status, 401);
  });

  test('IPv6 clients are stored as they are', async () => {
    const t = app();
    const place = await t.createPlace({ name: 'Flat' });
    await httpRequest(t.url(`/api/heartbeat?key=${place.api_key}`), { headers: { 'fly-client-ip': '2001:db8::42' } });
    assert.equal((await t.place(place.id)).device_ip, '2001:db8::42');
  });
});

describe('TRUST_PROXY=1 (one reverse proxy that appends to X-Forwarded-For)', () => {
  const app = useApp({ TRUST_PROXY: '1' });

  test('the client is the right-most X-Forwarded-For entry; what the client wrote to its left is ignored', async () => {
    const t = app();
    const place = await t.createPlace({ name: 'Home' });
    await httpRequest(t.url(`/api/heartbeat?key=${place.api_key}`), { headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' } });
    assert.equal((await t.place(place.id)).device_ip, '203.0.113.9');

    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const answer = await httpRequest(t.url(`/api/heartbeat?key=${wrongKey(i)}`), { headers: { 'x-forwarded-for': `10.9.8.${i}, 203.0.113.50` } });
      statuses.push(answer.status);
    }
    assert.deepEqual(statuses, [...Array(10).fill(401), 429, 429]);
  });

  test('without the header (a request that bypassed the proxy) the connection address is used', async () => {
    const t = app();
    const place = await t.createPlace({ name: 'Direct' });
    await httpRequest(t.url(`/api/heartbeat?key=${place.api_key}`));
    assert.equal((await t.place(place.id)).device_ip, '127.0.0.1');
  });
});

describe('TRUST_PROXY is validated at start', () => {
  test('a wrong value stops the start with what it should look like', async () => {
    const { loadConfig, ConfigError } = await import('../../src/config.js');
    for (const value of ['yes', '-1', '1.5', 'cloudflare', '100']) {
      assert.throws(() => loadConfig({ TRUST_PROXY: value }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /TRUST_PROXY must be none.*fly.*number/s);
        return true;
      }, value);
    }
  });

  test('none, fly and a number of hops are read', async () => {
    const { loadConfig } = await import('../../src/config.js');
    assert.deepEqual(loadConfig({}).trustProxy, { kind: 'none' });
    assert.deepEqual(loadConfig({ TRUST_PROXY: 'none' }).trustProxy, { kind: 'none' });
    assert.deepEqual(loadConfig({ TRUST_PROXY: 'fly' }).trustProxy, { kind: 'fly' });
    assert.deepEqual(loadConfig({ TRUST_PROXY: '2' }).trustProxy, { kind: 'hops', hops: 2 });
  });
});
