import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { after, before, describe, test } from 'node:test';
import type { Place } from '../../../src/places/place-service.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { tempDir } from '../../support/temp-dir.js';
import { acceptedHeartbeats, inputFor, recipeFor } from './recipe-support.js';

/**
 * The surface a Shelly Gen2+ script sees, as documented (shelly-api-docs.shelly.cloud, Scripts →
 * Shelly / Timer; Components → HTTP): `Timer.set(period_ms, repeat, callback[, userdata])` returns
 * a handle; `Shelly.call(method, params[, callback[, userdata]])` calls an RPC method and later
 * runs `callback(result, error_code, error_message[, userdata])`. HTTP.POST takes `url` and `body`
 * (required), `content_type`, `timeout`, `ssl_ca`, `body_b64`; its result has `code`, `message`,
 * `headers`, `body`. Anything else is an error, as on the device. The HTTP call is made for real.
 */
class ShellyHarness {
  readonly timers: { periodMs: number; repeat: boolean; callback: (userdata: unknown) => void; userdata: unknown }[] = [];
  readonly printed: string[] = [];
  private readonly inFlight: Promise<void>[] = [];

  run(script: string): void {
    const Timer = {
      set: (periodMs: unknown, repeat: unknown, callback: unknown, userdata?: unknown): number => {
        assert.equal(typeof periodMs, 'number', 'Timer.set: period in ms');
        assert.equal(typeof repeat, 'boolean', 'Timer.set: repeat flag');
        assert.equal(typeof callback, 'function', 'Timer.set: callback');
        this.timers.push({ periodMs: periodMs as number, repeat: repeat as boolean, callback: callback as (userdata: unknown) => void, userdata });
        return this.timers.length;
      },
      clear: (): boolean => true,
    };
    const Shelly = { call: (method: unknown, params: unknown, callback?: unknown, userdata?: unknown) => this.call(method, params, callback, userdata) };
    const print = (...parts: unknown[]) => this.printed.push(parts.map(String).join(' '));
    runInNewContext(script, { Timer, Shelly, print, console: { log: print } }, { timeout: 1000 });
  }

  /** Fires each repeating timer once, as the device would after its period. */
  tick(): void {
    for (const timer of this.timers) timer.callback(timer.userdata);
  }

  async settle(): Promise<void> {
    while (this.inFlight.length > 0) await this.inFlight.shift();
  }

  private call(method: unknown, params: unknown, callback: unknown, userdata: unknown): void {
    assert.equal(method, 'HTTP.POST', 'the script posts');
    assert.ok(params && typeof params === 'object', 'params is an object');
    const given = params as Record<string, unknown>;
    const allowed = ['url', 'body', 'body_b64', 'content_type', 'timeout', 'ssl_ca'];
    for (const name of Object.keys(given)) assert.ok(allowed.includes(name), `HTTP.POST has no parameter "${name}"`);
    assert.equal(typeof given.url, 'string', 'HTTP.POST: url is required');
    assert.ok(typeof given.body === 'string' || typeof given.body_b64 === 'string', 'HTTP.POST: body is required');
    if (given.timeout !== undefined) assert.equal(typeof given.timeout, 'number');
    const done = typeof callback === 'function' ? (callback as (...args: unknown[]) => void) : () => {};
    this.inFlight.push(
      fetch(given.url as string, {
        method: 'POST',
        headers: { 'content-type': (given.content_type as string | undefined) ?? 'application/json' },
        body: given.body as string,
        signal: AbortSignal.timeout(((given.timeout as number | undefined) ?? 15) * 1000),
      }).then(
        async (response) => done({ code: response.status, message: response.statusText, headers: Object.fromEntries(response.headers), body: await response.text() }, 0, '', userdata),
        (error: unknown) => done(undefined, -104, String(error), userdata),
      ),
    );
  }
}

describe('the Shelly script, run in a harness with the documented Timer / Shelly.call surface', () => {
  const dir = tempDir('recipes-shelly-');
  let t: TestApp;
  let place: Place;
  before(async () => {
    t = await startTestApp(dir.file('monitor.db'));
    place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
  });
  after(async () => {
    await t.stop();
    dir.cleanup();
  });

  const scriptOf = (key: string, intervalS = 10) => {
    const block = recipeFor('shelly', inputFor(t.url('/api/heartbeat'), key, { intervalS })).blocks[0];
    assert.ok(block && block.fileName?.endsWith('.js'));
    return block.text;
  };

  test('it sends a heartbeat at start and again at each tick of a repeating timer of the interval', async () => {
    const shelly = new ShellyHarness();
    const before = await acceptedHeartbeats(t);
    shelly.run(scriptOf(place.api_key, 15));
    assert.equal(shelly.timers.length, 1);
    assert.equal(shelly.timers[0]?.periodMs, 15_000);
    assert.equal(shelly.timers[0]?.repeat, true);
    await shelly.settle();
    assert.equal((await acceptedHeartbeats(t)) - before, 1, 'one at start');
    shelly.tick();
    shelly.tick();
    await shelly.settle();
    assert.equal((await acceptedHeartbeats(t)) - before, 3);
    assert.deepEqual(shelly.printed, [], 'nothing to complain about');
    assert.ok((await t.place(place.id)).last_heartbeat_at !== null);
  });

  test('a refused key and an unreachable server are printed to the script console', async () => {
    const refused = new ShellyHarness();
    refused.run(scriptOf('y'.repeat(32)));
    await refused.settle();
    assert.deepEqual(refused.printed, ['Heartbeat refused: HTTP 401']);

    const unreachable = new ShellyHarness();
    const block = recipeFor('shelly', inputFor('http://127.0.0.1:9/api/heartbeat', place.api_key)).blocks[0]!;
    unreachable.run(block.text);
    await unreachable.settle();
    assert.equal(unreachable.printed.length, 1);
    assert.match(unreachable.printed[0]!, /^Heartbeat not sent: /);
  });

  test('the script keeps to what the Shelly runtime (mJS/Espruino) understands', () => {
    const script = scriptOf(place.api_key);
    assert.doesNotMatch(script, /=>/, 'no arrow functions');
    assert.doesNotMatch(script, /`/, 'no template strings');
    assert.doesNotMatch(script, /\b(const|class|async|await|import|require)\b/, 'no const, classes, async or modules');
    assert.doesNotMatch(script, /\?\./, 'no optional chaining');
    assert.doesNotMatch(script, /\.\.\./, 'no spread');
  });
});
