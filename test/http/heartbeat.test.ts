import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import type { Place } from '../../src/places/place-service.js';

describe('heartbeat HTTP API', () => {
  const dir = tempDir();
  let t: TestApp;
  let place: Place;

  before(async () => {
    t = await startTestApp(dir.file('monitor.db'));
  });
  after(async () => {
    await t.stop();
    dir.cleanup();
  });
  beforeEach(async () => {
    place = await t.createPlace({ name: `Home ${Math.random()}`, timeoutS: 60 });
  });

  const post = (headers: Record<string, string>, body?: string) =>
    fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const reload = () => t.place(place.id);
  const rowCounts = () =>
    ({ events: t.count((db) => db.selectFrom('power_events')), outbox: t.count((db) => db.selectFrom('outbox')) });

  test('POST with a Bearer key is accepted, starts monitoring and stores the device facts', async () => {
    const body = JSON.stringify({ uptime_ms: 123456, boot_id: 'b1', reset_reason: 'POWERON', rssi: -61, fw: '1.2.0', extra: 'ignored' });
    const response = await post({ authorization: `Bearer ${place.api_key}` }, body);
    assert.equal(response.status, 200);
    const reply = (await response.json()) as { ok: boolean; server_time: number; interval_s: number };
    assert.equal(reply.ok, true);
    assert.equal(reply.server_time, t.clock.now());
    assert.equal(reply.interval_s, 10);
    const saved = await reload();
    assert.equal(saved.status, 'on');
    assert.equal(saved.last_heartbeat_at, t.clock.now());
    assert.equal(saved.device_uptime_ms, 123456);
    assert.equal(saved.device_boot_id, 'b1');
    assert.equal(saved.device_reset_reason, 'POWERON');
    assert.equal(saved.device_rssi, -61);
    assert.equal(saved.device_fw, '1.2.0');
    assert.equal(saved.deadline_at, t.clock.now() + 60_000);
  });

  test('X-Api-Key, an empty body, GET ?key= and the /channelPing compatibility route are accepted', async () => {
    assert.equal((await post({ 'x-api-key': place.api_key })).status, 200);
    assert.equal((await fetch(t.url(`/api/heartbeat?key=${place.api_key}`))).status, 200);
    assert.equal((await fetch(t.url(`/channelPing?channel_key=${place.api_key}`))).status, 200);
    assert.equal((await reload()).status, 'on');
  });

  test('a bad key is 401 with the same answer whatever the reason, and nothing is written', async () => {
    const before = rowCounts();
    const answers = await Promise.all([
      post({}, '{}'),
      post({ authorization: 'Bearer wrong-key-but-well-formed-000' }),
      post({ authorization: 'Bearer <script>' }),
      post({ authorization: 'Basic abc' }),
      fetch(t.url('/api/heartbeat')),
      fetch(t.url('/api/heartbeat?key=nope')),
      fetch(t.url('/channelPing?channel_key=')),
    ]);
    const bodies = await Promise.all(answers.map((answer) => answer.text()));
    for (const answer of answers) assert.equal(answer.status, 401);
    assert.equal(new Set(bodies).size, 1, 'every 401 body is identical');
    assert.deepEqual(rowCounts(), before);
    assert.equal((await reload()).last_heartbeat_at, null);
  });

  test('wrong types are 400 and change nothing', async () => {
    for (const body of ['{"uptime_ms":"abc"}', '{"rssi":-61.5}', '{"boot_id":42}', '[1,2]', '{not json', '"text"', '{"fw":""}', '{"uptime_ms":-1}']) {
      const response = await post({ authorization: `Bearer ${place.api_key}` }, body);
      assert.equal(response.status, 400, body);
      const reply = (await response.json()) as { error: string; message: string };
      assert.equal(reply.error, 'bad_request');
      assert.ok(reply.message.length > 0);
    }
    const saved = await reload();
    assert.equal(saved.status, 'unknown');
    assert.equal(saved.last_heartbeat_at, null);
  });

  test('an oversized body is 413 and changes nothing, with or without a Content-Length', async () => {
    const big = JSON.stringify({ fw: '1', pad: 'x'.repeat(10_000) });
    const response = await post({ authorization: `Bearer ${place.api_key}` }, big);
    assert.equal(response.status, 413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"pad":"');
      req.write('y'.repeat(8_000));
      req.end('"}');
    });
    assert.equal(chunked, 413);
    assert.equal((await reload()).last_heartbeat_at, null);
  });

  test('rotating the key: the old key is refused at once, the new one works', async () => {
    assert.equal((await post({ authorization: `Bearer ${place.api_key}` })).status, 200);
    const rotated = await t.system.places.rotateKey(place.id, 'revoke');
    assert.notEqual(rotated.api_key, place.api_key);
    assert.match(rotated.api_key, /^[A-Za-z0-9_-]{32}$/);
    assert.equal((await post({ authorization: `Bearer ${place.api_key}` })).status, 401);
    assert.equal((await post({ authorization: `Bearer ${rotated.api_key}` })).status, 200);
  });

  test('GET /health reports ready with db and bot state; /metrics is Prometheus text', async () => {
    const health = await fetch(t.url('/health'));
    assert.equal(health.status, 200);
    const report = (await health.json()) as Record<string, unknown>;
    assert.equal(report.status, 'ok');
    assert.equal(report.db, 'ok');
    assert.equal(typeof report.bot, 'string');
    assert.equal(typeof report.uptime, 'number');
    await post({ authorization: `Bearer ${place.api_key}` });
    const metrics = await fetch(t.url('/metrics'));
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
    const text = await metrics.text();
    assert.match(text, /heartbeats_received_total\{route="post"\} \d+/);
    assert.match(text, /heartbeats_rejected_total\{status="401"\} \d+/);
    assert.match(text, /locations\{status="on"\} \d+/);
    assert.doesNotMatch(text, new RegExp(place.api_key));
  });

  test('unknown routes are 404 and wrong methods 405, as JSON', async () => {
    const missing = await fetch(t.url('/nope'));
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: string }).error, 'not_found');
    assert.equal((await fetch(t.url('/api/heartbeat'), { method: 'PUT' })).status, 405);
  });
});
