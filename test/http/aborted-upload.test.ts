/**
 * A device that loses Wi-Fi in the middle of a heartbeat is not a server error: it is noted
 * quietly (no error line, no stack, not counted as a 5xx), and the server carries on.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { capturedLogger, LEVEL } from '../support/captured-logger.js';
import { RawClient } from '../support/http-client.js';

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

test('an upload cut off half-way is logged at debug without a stack, and nothing is written', async () => {
  const place = await t.createPlace({ name: 'Flaky Wi-Fi' });
  const linesBefore = logs.lines.length;
  for (let i = 0; i < 3; i += 1) {
    const client = new RawClient(t.port);
    client.write(
      ['POST /api/heartbeat HTTP/1.1', 'Host: 127.0.0.1', `Authorization: Bearer ${place.api_key}`, 'Content-Type: application/json', 'Content-Length: 100', '', '{"fw":"1.'].join('\r\n'),
    );
    // Long enough for the server to have read the headers and begun the body, even on a busy machine.
    await new Promise((resolve) => setTimeout(resolve, 250));
    client.destroy();
  }
  const deadline = Date.now() + 3_000;
  const aborted = () => logs.lines.slice(linesBefore).filter((line) => /abort/i.test(line.msg));
  while (aborted().length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));

  const newLines = logs.lines.slice(linesBefore);
  assert.deepEqual(newLines.filter((line) => line.level >= LEVEL.warn), [], 'no warning or error for a client that went away');
  assert.equal(aborted().length, 3, `one quiet line per abort: ${JSON.stringify(newLines)}`);
  for (const line of aborted()) {
    assert.ok(line.level <= LEVEL.info);
    assert.equal(line.err, undefined, 'no error object (and so no stack) in the line');
  }
  assert.equal((await t.place(place.id)).last_heartbeat_at, null);
  const metrics = await (await fetch(t.url('/metrics'))).text();
  assert.doesNotMatch(metrics, /heartbeats_rejected_total\{status="5\d\d"\}/);
  assert.equal((await fetch(t.url(`/api/heartbeat?key=${place.api_key}`))).status, 200, 'the server carries on');
});
