/**
 * The failure throttle as a device sees it (DESIGN.md §4): wrong keys from an address are slowed
 * down, but a valid key is always accepted, whatever its address did — two boards in one home, a
 * carrier's CGNAT or a proxy put many devices behind one address.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { capturedLogger, type LogLine } from '../support/captured-logger.js';

const wrongKey = (i: number) => `wrong-key-${String(i).padStart(4, '0')}-xxxxxxxxxxxxxxxxx`;

describe('failed attempts are throttled, valid keys never are', () => {
  const dir = tempDir();
  const logs = capturedLogger('debug');
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dir.file('monitor.db'), { logger: logs.logger });
  });
  after(async () => {
    await t.stop();
    dir.cleanup();
  });

  test('after 10 failures from one address wrong keys get 429 with Retry-After, while a good key from the same address keeps getting 200', async () => {
    const place = await t.createPlace({ name: 'Dacha' });
    const wrong: number[] = [];
    const good: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const answer = await fetch(t.url(`/api/heartbeat?key=${wrongKey(i)}`));
      wrong.push(answer.status);
      if (answer.status === 429) assert.ok(Number(answer.headers.get('retry-after')) > 0, 'a 429 says when to try again');
      await answer.arrayBuffer();
      good.push((await fetch(t.url(`/api/heartbeat?key=${place.api_key}`))).status);
      good.push((await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } })).status);
      good.push((await fetch(t.url(`/channelPing?channel_key=${place.api_key}`))).status);
    }
    assert.deepEqual(wrong.slice(0, 10), Array(10).fill(401));
    assert.deepEqual(wrong.slice(10), Array(20).fill(429));
    assert.deepEqual(good, Array(90).fill(200), 'every heartbeat with the valid key was accepted');
    assert.equal((await t.place(place.id)).status, 'on');
  });

  test('the budget refills with time: one more attempt per 6 s, the full 10 after a minute', async () => {
    t.clock.advance(6_000);
    assert.equal((await fetch(t.url(`/api/heartbeat?key=${wrongKey(100)}`))).status, 401);
    assert.equal((await fetch(t.url(`/api/heartbeat?key=${wrongKey(101)}`))).status, 429);
    t.clock.advance(60_000);
    for (let i = 0; i < 10; i += 1) assert.equal((await fetch(t.url(`/api/heartbeat?key=${wrongKey(200 + i)}`))).status, 401);
    assert.equal((await fetch(t.url(`/api/heartbeat?key=${wrongKey(300)}`))).status, 429);
  });

  test('successful heartbeats are never counted against the address', async () => {
    t.clock.advance(120_000);
    const place = await t.createPlace({ name: 'Busy board' });
    for (let i = 0; i < 40; i += 1) assert.equal((await fetch(t.url(`/api/heartbeat?key=${place.api_key}`))).status, 200);
    assert.equal((await fetch(t.url(`/api/heartbeat?key=${wrongKey(400)}`))).status, 401);
  });

  test('100 refused requests in a minute are all counted in /metrics but logged only a few times, at any level', async () => {
    t.clock.advance(120_000);
    const refusedLines = () => logs.lines.filter((line: LogLine) => line.msg === 'heartbeat refused' || line.msg === 'heartbeat throttled');
    const metric = async (status: string) => {
      const text = await (await fetch(t.url('/metrics'))).text();
      return Number(new RegExp(`heartbeats_rejected_total\\{status="${status}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    };
    const linesBefore = refusedLines().length;
    const rejectedBefore = (await metric('401')) + (await metric('429'));
    for (let i = 0; i < 100; i += 1) {
      await (await fetch(t.url(`/api/heartbeat?key=${wrongKey(500 + i)}`))).arrayBuffer();
      t.clock.advance(600);
    }
    const rejectedAfter = (await metric('401')) + (await metric('429'));
    assert.equal(rejectedAfter - rejectedBefore, 100);
    const logged = refusedLines().length - linesBefore;
    assert.ok(logged >= 1, 'refusals are still visible in the log');
    assert.ok(logged <= 20, `${logged} log lines for 100 refusals`);
  });
});
