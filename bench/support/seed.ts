import type SqliteDatabase from 'better-sqlite3';
import { dialectOf, type SyncDatabase } from '../../src/db/sync-database.js';
import { ServiceStateStore } from '../../src/db/service-state.js';
import { PowerEventStore } from '../../src/history/power-event-store.js';
import { newDeviceKey } from '../../src/places/place-rules.js';
import { PlaceStore } from '../../src/places/place-store.js';

/**
 * Inserts `count` places in one transaction and returns their keys (ids are 1..count in a new
 * database). Runs on either engine's connection (better-sqlite3, or a Store's PostgreSQL `connection`).
 */
export function seedPlaces(sqlite: SyncDatabase, count: number, now: number, timeoutS = 60): string[] {
  const places = new PlaceStore(sqlite);
  const keys: string[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const key = newDeviceKey();
      keys.push(key);
      places.insert({ name: `Place ${i + 1}`, api_key: key, timeout_s: timeoutS, language: 'uk', status: 'unknown', created_at: now, paused: 0, alerting_failed: 0 });
    }
    // Devices the admins already know (their first call was announced before the bench): the
    // bench measures heartbeats, not 10,000 "on the air" notices at once.
    sqlite.prepare(`UPDATE devices SET first_seen_at = ${dialectOf(sqlite) === 'postgres' ? '$1' : '?'}`).run(now);
  })();
  return keys;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * Places as a running service leaves them: on since a while, heartbeating, an open interval each.
 * A start then has the real restart recovery to do. Returns the keys (ids are 1..count).
 */
export function seedWatchedPlaces(sqlite: SqliteDatabase.Database, count: number, now: number, timeoutS = 60): string[] {
  const places = new PlaceStore(sqlite);
  const events = new PowerEventStore(sqlite);
  const keys: string[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const key = newDeviceKey();
      keys.push(key);
      const since = now - 3_600_000;
      const { id } = places.insert({
        name: `Place ${i + 1}`,
        api_key: key,
        timeout_s: timeoutS,
        language: 'uk',
        status: 'on',
        status_since: since,
        last_heartbeat_at: now - 5_000,
        deadline_at: now - 5_000 + timeoutS * 1000,
        created_at: since,
        paused: 0,
        alerting_failed: 0,
      });
      events.append(id, { status: 'on', startedAt: since, endedAt: null, edge: 'first_heartbeat' });
    }
  })();
  new ServiceStateStore(sqlite).write('last_alive_at', String(now - 5_000));
  return keys;
}
