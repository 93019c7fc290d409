// The outbox's queries at scale: 1,000 places keep ~720k delivered rows over the 30-day retention;
// this fills 1,000,000 delivered rows (plus a few undelivered) and times what the dispatcher runs
// on the main thread: the poll for new undelivered rows (every wake and every second), the first
// read after a start, and the flapping window's "last alert post" of a place.
//   npm run bench:outbox [-- --rows 1000000 --pending 20]
import { parseArgs } from 'node:util';
import { openStore } from '../src/db/connection.js';
import { OutboxStore } from '../src/outbox/outbox-store.js';
import { tempDir } from '../test/support/temp-dir.js';
import { seedPlaces } from './support/seed.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, pending: { type: 'string', default: '20' } } });
const rows = Number(values.rows);
const pending = Number(values.pending);
const PLACES = 1000;

const dir = tempDir('bench-outbox-');
const store = await openStore(dir.file('monitor.db'));
const outbox = new OutboxStore(store.sqlite);
const now = Date.now();
seedPlaces(store.sqlite, PLACES, now);
const payload = JSON.stringify({ alert: { kind: 'power_off', at: now, previousMs: 3_600_000 } });
// Delivered history (written raw here, as fast as possible: it stands for 30 days of posts).
const history = store.sqlite.prepare(
  "INSERT INTO outbox (location_id, kind, payload, created_at, attempts, next_attempt_at, sent_at, message_id) VALUES (?, 'alert', ?, ?, 1, ?, ?, ?)",
);
const filling = performance.now();
store.sqlite.transaction(() => {
  for (let i = 0; i < rows; i += 1) {
    const at = now - (rows - i) * 2_600;
    history.run((i % PLACES) + 1, payload, at, at, at + 500, i + 1);
  }
})();
store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
const filledIn = (performance.now() - filling) / 1000;
// A few rows still to deliver, queued the normal way: an old one waiting for a retry, new ones.
for (let i = 0; i < pending; i += 1) outbox.enqueue({ kind: 'alert', placeId: (i % PLACES) + 1, payload: { alert: { kind: 'power_off', at: now, previousMs: null } } }, now);
const [first] = outbox.undeliveredAfter(0, 1);
const lastId = store.sqlite.prepare<[], { id: number }>('SELECT max(id) AS id FROM outbox').get()!.id;

function time(label: string, run: () => unknown, iterations = 2000): void {
  for (let i = 0; i < 50; i += 1) run(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  console.log(`  ${label.padEnd(58)} mean ${mean.toFixed(4)} ms, p99 ${samples[Math.floor(samples.length * 0.99)]!.toFixed(4)} ms`);
}

const plan = (sql: string, ...params: unknown[]) =>
  store.sqlite.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((row) => row.detail).join('; ');

console.log(`bench/outbox: ${rows.toLocaleString('en')} delivered rows (${PLACES} places), ${pending} undelivered; filled in ${filledIn.toFixed(1)} s`);
console.log(`  poll plan: ${plan('SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND id > ? ORDER BY id LIMIT ?', 0, 2000)}`);
time('poll for new rows (nothing new: the usual case)', () => outbox.undeliveredAfter(lastId, 2000));
time(`first read after a start (all ${pending} undelivered rows)`, () => outbox.undeliveredAfter(0, 2000));
time('last alert post of a place (flapping window)', () => outbox.lastAlertSentAt(first!.location_id!));
// What the dispatcher ran before (a scan of the whole table, every second), for comparison.
const before = store.sqlite.prepare('SELECT * FROM outbox NOT INDEXED WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY id LIMIT 500');
time('before: the unindexed poll (a full table scan)', () => before.all(), 20);
await store.close();
dir.cleanup();
