/**
 * People around a place (issue 13), the storage side of the "500 places × 10 subscribers, all
 * going off at once" burst: what the outbox owner will pay, on the main thread, to look up each
 * place's recipients (and check its snooze) when it writes that place's alert. Delivery itself
 * (the global budget, priorities) is measured once subscribers are wired into the outbox.
 *
 * Prints, on a real SQLite file (WAL): the time to look up the recipients of every place, per
 * place (median, p99), the snooze check per alert, and a whole burst of all places in one
 * transaction, plus the time to subscribe everyone through invite links.
 *
 * Run: node --import tsx bench/people.ts [places=500] [subscribersPerPlace=10]
 */
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/db/connection.js';
import { PlaceStore } from '../src/places/place-store.js';
import { InviteStore } from '../src/people/invite-store.js';
import { joinByInvite } from '../src/people/join.js';
import { SnoozeStore } from '../src/people/snooze-store.js';
import { SubscriberStore } from '../src/people/subscriber-store.js';
import { tempDir } from '../test/support/temp-dir.js';
import { percentile } from './support/seed.js';

const places = Number(process.argv[2] ?? 500);
const perPlace = Number(process.argv[3] ?? 10);
if (![places, perPlace].every((n) => Number.isInteger(n) && n >= 1)) {
  console.error(`Places and subscribers per place are whole numbers ≥ 1, got "${process.argv[2]}" and "${process.argv[3]}".`);
  process.exit(1);
}

const dir = tempDir('bench-people-');
const store = await openStore(dir.file('monitor.db'));
try {
  const insertPlace = store.sqlite.prepare<[string, string]>('INSERT INTO locations (name, api_key, created_at) VALUES (?, ?, 0)');
  const ids = store.sqlite.transaction(() =>
    Array.from({ length: places }, (_, i) => Number(insertPlace.run(`Place ${i + 1}`, `bench-key-${String(i).padStart(12, '0')}`).lastInsertRowid)),
  )();
  const placeStore = new PlaceStore(store.sqlite);
  const invites = new InviteStore(store.sqlite, placeStore);
  const subscribers = new SubscriberStore(store.sqlite, placeStore);
  const snoozes = new SnoozeStore(store.sqlite, placeStore);
  const now = Date.UTC(2026, 10, 20, 10, 0);

  let started = performance.now();
  let user = 1_000_000;
  for (const id of ids) {
    const { token } = invites.ensure(id, { now, createdBy: 1 })!;
    for (let i = 0; i < perPlace; i += 1) {
      user += 1;
      const outcome = joinByInvite({ invites, subscribers }, token, { userId: user, displayName: `Person ${user}`, language: 'uk' }, now);
      if (outcome.outcome !== 'subscribed') throw new Error(`expected a subscription, got ${outcome.outcome}`);
    }
  }
  const joinMs = performance.now() - started;
  console.log(`subscribe via invite: ${places * perPlace} people in ${joinMs.toFixed(0)} ms (${((joinMs * 1000) / (places * perPlace)).toFixed(0)} µs each)`);

  // Warm the statement cache as a running service would have it.
  for (const id of ids.slice(0, 10)) subscribers.recipients(id, 'alerts');

  const lookups: number[] = [];
  const holds: number[] = [];
  let recipients = 0;
  started = performance.now();
  store.sqlite.transaction(() => {
    for (const id of ids) {
      let t0 = performance.now();
      const held = snoozes.hold(id, { kind: 'power_off', at: now, previousMs: null }, now);
      holds.push(performance.now() - t0);
      if (held.held) throw new Error('no place is snoozed in this run');
      t0 = performance.now();
      recipients += subscribers.recipients(id, 'alerts').length;
      lookups.push(performance.now() - t0);
    }
  })();
  const burstMs = performance.now() - started;
  lookups.sort((a, b) => a - b);
  holds.sort((a, b) => a - b);
  const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
  console.log(`burst of ${places} places going off: ${recipients} private recipients found in ${burstMs.toFixed(1)} ms (one transaction)`);
  console.log(`  recipients(place): median ${us(percentile(lookups, 50))}, p99 ${us(percentile(lookups, 99))}`);
  console.log(`  snooze check:      median ${us(percentile(holds, 50))}, p99 ${us(percentile(holds, 99))}`);
} finally {
  await store.close();
  dir.cleanup();
}
