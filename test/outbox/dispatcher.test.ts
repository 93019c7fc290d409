import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/db/connection.js';
import { insertPlaceRow, openTestStore } from '../support/test-store.js';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import { createLogger } from '../../src/logger.js';
import { OutboxDispatcher, senderDeliverers, type Deliverer, type Deliverers, type DeliveryResult } from '../../src/outbox/dispatcher.js';
import { OUTBOX_KINDS } from '../../src/outbox/messages.js';
import { OutboxStore, type OutboxRow } from '../../src/outbox/outbox-store.js';
import { ManualClock } from '../support/clock.js';
import { tempDir } from '../support/temp-dir.js';

const logger = createLogger({ level: 'silent', pretty: false });

describe('the outbox dispatcher', () => {
  const dir = tempDir();
  let store: Store;
  let outbox: OutboxStore;
  const clock = new ManualClock(1_000_000);
  before(async () => {
    store = await openTestStore(dir.file('monitor.db'));
    // Ids 1 and 2 in a new database, in either dialect.
    for (const name of ['A', 'B']) insertPlaceRow(store.connection, { name, api_key: `key-${name.toLowerCase()}`, created_at: 0 });
  });
  beforeEach(() => {
    prepareQuery(store.connection, queryBuilder.deleteFrom('outbox')).run();
    outbox = new OutboxStore(store.connection);
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  const alert = (placeId: number, at: number) =>
    outbox.enqueue({ kind: 'alert', placeId, payload: { alert: { kind: 'power_off', at, previousMs: null } } }, clock.now());
  const atOf = (row: OutboxRow) => (JSON.parse(row.payload) as { alert: { at: number } }).alert.at;

  test("a place's alerts go in order; a place whose post fails holds back only its own later alerts", async () => {
    const delivered: string[] = [];
    let failA = true;
    const dispatcher = new OutboxDispatcher(
      outbox,
      senderDeliverers(
        {
          async deliver([row]): Promise<DeliveryResult> {
            if (row!.location_id === 1 && failA) return { outcome: 'retry', retryAt: clock.now() + 5_000, error: '502' };
            delivered.push(`${row!.location_id}:${atOf(row!)}`);
            return { outcome: 'sent', messageId: delivered.length };
          },
        },
        clock,
      ),
      clock,
      logger,
    );
    alert(1, 1);
    alert(2, 1);
    alert(1, 2);
    alert(2, 2);
    await dispatcher.drainOnce();
    assert.deepEqual(delivered, ['2:1', '2:2'], "B's alerts go; A's second waits behind its first");
    failA = false;
    await dispatcher.drainOnce();
    assert.deepEqual(delivered, ['2:1', '2:2'], 'not before its retry time');
    clock.advance(5_000);
    await dispatcher.drainOnce();
    assert.deepEqual(delivered, ['2:1', '2:2', '1:1', '1:2']);
    const failing = prepareQuery(store.connection, queryBuilder.selectFrom('outbox').select(['failing_since', 'attempts']).where('location_id', '=', 1).orderBy('id')).all();
    assert.deepEqual(failing, [
      { failing_since: clock.now() - 5_000, attempts: 2 },
      { failing_since: null, attempts: 1 },
    ]);
    await dispatcher.stop();
  });

  test('a deliverer that throws (a bug) has its rows tried again later, not in a tight loop', async () => {
    let calls = 0;
    const broken: Deliverer = {
      taskKey: (lane) => lane.key,
      async run() {
        calls += 1;
        throw new Error('bug');
      },
    };
    const dispatcher = new OutboxDispatcher(outbox, Object.fromEntries(OUTBOX_KINDS.map((kind) => [kind, broken])) as Deliverers, clock, logger);
    alert(1, 1);
    await dispatcher.drainOnce();
    assert.equal(calls, 1);
    const [row] = outbox.undeliveredAfter(0, 10);
    assert.equal(row!.last_error, 'bug');
    assert.ok(row!.next_attempt_at > clock.now());
    await dispatcher.stop();
  });

  test('tasks run side by side: a send that hangs does not hold up other places', async () => {
    const delivered: number[] = [];
    const dispatcher = new OutboxDispatcher(
      outbox,
      senderDeliverers(
        {
          deliver([row], signal): Promise<DeliveryResult> {
            if (row!.location_id === 1) {
              return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ outcome: 'untouched' })));
            }
            delivered.push(row!.location_id!);
            return Promise.resolve({ outcome: 'sent', messageId: 1 });
          },
        },
        clock,
      ),
      clock,
      logger,
      { stopGraceMs: 50 },
    );
    alert(1, 1);
    alert(2, 1);
    dispatcher.start();
    for (let i = 0; i < 100 && delivered.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(delivered, [2]);
    await dispatcher.stop();
    assert.equal(outbox.undeliveredAfter(0, 10).length, 1, 'the hung one stays undelivered for the next start');
  });
});
