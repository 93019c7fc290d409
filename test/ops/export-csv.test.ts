import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import type { Store } from '../../src/db/connection.js';
import { openTestStore } from '../support/test-store.js';
import { PowerEventStore } from '../../src/history/power-event-store.js';
import { csvField, powerEventsCsv, type PowerEventRow } from '../../src/ops/export-csv.js';
import { tempDir } from '../support/temp-dir.js';

const utc = (iso: string) => Date.parse(iso);
const HEADER = 'status,started_at_local,ended_at_local,duration_min,started_at_utc,ended_at_utc,how,known_by';

describe('power history as CSV', () => {
  test('one line per interval, local and UTC times, duration in minutes, CRLF line ends', () => {
    const rows: PowerEventRow[] = [
      { status: 'on', started_at: utc('2025-06-01T05:00:00Z'), ended_at: utc('2025-06-01T08:30:00Z'), start_edge: 'first_heartbeat' },
      { status: 'off', started_at: utc('2025-06-01T08:30:00Z'), ended_at: utc('2025-06-01T11:42:30Z'), start_edge: 'heartbeat_gap' },
      { status: 'on', started_at: utc('2025-06-01T11:42:30Z'), ended_at: null, start_edge: 'device_uptime' },
    ];
    assert.equal(
      powerEventsCsv(rows, 'Europe/Kyiv'),
      [
        HEADER,
        'on,2025-06-01T08:00:00+03:00,2025-06-01T11:30:00+03:00,210.0,2025-06-01T05:00:00Z,2025-06-01T08:30:00Z,first_heartbeat,heartbeat',
        'off,2025-06-01T11:30:00+03:00,2025-06-01T14:42:30+03:00,192.5,2025-06-01T08:30:00Z,2025-06-01T11:42:30Z,heartbeat_gap,silence',
        'on,2025-06-01T14:42:30+03:00,,,2025-06-01T11:42:30Z,,device_uptime,uptime',
        '',
      ].join('\r\n'),
    );
  });

  test('the hour repeated when daylight saving ends stays unambiguous, and durations are real time', () => {
    // Kyiv, 26 Oct 2025: 04:00 EEST becomes 03:00 EET, so 03:30 happens twice.
    const rows: PowerEventRow[] = [
      { status: 'off', started_at: utc('2025-10-26T00:30:00Z'), ended_at: utc('2025-10-26T01:30:00Z'), start_edge: 'heartbeat_gap' },
    ];
    const [, line] = powerEventsCsv(rows, 'Europe/Kyiv').split('\r\n');
    assert.equal(line, 'off,2025-10-26T03:30:00+03:00,2025-10-26T03:30:00+02:00,60.0,2025-10-26T00:30:00Z,2025-10-26T01:30:00Z,heartbeat_gap,silence');
  });

  test('a short outage under a minute keeps its seconds as a decimal', () => {
    const rows: PowerEventRow[] = [{ status: 'off', started_at: 0, ended_at: 20_000, start_edge: 'short_outage' }];
    assert.match(powerEventsCsv(rows, 'UTC'), /,0\.3,1970-01-01T00:00:00Z,1970-01-01T00:00:20Z,short_outage,uptime\r\n$/);
  });

  test('an edge a device confirmed says so in known_by; an inferred one says silence', () => {
    const rows: PowerEventRow[] = [
      { status: 'off', started_at: 0, ended_at: 60_000, start_edge: 'device_mains' },
      { status: 'on', started_at: 60_000, ended_at: 120_000, start_edge: 'device_mains' },
      { status: 'off', started_at: 120_000, ended_at: null, start_edge: 'heartbeat_gap' },
    ];
    const lines = powerEventsCsv(rows, 'UTC').split('\r\n');
    assert.match(lines[1]!, /^off,.*,device_mains,device$/);
    assert.match(lines[2]!, /^on,.*,device_mains,device$/);
    assert.match(lines[3]!, /^off,.*,heartbeat_gap,silence$/);
  });

  test('no intervals is just the header; an unknown time zone is refused', () => {
    assert.equal(powerEventsCsv([], 'UTC'), `${HEADER}\r\n`);
    assert.throws(() => powerEventsCsv([], 'Mars/Olympus'), /time zone/);
  });

  test('fields are quoted as RFC 4180 says', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\r'), '"cr\r"');
  });
});

describe('loading the power history', () => {
  const dir = tempDir('monitor-export-');
  let store: Store;

  before(async () => {
    store = await openTestStore(dir.file('monitor.db'));
    prepareQuery(
      store.connection,
      queryBuilder
        .insertInto('locations')
        .values([
          { name: 'Home', api_key: 'export-test-key-0001', timeout_s: 60, language: 'uk', status: 'on', paused: 0, alerting_failed: 0, created_at: 0 },
          { name: 'Dacha', api_key: 'export-test-key-0002', timeout_s: 60, language: 'uk', status: 'on', paused: 0, alerting_failed: 0, created_at: 0 },
        ]),
    ).run();
    // Inserted out of order on purpose: the export orders by time, not by row id.
    prepareQuery(
      store.connection,
      queryBuilder
        .insertInto('power_events')
        .values([
          { location_id: 1, status: 'on', started_at: 3_000, ended_at: null, start_edge: 'heartbeat' },
          { location_id: 1, status: 'on', started_at: 1_000, ended_at: 2_000, start_edge: 'first_heartbeat' },
          { location_id: 2, status: 'off', started_at: 1_500, ended_at: null, start_edge: 'heartbeat_gap' },
          { location_id: 1, status: 'off', started_at: 2_000, ended_at: 3_000, start_edge: 'heartbeat_gap' },
        ]),
    ).run();
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  test('returns only that place, oldest first, ready for the CSV', async () => {
    const rows = new PowerEventStore(store.connection).all(1);
    assert.deepEqual(rows, [
      { status: 'on', started_at: 1_000, ended_at: 2_000, start_edge: 'first_heartbeat' },
      { status: 'off', started_at: 2_000, ended_at: 3_000, start_edge: 'heartbeat_gap' },
      { status: 'on', started_at: 3_000, ended_at: null, start_edge: 'heartbeat' },
    ]);
    assert.equal(powerEventsCsv(rows, 'UTC').split('\r\n').length, 5, 'header, three rows, final line end');
    assert.deepEqual(new PowerEventStore(store.connection).all(99), []);
  });
});
