import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import type { Store } from '../../src/db/connection.js';
import { insertPlaceRow, openTestStore } from '../support/test-store.js';
import { PlaceStore } from '../../src/places/place-store.js';
import { createLogger } from '../../src/logger.js';
import { parsePayload } from '../../src/outbox/messages.js';
import { OutboxStore, type OutboxRow } from '../../src/outbox/outbox-store.js';
import { SubscriberStore } from '../../src/people/subscriber-store.js';
import { ReportService } from '../../src/reports/report-service.js';
import { ReportStore } from '../../src/reports/report-store.js';
import { ManualClock } from '../support/clock.js';
import { tempDir } from '../support/temp-dir.js';
import { KYIV, kyiv } from './sample-month.js';

/**
 * The report schedule on its own, over a real database: what it queues, for whom, and that it
 * queues nothing twice. The subscribers' weekly summaries go through the seam that subscriptions
 * plug into (SubscriberStore.recipients(id, 'weekly')).
 */
describe('the report schedule', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let outbox: OutboxStore;
  let subscribers: SubscriberStore;
  let clock: ManualClock;
  let service: ReportService;
  let wakes = 0;

  const addPlace = (name: string, createdAt: string, channel: string | null) =>
    insertPlaceRow(store.connection, { name, api_key: `key-${name}-0000000000`, channel_id: channel, created_at: kyiv(createdAt) });
  const places = () => prepareQuery(store.connection, queryBuilder.selectFrom('locations').select(['id', 'channel_id', 'paused', 'created_at', 'weekly_report', 'monthly_report']).orderBy('id')).all() as never;
  const queued = (): OutboxRow[] => outbox.undeliveredAfter(0, 100);

  beforeEach(async () => {
    dir = tempDir('reports-');
    store = await openTestStore(dir.file('monitor.db'));
    outbox = new OutboxStore(store.connection);
    subscribers = new SubscriberStore(store.connection, new PlaceStore(store.connection));
    clock = new ManualClock(kyiv('2026-11-23T09:00'));
    wakes = 0;
    service = new ReportService({
      store: new ReportStore(store.connection, new PlaceStore(store.connection)),
      outbox,
      places,
      weeklyRecipients: (id) => subscribers.recipients(id, 'weekly'),
      clock,
      logger: createLogger({ level: 'silent', pretty: false }),
      timeZone: KYIV,
      defaultChannelId: undefined,
      wakeOutbox: () => (wakes += 1),
    });
  });
  afterEach(async () => {
    await store.close();
    dir.cleanup();
  });

  test('Monday 09:00: the channel and each subscriber who wants it get the week; never twice', async () => {
    const home = addPlace('Home', '2026-11-01T00:00', '-1001');
    subscribers.subscribe(home, { userId: 501, displayName: 'Olena', language: 'uk' }, 0);
    subscribers.subscribe(home, { userId: 502, displayName: 'Mark', language: 'en' }, 0);
    subscribers.setChoices(502, home, { weekly: false });

    assert.equal(await service.runDue(), 1);
    const rows = queued();
    assert.deepEqual(
      rows.map((row) => [row.kind, row.location_id, parsePayload('weekly_report', row.payload)]),
      [
        ['weekly_report', home, { week: '2026-11-16' }],
        ['weekly_report', home, { week: '2026-11-16', to: { userId: 501, language: 'uk', quiet: { startMin: 1380, endMin: 420 } } }],
      ],
    );
    assert.equal(wakes, 1);
    clock.advance(3_600_000);
    assert.equal(await service.runDue(), 0, 'already queued');
    assert.equal(queued().length, 2);
  });

  test('a place without a channel still sends its subscribers the week; switched off, its channel gets nothing', async () => {
    const cottage = addPlace('Cottage', '2026-11-01T00:00', null);
    const office = addPlace('Office', '2026-11-01T00:00', '-1002');
    prepareQuery(store.connection, queryBuilder.updateTable('locations').set({ weekly_report: 0, monthly_report: 0 }).where('id', '=', office)).run();
    subscribers.subscribe(cottage, { userId: 501, displayName: 'Olena', language: 'uk' }, 0);

    assert.equal(await service.runDue(), 1);
    assert.deepEqual(queued().map((row) => [row.location_id, JSON.parse(row.payload).to?.userId ?? 'channel']), [[cottage, 501]]);
  });

  test('the 1st: every place that existed in the month gets its report, the monthly row only to its channel', async () => {
    clock.set(kyiv('2026-12-01T09:00'));
    const early = addPlace('Early', '2026-11-10T00:00', '-1001');
    addPlace('Late', '2026-12-01T08:00', '-1002');
    subscribers.subscribe(early, { userId: 501, displayName: 'Olena', language: 'uk' }, 0);
    assert.equal(await service.runDue(), 2, "Early's weekly and monthly; Late existed in neither period");
    assert.deepEqual(
      queued().map((row) => [row.kind, row.payload]),
      [
        ['weekly_report', JSON.stringify({ week: '2026-11-23' })],
        ['weekly_report', JSON.stringify({ week: '2026-11-23', to: { userId: 501, language: 'uk', quiet: { startMin: 1380, endMin: 420 } } })],
        ['monthly_report', JSON.stringify({ month: '2026-11' })],
      ],
    );
    assert.equal(service.nextFireAt, kyiv('2026-12-07T09:00'));
  });

  test('a run that fails (the places cannot be read) is tried again a minute later, not next week', async () => {
    addPlace('Home', '2026-11-01T00:00', '-1001');
    let failing = true;
    const flaky = new ReportService({
      store: new ReportStore(store.connection, new PlaceStore(store.connection)),
      outbox,
      places: async () => {
        if (failing) throw new Error('database is locked');
        return places();
      },
      clock,
      logger: createLogger({ level: 'silent', pretty: false }),
      timeZone: KYIV,
      defaultChannelId: undefined,
      wakeOutbox: () => {},
    });
    await flaky.tick();
    flaky.stop();
    assert.equal(queued().length, 0);
    assert.equal(flaky.nextFireAt, kyiv('2026-11-23T09:01'));
    failing = false;
    clock.set(kyiv('2026-11-23T09:01'));
    await flaky.tick();
    flaky.stop();
    assert.equal(queued().length, 1, 'queued on the retry');
  });

  test('a day with no report due reads no place and no subscriber (the timer fires daily, at 10,000 places too)', async () => {
    addPlace('Home', '2026-11-01T00:00', '-1001');
    let reads = 0;
    const counting = new ReportService({
      store: new ReportStore(store.connection, new PlaceStore(store.connection)),
      outbox,
      places: async () => {
        reads += 1;
        return places();
      },
      weeklyRecipients: (id) => {
        reads += 1;
        return subscribers.recipients(id, 'weekly');
      },
      clock,
      logger: createLogger({ level: 'silent', pretty: false }),
      timeZone: KYIV,
      defaultChannelId: undefined,
      wakeOutbox: () => {},
    });
    clock.set(kyiv('2026-11-26T09:00')); // a Thursday: Monday's summary is past its catch-up, the 1st is days away
    assert.equal(await counting.runDue(), 0);
    assert.equal(reads, 0);
    clock.set(kyiv('2026-11-30T09:00')); // Monday: the week's summary is due
    assert.equal(await counting.runDue(), 1);
    assert.ok(reads > 0);
    counting.stop();
  });

  test('a place deleted meanwhile is skipped without failing the others', async () => {
    const gone = addPlace('Gone', '2026-11-01T00:00', '-1001');
    const kept = addPlace('Kept', '2026-11-01T00:00', '-1002');
    const stale = places();
    prepareQuery(store.connection, queryBuilder.deleteFrom('locations').where('id', '=', gone)).run();
    const racing = new ReportService({
      store: new ReportStore(store.connection, new PlaceStore(store.connection)),
      outbox,
      places: async () => stale,
      clock,
      logger: createLogger({ level: 'silent', pretty: false }),
      timeZone: KYIV,
      defaultChannelId: undefined,
      wakeOutbox: () => {},
    });
    assert.equal(await racing.runDue(), 1);
    assert.deepEqual(queued().map((row) => row.location_id), [kept]);
  });
});
