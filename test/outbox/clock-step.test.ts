import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertPlaceRow, openTestStore } from '../support/test-store.js';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import { createLogger } from '../../src/logger.js';
import { OutboxDispatcher, senderDeliverers, type DeliveryResult } from '../../src/outbox/dispatcher.js';
import { OutboxStore } from '../../src/outbox/outbox-store.js';
import { paceAlerts } from '../../src/alerts/alert-pacing.js';
import { ManualClock } from '../support/clock.js';
import { tempDir } from '../support/temp-dir.js';

const HOUR = 3_600_000;
const logger = createLogger({ level: 'silent', pretty: false });

test('undelivered rows move with a clock step: a retry due in 5 s is tried 5 s later, not 2 h, and rows do not look hours late', async () => {
  const dir = tempDir();
  const store = await openTestStore(dir.file('monitor.db'));
  const clock = new ManualClock(1_000_000_000);
  try {
    // Ids 1 and 2 in a new database, in either dialect.
    for (const name of ['A', 'B']) insertPlaceRow(store.connection, { name, api_key: `key-${name.toLowerCase()}`, created_at: 0 });
    const outbox = new OutboxStore(store.connection);
    const attempts: number[] = [];
    let failing = true;
    const dispatcher = new OutboxDispatcher(
      outbox,
      senderDeliverers(
        {
          async deliver([row]): Promise<DeliveryResult> {
            attempts.push(clock.now());
            if (failing) return { outcome: 'retry', retryAt: clock.now() + 5_000, error: '502' };
            return { outcome: 'sent', messageId: row!.id };
          },
        },
        clock,
      ),
      clock,
      logger,
    );
    outbox.enqueue({ kind: 'alert', placeId: 1, payload: { alert: { kind: 'power_off', at: clock.now(), previousMs: null } } }, clock.now());
    await dispatcher.drainOnce();
    assert.equal(attempts.length, 1);
    const queuedAt = clock.now();
    // A row queued before the step, not read by the dispatcher yet: moved in the database.
    outbox.enqueue({ kind: 'alert', placeId: 2, payload: { alert: { kind: 'power_off', at: clock.now(), previousMs: null } } }, clock.now());

    clock.step(-2 * HOUR);
    dispatcher.clockStepped({ deltaMs: -2 * HOUR, at: clock.now() });
    failing = false;
    clock.advance(4_000);
    await dispatcher.drainOnce();
    assert.equal(attempts.length, 2, "B's row, queued before the step, goes at once");
    clock.advance(1_000);
    await dispatcher.drainOnce();
    assert.equal(attempts.length, 3, "A's retry, 5 s after its failure on the clock that really ran");

    const rows = prepareQuery(store.connection, queryBuilder.selectFrom('outbox').select(['created_at', 'failing_since', 'sent_at']).orderBy('id')).all();
    assert.deepEqual(
      rows.map((row) => [row.created_at, row.failing_since]),
      [
        [queuedAt - 2 * HOUR, queuedAt - 2 * HOUR],
        [queuedAt - 2 * HOUR, null],
      ],
      'queued and failing since, on the corrected clock',
    );
    assert.ok(rows.every((row) => row.sent_at !== null));

    // Forward: a row stamped on the new clock before the step was seen keeps its time.
    clock.step(2 * HOUR);
    outbox.enqueue({ kind: 'alert', placeId: 1, payload: { alert: { kind: 'power_on', at: clock.now(), fromUptime: false, offSince: 0, offMs: 1 } } }, clock.now());
    const stampedAfter = clock.now();
    dispatcher.clockStepped({ deltaMs: 2 * HOUR, at: clock.now() });
    const last = prepareQuery(store.connection, queryBuilder.selectFrom('outbox').select('created_at').orderBy('id', 'desc').limit(1)).get();
    assert.equal(last?.created_at, stampedAfter);
    await dispatcher.stop();
  } finally {
    await store.close();
    dir.cleanup();
  }
});

test('the flap window: a previous post "in the future" (the clock went back) holds nothing', () => {
  const rules = { lateAfterMs: 60_000, flapWindowMs: 120_000 };
  const head = { failing_since: null, next_attempt_at: 1_000_000 };
  assert.deepEqual(paceAlerts(head, 1, 1_000_000, rules, () => 1_000_000 - 30_000), { holdUntil: 1_000_000 + 90_000 }, 'a post 30 s ago holds');
  assert.deepEqual(paceAlerts(head, 1, 1_000_000, rules, () => 1_000_000 + 2 * HOUR), { send: 1, late: false }, 'not one "2 h from now"');
});
